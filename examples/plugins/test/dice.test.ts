/** dice (plain JavaScript): `!roll` through real sockets, its parser alone, and its JSDoc types checked by tsc. */
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { LineClient, loggedIn, ROOT, startServer, type TestServer } from '../../../core/testing/index.js';

const PLUGIN = fileURLToPath(new URL('../dice/index.js', import.meta.url));

/** The parser's contract as seen from TypeScript (the repository's tsconfig does not read .js files). */
type ParseRoll = (content: unknown, defaultSides: number, maxSides: number) => { sides: number } | { error: string } | undefined;
const ROLL = new URL('../dice/roll.js', import.meta.url).href;
const { parseRoll } = (await import(ROLL)) as { parseRoll: ParseRoll };

describe('example: dice (JavaScript)', function () {
  let server: TestServer;
  const clients: LineClient[] = [];

  before(async () => {
    server = await startServer({ plugins: { dice: { path: PLUGIN, options: { maxSides: 100 } } } });
  });
  afterEach(() => clients.splice(0).forEach((c) => c.destroy()));
  after(async () => {
    await server.stop();
    server.cleanup();
  });

  it('answers !roll to everyone, the roller included, with a throw of the default d6; the command itself is not shown', async () => {
    const alice = await loggedIn(server.port, 'alice');
    const bob = await loggedIn(server.port, 'bob');
    clients.push(alice, bob);
    await alice.next(); // bob's `online` status
    alice.send({ type: 'message', subtype: 'global', content: '!roll' });
    const [mine, theirs] = [await alice.next(), await bob.next()];
    expect(mine).to.deep.equal(theirs);
    expect(mine).to.include({ type: 'system', from: 'server' });
    const m = /^🎲 alice rolls (\d+) \(d6\)$/u.exec(mine.content as string);
    expect(m, String(mine.content)).to.not.equal(null);
    expect(Number(m![1])).to.be.within(1, 6);
    await bob.expectSilence(150); // no `!roll` message line after the result
  });

  it('rolls the asked die, stays in range, and refuses a bad size with an error line to the sender only', async () => {
    const carol = await loggedIn(server.port, 'carol');
    clients.push(carol);
    const seen = new Set<number>();
    for (let i = 0; i < 40; i++) {
      const line = await carol.request({ type: 'message', content: '!roll 3' });
      seen.add(Number(/rolls (\d+) \(d3\)$/.exec(line.content as string)![1]));
    }
    expect([...seen].sort()).to.deep.equal([1, 2, 3]); // 40 throws of a d3 miss a face with p ≈ 3·(2/3)^40
    expect(await carol.request({ type: 'message', content: '!roll 101' })).to.deep.equal({ type: 'error', message: 'Usage: !roll [sides], sides from 2 to 100.' });
  });

  it('leaves other messages, private ones and a guest’s first line to core', async () => {
    const dave = await loggedIn(server.port, 'dave');
    const erin = await loggedIn(server.port, 'erin');
    clients.push(dave, erin);
    await dave.next(); // erin's `online` status
    dave.send({ type: 'message', content: '!rolling stones' });
    expect(await erin.next()).to.include({ type: 'message', from: 'dave', content: '!rolling stones' });
    dave.send({ type: 'message', subtype: 'private', to: 'erin', content: '!roll' });
    expect(await erin.next()).to.include({ type: 'message', subtype: 'private', from: 'dave', content: '!roll' });
    const guest = await LineClient.open(server.port);
    clients.push(guest);
    guest.send({ type: 'message', from: 'zed', content: '!roll' });
    expect(await erin.next()).to.include({ type: 'message', from: 'zed', content: '!roll' }); // named by it, delivered as text
  });

  it('parses the command alone', () => {
    expect(parseRoll('!roll', 6, 100)).to.deep.equal({ sides: 6 });
    expect(parseRoll('  !roll 20 ', 6, 100)).to.deep.equal({ sides: 20 });
    expect(parseRoll('!roll 1', 6, 100)).to.have.property('error');
    expect(parseRoll('!roll 2.5', 6, 100)).to.have.property('error');
    expect(parseRoll('!roll x', 6, 100)).to.have.property('error');
    expect(parseRoll('!roller', 6, 100)).to.equal(undefined);
    expect(parseRoll('hello !roll', 6, 100)).to.equal(undefined);
    expect(parseRoll(42, 6, 100)).to.equal(undefined);
  });

  it('type-checks as JavaScript through // @ts-check and its JSDoc types', function () {
    this.timeout(60_000);
    const tsc = spawnSync(process.execPath, [`${ROOT}/node_modules/typescript/bin/tsc`, '--noEmit', '--allowJs', '--checkJs', '--strict', '--noImplicitReturns',
      '--target', 'ES2022', '--module', 'NodeNext', '--moduleResolution', 'NodeNext', '--skipLibCheck', '--types', 'node', PLUGIN], { encoding: 'utf8' });
    expect(tsc.stdout + tsc.stderr).to.equal('');
    expect(tsc.status).to.equal(0);
  });
});
