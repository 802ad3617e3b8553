/** Output leaves once per event-loop turn per session, after the onBeforeFlush observers. */
import { expect } from 'chai';
import { existsSync, readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { ROOT, startServer } from './helpers/index.js';

describe('per-turn flush', () => {
  it('writes a turn\'s lines in one write, after onBeforeFlush ran', async () => {
    const server = await startServer({ plugins: { 'flush-probe': { path: join(ROOT, 'test/fixtures/plugins/flush-probe.ts') } } });
    const log = join(server.dir, 'flushes.log');
    try {
      const socket = connect(server.port, '127.0.0.1');
      await new Promise((done) => socket.once('connect', done));
      const chunks: string[] = [];
      let flushedBeforeData: boolean | undefined;
      socket.on('data', (d: Buffer) => {
        // The observer's file write happens before the socket write, so it is there when data arrives.
        flushedBeforeData ??= existsSync(log) && readFileSync(log, 'utf8').trim() !== '';
        chunks.push(d.toString());
      });
      socket.write('{"type":"burst","n":5}\n');
      const deadline = Date.now() + 3000;
      while (chunks.join('').split('\n').length < 6 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
      const lines = chunks.join('').trim().split('\n').map((l) => JSON.parse(l) as { i: number });
      expect(lines.map((l) => l.i)).to.deep.equal([0, 1, 2, 3, 4]);
      expect(chunks).to.have.length(1); // one write for the whole turn (loopback delivers it whole)
      expect(flushedBeforeData).to.equal(true);
      expect(readFileSync(log, 'utf8').trim().split('\n')).to.deep.equal(['1']); // once, for one session
      socket.destroy();
    } finally {
      await server.stop();
      server.cleanup();
    }
  });
});
