#!/usr/bin/env node
/**
 * The baseline: a bare, single-process node:net chat server speaking just enough of the protocol
 * (register, login, message global/private, users, status online) for the load generator. No
 * hooks, no logging, no persistence, no validation beyond JSON.parse: the practical ceiling of one
 * Node process doing the same fan-out (parse once, serialise once, and each socket's writes of one
 * turn batched into one syscall, as ClassCord's core does: without it the ceiling would be too low).
 *
 * Usage: node bench/baseline-server.mjs [--host 127.0.0.1] [--port 0] [--drop-every K] [--dup-every K]
 * --drop-every / --dup-every make it deliberately faulty (every K-th delivery is skipped / sent
 * twice), so tests can prove the load generator notices.
 */
import { createServer } from 'node:net';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    host: { type: 'string', default: '127.0.0.1' },
    port: { type: 'string', default: '0' },
    'drop-every': { type: 'string', default: '0' },
    'dup-every': { type: 'string', default: '0' },
  },
});
const dropEvery = Number(values['drop-every']);
const dupEvery = Number(values['dup-every']);
let deliveries = 0;

/** @type {Map<string, string>} username → password (plain: hashing is not what this measures) */
const accounts = new Map();
/** Logged-in sessions, in login order. */
const named = new Set();

const uncork = (socket) => socket.uncork();

/** Writes through a cork released next tick: one syscall per socket per turn. */
function write(socket, data) {
  if (!socket.writableCorked) {
    socket.cork();
    process.nextTick(uncork, socket);
  }
  socket.write(data);
}

/** One fan-out write, with the optional deliberate faults. */
function deliver(session, line) {
  deliveries++;
  if (dropEvery > 0 && deliveries % dropEvery === 0) return;
  write(session.socket, line);
  if (dupEvery > 0 && deliveries % dupEvery === 0) write(session.socket, line);
}

function broadcast(sender, payload, recipients) {
  const line = Buffer.from(JSON.stringify(payload) + '\n'); // serialised once for every recipient
  for (const s of recipients) if (s !== sender) deliver(s, line);
}

const reply = (session, payload) => write(session.socket, JSON.stringify(payload) + '\n');

function handle(session, msg) {
  switch (msg.type) {
    case 'register':
      if (accounts.has(msg.username)) return reply(session, { type: 'error', message: 'Username already exists.' });
      accounts.set(msg.username, msg.password);
      return reply(session, { type: 'register', status: 'ok' });
    case 'login':
      if (accounts.get(msg.username) !== msg.password) return reply(session, { type: 'error', message: 'Login failed.' });
      session.name = msg.username;
      named.add(session);
      reply(session, { type: 'login', status: 'ok', username: msg.username });
      return broadcast(session, { type: 'status', user: msg.username, state: 'online' }, named);
    case 'message': {
      if (!session.name) return undefined;
      msg.from = session.name;
      msg.timestamp = new Date().toISOString();
      if (msg.subtype === 'private') return broadcast(session, msg, [...named].filter((s) => s.name === msg.to));
      return broadcast(session, msg, named);
    }
    case 'users':
      return reply(session, { type: 'users', users: [...named].map((s) => s.name) });
    default:
      return undefined;
  }
}

const server = createServer({ noDelay: true }, (socket) => {
  const session = { socket, name: undefined };
  let rest = '';
  socket.setEncoding('utf8');
  socket.on('data', (chunk) => {
    const lines = (rest + chunk).split('\n');
    rest = lines.pop();
    for (const line of lines) {
      if (line === '') continue;
      let msg;
      try {
        msg = JSON.parse(line);
      } catch {
        reply(session, { type: 'error', message: 'Invalid JSON.' });
        continue;
      }
      handle(session, msg);
    }
  });
  socket.on('error', () => {});
  socket.on('close', () => named.delete(session));
});
server.listen(Number(values.port), values.host, () => {
  const { address, port } = server.address();
  // Same shape as ClassCord's pino line, so the orchestrator reads both the same way.
  console.log(JSON.stringify({ level: 30, port, msg: `listening on ${address}:${port}` }));
});
const stop = () => server.close(() => process.exit(0)) && setTimeout(() => process.exit(0), 200).unref();
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
