import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LineClient, loggedIn, sleep, startServer } from '../../../test/helpers/index.js';

type Entry = Record<string, unknown>;
const readActivity = (file: string): Entry[] =>
  readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Entry);

describe('logging plugin', () => {
  it('writes connects with IP, logins, one line per received message, errors and leaves', async () => {
    const server = await startServer({ plugins: { logging: { options: { file: 'logs/activity.log' } } } });
    const file = join(server.dir, 'data/logs/activity.log'); // dataDir defaults to ./data
    try {
      const alice = await loggedIn(server.port, 'alice');
      const b = await loggedIn(server.port, 'bob');
      const c = await loggedIn(server.port, 'carol');
      await alice.next();
      await alice.next();
      alice.send({ type: 'message', subtype: 'global', content: 'à tous' });
      await b.next();
      expect(await alice.request('pas du json')).to.deep.equal({ type: 'error', message: 'Invalid JSON.' });
      alice.destroy();
      await b.next();
      await Promise.all([b.close(), c.close()]);
      await sleep(100);
    } finally {
      expect((await server.stop()).code).to.equal(0); // close() flushes the file
    }
    const entries = readActivity(file);
    const events = entries.map((e) => e.event);
    expect(entries.every((e) => typeof e.time === 'string' && !Number.isNaN(Date.parse(e.time as string)))).to.equal(true);
    expect(events.filter((e) => e === 'connect')).to.have.length(3);
    expect(entries.find((e) => e.event === 'connect')).to.include({ ip: '127.0.0.1' });
    expect(entries.filter((e) => e.event === 'login').map((e) => e.user)).to.deep.equal(['alice', 'bob', 'carol']);
    // One line per received message, not one per recipient (two recipients here).
    const messages = entries.filter((e) => e.event === 'received' && e.type === 'message');
    expect(messages).to.have.length(1);
    expect(messages[0]).to.include({ user: 'alice', subtype: 'global', content: 'à tous' });
    expect(entries.find((e) => e.event === 'error')).to.include({ user: 'alice', message: 'Invalid JSON.' });
    expect(entries.filter((e) => e.event === 'leave').map((e) => e.user)).to.have.members(['alice', 'bob', 'carol']);
    // Passwords never reach the activity log.
    expect(readFileSync(file, 'utf8')).not.to.contain('pw-alice');
    server.cleanup();
  });

  it('can log to stdout only and leave message texts out', async () => {
    const server = await startServer({ plugins: { logging: { options: { file: '', stdout: true, includeContent: false } } } });
    const sent = { type: 'message', content: 'secret text' };
    try {
      const g = await LineClient.open(server.port);
      const peer = await loggedIn(server.port, 'peer');
      g.send(sent);
      await peer.next();
      await sleep(100);
    } finally {
      await server.stop();
    }
    const received = server.logs().filter((l) => l.event === 'received');
    expect(received.length).to.be.at.least(1);
    expect(received.find((l) => l.type === 'message')).to.include({ bytes: JSON.stringify(sent).length }).and.not.have.property('content');
    expect(server.stdout()).not.to.contain('secret text');
    server.cleanup();
  });
});
