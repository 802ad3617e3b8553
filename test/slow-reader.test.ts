/** A client that stops reading is dropped past its send-queue cap; everyone else carries on. */
import { expect } from 'chai';
import { loggedIn, rssBytes, startServer, type TestServer } from './helpers/index.js';

describe('slow readers', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer({ config: { server: { sendQueueBytes: 65536 } } });
  });
  after(async () => {
    await server.stop();
    server.cleanup();
  });

  it('drops a client that stops reading, keeps memory bounded and the sender connected', async function () {
    this.timeout(30_000);
    const stalled = await loggedIn(server.port, 'stalled');
    const reader = await loggedIn(server.port, 'reader');
    const sender = await loggedIn(server.port, 'sender');
    stalled.socket.pause(); // never reads again
    await reader.next(); // sender online
    const before = rssBytes(server.pid);
    const content = 'z'.repeat(8000);
    let rounds = 0;
    // Send until the server gives up on the stalled client (kernel buffers absorb the first MBs).
    while (!server.logs().some((l) => l.msg === 'send queue full; dropping slow reader') && rounds < 400) {
      for (let i = 0; i < 50; i++) sender.send({ type: 'message', content });
      sender.send({ type: 'users' });
      while ((await sender.next(10_000)).type !== 'users'); // the barrier; may follow stalled's offline
      for (let got = 0; got < 50; ) if ((await reader.next(10_000)).type === 'message') got++;
      rounds++;
    }
    const offline = { type: 'status', user: 'stalled', state: 'offline' };
    await reader.expectSilence(100);
    for (const c of [reader, sender]) expect(c.received.filter((m) => JSON.stringify(m) === JSON.stringify(offline)), 'one offline').to.have.length(1);
    expect(server.logs().filter((l) => l.msg === 'send queue full; dropping slow reader')).to.have.length(1);
    const users = await reader.request({ type: 'users' });
    expect(users).to.deep.include({ users: ['reader', 'sender'] });
    expect(rssBytes(server.pid) - before).to.be.below(64 * 1024 * 1024);
    sender.send({ type: 'message', content: 'after' });
    expect(await reader.next()).to.include({ content: 'after' });
    stalled.destroy();
  });
});
