/** word-filter: masking and blocking through real sockets, and the matching alone. */
import { expect } from 'chai';
import { fileURLToPath } from 'node:url';
import { loggedIn, startServer, type LineClient, type TestServer } from '../../../core/testing/index.js';
import { WordFilter } from '../word-filter/filter.js';

const PLUGIN = fileURLToPath(new URL('../word-filter/index.ts', import.meta.url));

/** Two users logged in on a server with the filter in `mode`; `a` already saw `b` arrive. */
async function pair(mode: 'mask' | 'block'): Promise<{ server: TestServer; a: LineClient; b: LineClient }> {
  const server = await startServer({ plugins: { 'word-filter': { path: PLUGIN, options: { words: ['patate', 'idiot'], mode } } } });
  const a = await loggedIn(server.port, 'alice');
  const b = await loggedIn(server.port, 'bob');
  await a.next(); // bob's `online` status
  return { server, a, b };
}

describe('example: word-filter', function () {
  let running: Awaited<ReturnType<typeof pair>> | undefined;
  afterEach(async () => {
    if (!running) return;
    running.a.destroy();
    running.b.destroy();
    await running.server.stop();
    running.server.cleanup();
    running = undefined;
  });

  it('mask: rewrites listed words in public and private messages, whatever their case or accents', async () => {
    running = await pair('mask');
    const { a, b } = running;
    a.send({ type: 'message', subtype: 'global', content: 'Quel IDIOT, ce patate-là' });
    expect(await b.next()).to.include({ type: 'message', from: 'alice', content: 'Quel *****, ce ******-là' });
    a.send({ type: 'message', subtype: 'private', to: 'bob', content: 'ïdiot' });
    expect(await b.next()).to.include({ subtype: 'private', content: '*****' });
    a.send({ type: 'message', content: 'idiotie et patates' }); // whole words only
    expect(await b.next()).to.include({ content: 'idiotie et patates' });
  });

  it('block: refuses the message with an error line to the sender; nobody else sees it', async () => {
    running = await pair('block');
    const { a, b } = running;
    expect(await a.request({ type: 'message', content: 'espèce de Patate' })).to.deep.equal({ type: 'error', message: 'Message refused: mind your language.' });
    await b.expectSilence(200);
    a.send({ type: 'message', content: 'bonjour' });
    expect(await b.next()).to.include({ from: 'alice', content: 'bonjour' });
  });

  it('matches whole words, ignoring case and accents, and masks one character per letter', () => {
    const f = new WordFilter(['idiot', 'Crétin'], '#');
    expect(f.mask('idiot, Idiot! IDIOTS idiote')).to.equal('#####, #####! IDIOTS idiote');
    expect(f.mask('cretin crétin CRÉTIN cre\u0301tin')).to.equal('###### ###### ###### ######');
    expect(f.matches('rien à signaler')).to.equal(false);
    expect(f.matches('un idiot')).to.equal(true);
    expect(new WordFilter([]).mask('idiot')).to.equal('idiot');
  });
});
