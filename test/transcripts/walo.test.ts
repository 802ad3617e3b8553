/** The recorded walo-*.jsonl conformance transcripts, against the shipped config.json. */
import { basename } from 'node:path';
import { startShipped } from './shipped-server.js';
import type { TestServer } from '../helpers/index.js';
import { expectReplayPasses, TRANSCRIPTS, transcriptFiles } from './fixtures.js';

describe('transcripts: walo (shipped config.json)', () => {
  let server: TestServer;

  before(async () => {
    server = await startShipped();
  });
  after(async () => {
    await server?.stop();
    server?.cleanup();
  });

  for (const file of transcriptFiles(TRANSCRIPTS, 'walo-')) {
    it(basename(file), async () => {
      await expectReplayPasses(file, { port: server.port });
    });
  }
});
