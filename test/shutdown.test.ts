/** Graceful SIGTERM/SIGINT: queued lines reach clients, sockets close, exit 0 within 6 s. */
import { expect } from 'chai';
import { join } from 'node:path';
import { LineClient, loggedIn, sleep, startServer } from './helpers/index.js';
import { writeFileSync } from 'node:fs';

describe('shutdown', () => {
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`${signal} with connected clients: queued lines arrive, sockets close, exit 0 within 6 s`, async () => {
      const server = await startServer();
      try {
        const alice = await loggedIn(server.port, 'alice');
        const bob = await loggedIn(server.port, 'bob');
        await alice.next(); // bob online
        const anon = await LineClient.open(server.port);
        // Alice stops reading, bob's burst is handled (the users reply proves it), so 200 lines
        // sit in alice's send queue when the signal arrives; she must still get every one.
        alice.socket.pause();
        const burst = 200;
        for (let i = 0; i < burst; i++) bob.send({ type: 'message', content: `m${i} ${'x'.repeat(200)}` });
        expect(await bob.request({ type: 'users' }, 5000)).to.have.property('type', 'users');
        const started = Date.now();
        const stopped = server.stop(signal);
        await sleep(300);
        alice.socket.resume();
        const result = await stopped;
        expect(Date.now() - started).to.be.below(6000);
        expect(result).to.deep.equal({ code: 0, signal: null });
        await Promise.all([alice.closed, bob.closed, anon.closed]);
        const got = alice.received.filter((m) => (m as { type?: string }).type === 'message').map((m) => (m as { content: string }).content);
        expect(got).to.have.length(burst);
        expect(got.map((c) => c.split(' ')[0])).to.deep.equal(Array.from({ length: burst }, (_, i) => `m${i}`));
        expect(server.logs().map((l) => l.msg)).to.include.members(['shutting down', 'stopped']);
      } finally {
        server.cleanup();
      }
    });
  }

  it('a second SIGTERM exits at once, even while a plugin holds the shutdown', async () => {
    // A plugin whose onServerStop never finishes: only the second signal can end the process.
    const server = await startServer({ plugins: {} });
    const plugin = join(server.dir, 'stuck.mjs');
    writeFileSync(
      plugin,
      `export default { name: 'stuck', version: '0.0.1', description: 'never stops', optionsSchema: { type: 'object' },
        apply(ctx) { ctx.hooks.onServerStop.tapPromise('stuck', () => new Promise(() => {})); } };`,
    );
    await server.stop();
    const stuck = await startServer({ dir: server.dir, plugins: { stuck: { path: plugin } } });
    try {
      await loggedIn(stuck.port, 'alice');
      stuck.process.kill('SIGTERM');
      await sleep(300);
      expect(stuck.process.exitCode).to.equal(null); // still waiting on the stuck plugin
      const started = Date.now();
      stuck.process.kill('SIGTERM');
      const result = await stuck.exited;
      expect(Date.now() - started).to.be.below(1000);
      expect(result.code).to.equal(1);
      expect(stuck.logs().some((l) => l.msg === 'second signal: exiting now')).to.equal(true);
    } finally {
      await stuck.stop('SIGKILL');
      server.cleanup();
    }
  });
});
