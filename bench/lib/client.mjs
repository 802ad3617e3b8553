/** A protocol client for the load generator: one TCP socket, JSON lines, cheap line splitting. */
import { connect } from 'node:net';
import { performance } from 'node:perf_hooks';

const MESSAGE_PREFIX = '{"type":"message"';
const CONTENT_KEY = '"content":"b:';

/**
 * One connection. Replies to `register`/`login`/`users` are awaited with {@link BenchClient.request};
 * forwarded benchmark messages go to `onBenchMessage` without a full JSON.parse (the load generator
 * must stay cheaper than the server it measures, on the same 2 cores).
 */
export class BenchClient {
  /**
   * @param {number} index this client's sender index
   * @param {string} name its username
   */
  constructor(index, name) {
    this.index = index;
    this.name = name;
    /** @type {import('node:net').Socket | undefined} */
    this.socket = undefined;
    this.rest = '';
    this.closed = false;
    /** Error replies received, in order (a healthy run has none after login). */
    this.errors = [];
    /** @type {((line: string) => void) | undefined} pending request's resolver */
    this.waiting = undefined;
    /** @type {(sender: number, seq: number, sentAt: number, now: number) => void} */
    this.onBenchMessage = () => {};
    /** @type {(client: BenchClient) => void} */
    this.onClose = () => {};
    /** performance.now() of the last byte received. */
    this.lastReceive = 0;
  }

  /**
   * Opens the TCP connection.
   * @param {number} port server port on 127.0.0.1
   * @returns {Promise<void>}
   */
  connect(port) {
    return new Promise((resolve, reject) => {
      const socket = connect({ host: '127.0.0.1', port, noDelay: true });
      socket.setEncoding('latin1'); // the server's lines are pure ASCII (non-ASCII is \u-escaped)
      socket.once('connect', () => {
        socket.off('error', reject);
        socket.on('error', () => {});
        resolve();
      });
      socket.once('error', reject);
      socket.on('data', (chunk) => this.data(chunk));
      socket.on('close', () => {
        this.closed = true;
        this.onClose(this);
      });
      this.socket = socket;
    });
  }

  /**
   * Sends one request and resolves with the next reply line whose type is one of `types`
   * (or an `error`). Only one request may be pending at a time.
   * @param {object} payload the request
   * @param {string[]} types reply types that answer it
   * @returns {Promise<any>} the parsed reply
   */
  request(payload, types) {
    return new Promise((resolve, reject) => {
      const onClose = () => reject(new Error(`${this.name}: connection closed while waiting for ${types.join('/')}`));
      this.socket.once('close', onClose);
      this.waiting = (line) => {
        const msg = JSON.parse(line);
        if (msg.type !== 'error' && !types.includes(msg.type)) return false;
        this.waiting = undefined;
        this.socket.off('close', onClose);
        resolve(msg);
        return true;
      };
      this.socket.write(JSON.stringify(payload) + '\n');
    });
  }

  /** Registers then logs in; throws with the server's error text if either is refused. */
  async registerAndLogin(password = 'bench-pw') {
    const reg = await this.request({ type: 'register', username: this.name, password }, ['register']);
    if (reg.type !== 'register' || reg.status !== 'ok') throw new Error(`${this.name}: register refused: ${JSON.stringify(reg)}`);
    const login = await this.request({ type: 'login', username: this.name, password }, ['login']);
    if (login.type !== 'login' || login.status !== 'ok') throw new Error(`${this.name}: login refused: ${JSON.stringify(login)}`);
  }

  /**
   * Queues one line (already serialised, with its `\n`).
   * @param {string} line
   * @returns {boolean} false when the socket's buffer is full (wait for 'drain')
   */
  writeLine(line) {
    return this.socket.write(line);
  }

  /** Closes the connection. */
  close() {
    this.socket?.destroy();
  }

  data(chunk) {
    const now = performance.now(); // one clock read per chunk: every line in it arrived together
    this.lastReceive = now;
    let text = this.rest + chunk;
    let start = 0;
    for (let end = text.indexOf('\n'); end !== -1; end = text.indexOf('\n', start)) {
      this.line(text.slice(start, end), now);
      start = end + 1;
    }
    this.rest = text.slice(start);
  }

  line(line, now) {
    if (line.startsWith(MESSAGE_PREFIX)) {
      const at = line.indexOf(CONTENT_KEY);
      if (at !== -1) {
        const from = at + CONTENT_KEY.length;
        const c1 = line.indexOf(':', from);
        const c2 = line.indexOf(':', c1 + 1);
        const end = line.indexOf('"', c2 + 1);
        this.onBenchMessage(Number(line.slice(from, c1)), Number(line.slice(c1 + 1, c2)), Number(line.slice(c2 + 1, end)), now);
        return;
      }
    }
    if (this.waiting && this.waiting(line)) return;
    if (line.startsWith('{"type":"error"')) this.errors.push(JSON.parse(line).message);
  }
}
