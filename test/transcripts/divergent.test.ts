/**
 * Our behaviour where the reference diverges: the hand-written replacement/*.jsonl transcripts,
 * each derived from a divergent/*.jsonl file (header `derivedFrom`), replayed as conformance tests.
 */
import { expect } from 'chai';
import { existsSync } from 'node:fs';
import { basename, join } from 'node:path';
import { startServer, type TestServer } from '../helpers/index.js';
import { expectReplayPasses, REPLACEMENT, TRANSCRIPTS, transcriptFiles } from './fixtures.js';
import { loadTranscript } from './runner.js';
import { startShipped } from './shipped-server.js';

function replacementSuite(prefix: 'base-' | 'walo-', title: string, start: () => Promise<TestServer>): void {
  describe(title, () => {
    let server: TestServer;

    before(async () => {
      server = await start();
    });
    after(async () => {
      await server?.stop();
      server?.cleanup();
    });

    for (const file of transcriptFiles(REPLACEMENT, prefix)) {
      it(basename(file), async () => {
        const { header } = loadTranscript(file);
        expect(header.conformance, 'a replacement is a conformance transcript').to.equal(true);
        expect(existsSync(join(TRANSCRIPTS, String(header.derivedFrom))), `derivedFrom ${header.derivedFrom}`).to.equal(true);
        await expectReplayPasses(file, { port: server.port });
      });
    }
  });
}

describe('transcripts: replacements of the divergent reference behaviour', () => {
  replacementSuite('base-', 'base (every plugin off)', () => startServer({ plugins: {} }));
  replacementSuite('walo-', 'walo (shipped config.json)', startShipped);
});
