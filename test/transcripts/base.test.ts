/** The recorded base-*.jsonl conformance transcripts, against a server with every feature plugin off. */
import { basename } from 'node:path';
import { startServer, type TestServer } from '../helpers/index.js';
import { expectReplayPasses, TRANSCRIPTS, transcriptFiles } from './fixtures.js';

describe('transcripts: base (every plugin off)', () => {
  let server: TestServer;

  before(async () => {
    server = await startServer({ plugins: {} });
  });
  after(async () => {
    await server?.stop();
    server?.cleanup();
  });

  for (const file of transcriptFiles(TRANSCRIPTS, 'base-')) {
    it(basename(file), async () => {
      await expectReplayPasses(file, { port: server.port });
    });
  }
});
