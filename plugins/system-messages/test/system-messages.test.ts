/** The system-messages plugin through real sockets (§4.6, D5, D11). */
import { expect } from 'chai';
import { fileURLToPath } from 'node:url';
import { LineClient, loggedIn, sleep, startServer, type PluginConfig, type TestServer } from '../../../test/helpers/index.js';

const PROBE = fileURLToPath(new URL('./fixtures/system-probe.ts', import.meta.url));
const TS = '"timestamp":"\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}"';
/** The exact wire line of a system message; `content` as it appears on the wire (ASCII-escaped). */
const systemLine = (escapedContent: string) =>
  new RegExp(`^\\{"type":"system","from":"server",${TS},"content":"${escapedContent.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&')}"\\}$`);
const system = (content: string) => ({ type: 'system', from: 'server', content });

/** Lets pending status events arrive, then discards them. */
async function drain(...clients: LineClient[]): Promise<void> {
  await sleep(150);
  for (const c of clients) while (c.pending > 0) await c.next();
}

function boot(options: Record<string, unknown> = {}, extra: Record<string, PluginConfig> = {}): Promise<TestServer> {
  return startServer({ plugins: { 'system-messages': { options }, 'system-probe': { path: PROBE }, ...extra } });
}

async function withServer(server: TestServer, fn: () => Promise<void>): Promise<void> {
  try {
    await fn();
  } finally {
    await server.stop();
    server.cleanup();
  }
}

describe('system-messages plugin', () => {
  it("answers a private message to someone not connected with walo's exact system line (D5)", async () => {
    const server = await boot();
    await withServer(server, async () => {
      const alice = await loggedIn(server.port, 'alice');
      alice.send({ type: 'message', content: 'tu es là ?', subtype: 'private', to: 'zoé' });
      expect(await alice.nextLine()).to.match(systemLine("L'utilisateur zo\\u00e9 n'est pas connect\\u00e9."));
      // A guest gets it too; it is named by then.
      const g = await LineClient.open(server.port);
      g.send({ type: 'message', subtype: 'private', from: 'Invité1', to: 'personne', content: 'x' });
      expect(await g.next()).to.deep.include(system("L'utilisateur personne n'est pas connecté."));
    });
  });

  it('sends nothing extra by default: no arrival, departure or welcome line (D11)', async () => {
    const server = await boot();
    await withServer(server, async () => {
      const alice = await loggedIn(server.port, 'alice');
      const bob = await loggedIn(server.port, 'bob');
      expect(await alice.next()).to.deep.equal({ type: 'status', user: 'bob', state: 'online' });
      bob.destroy();
      expect(await alice.next()).to.deep.equal({ type: 'status', user: 'bob', state: 'offline' });
      await alice.expectSilence(200);
    });
  });

  it('announces arrivals and departures exactly once per name, abrupt disconnects included, never to anonymous connections', async () => {
    const server = await boot({ announceArrivals: true, announceDepartures: true });
    await withServer(server, async () => {
      const anon = await LineClient.open(server.port);
      const alice = await loggedIn(server.port, 'alice');
      await alice.expectSilence(100); // nobody announces alice to herself
      const bob1 = await loggedIn(server.port, 'bob');
      expect(await alice.next()).to.deep.include(system('bob a rejoint le chat.'));
      expect(await alice.next()).to.deep.equal({ type: 'status', user: 'bob', state: 'online' });
      await bob1.expectSilence(100);
      const bob2 = await LineClient.open(server.port);
      expect(await bob2.request({ type: 'login', username: 'bob', password: 'pw-bob' })).to.include({ status: 'ok' });
      expect(await alice.next()).to.deep.equal({ type: 'status', user: 'bob', state: 'online' }); // core's, not ours
      await alice.expectSilence(150); // bob is already here: no second arrival

      bob1.destroy(); // abrupt, and bob still has a session
      await alice.expectSilence(200);
      bob2.destroy(); // his last session
      const lines = [await alice.next(), await alice.next()];
      expect(lines).to.deep.include({ type: 'status', user: 'bob', state: 'offline' });
      expect(lines.find((l) => l.type === 'system')).to.deep.include(system('bob a quitté le chat.'));
      await alice.expectSilence(250);

      // A guest arrives with its first message and departs with its socket.
      const g = await LineClient.open(server.port);
      g.send({ type: 'message', from: 'Invité7', content: 'salut' });
      expect(await alice.next()).to.deep.include(system('Invité7 a rejoint le chat.'));
      expect(await alice.next()).to.include({ type: 'message', content: 'salut' });
      g.destroy();
      const gone = [await alice.next(), await alice.next()];
      expect(gone.filter((l) => l.type === 'system')).to.have.length(1);
      await alice.expectSilence(200);
      expect(anon.received).to.deep.equal([]);
    });
  });

  it('fills the operator templates and sends the welcome line right after the login reply', async () => {
    const server = await boot({
      announceArrivals: true,
      arrivalText: '→ {user} est là ({user}) {inconnu}',
      welcome: true,
      welcomeText: 'Salut {user}, bon cours !',
    });
    await withServer(server, async () => {
      const alice = await LineClient.open(server.port);
      expect(await alice.request({ type: 'register', username: 'alice', password: 'pw' })).to.deep.equal({ type: 'register', status: 'ok' });
      expect(await alice.request({ type: 'login', username: 'alice', password: 'pw' })).to.deep.equal({ type: 'login', status: 'ok', username: 'alice' });
      expect(await alice.nextLine()).to.match(systemLine('Salut alice, bon cours !'));
      const zoe = await LineClient.open(server.port);
      await zoe.request({ type: 'register', username: 'Zoé', password: 'pw' });
      await zoe.request({ type: 'login', username: 'Zoé', password: 'pw' });
      expect(await zoe.next()).to.deep.include(system('Salut Zoé, bon cours !'));
      expect(await alice.nextLine()).to.match(systemLine('\\u2192 Zo\\u00e9 est l\\u00e0 (Zo\\u00e9) {inconnu}'));
      // A guest is not welcomed (there was no login reply to follow).
      const g = await LineClient.open(server.port);
      g.send({ type: 'message', from: 'Invité3', content: 'x' });
      await sleep(150);
      await g.expectSilence(100);
    });
  });

  it('sends the shutdown notice to named sessions while they are still open, and no departures', async () => {
    const server = await boot({ announceDepartures: true });
    const anon = await LineClient.open(server.port);
    const alice = await loggedIn(server.port, 'alice');
    const bob = await loggedIn(server.port, 'bob');
    await alice.next();
    const stopped = server.stop();
    expect(await alice.nextLine()).to.match(systemLine("Le serveur s'arr\\u00eate. \\u00c0 bient\\u00f4t !"));
    expect(await bob.next()).to.deep.include(system("Le serveur s'arrête. À bientôt !"));
    await Promise.all([alice.closed, bob.closed, anon.closed]);
    await stopped;
    server.cleanup();
    expect(alice.pending).to.equal(0); // the notice only: no departure for bob
    expect(anon.received).to.deep.equal([]);
  });

  it('can leave the shutdown notice off', async () => {
    const server = await boot({ shutdownNotice: false });
    const alice = await loggedIn(server.port, 'alice');
    await server.stop();
    await alice.closed;
    server.cleanup();
    expect(alice.pending).to.equal(0);
  });

  describe('the systemMessages service', () => {
    let server: TestServer;
    before(async () => {
      server = await boot({}, { channels: {} });
    });
    after(async () => {
      await server.stop();
      server.cleanup();
    });

    it('toAll reaches every named session once, never an anonymous one', async () => {
      const anon = await LineClient.open(server.port);
      const a1 = await loggedIn(server.port, 'all1');
      const a2 = await LineClient.open(server.port);
      await a2.request({ type: 'login', username: 'all1', password: 'pw-all1' });
      await drain(a1, a2);
      expect(await a1.request({ type: 'probe-system', via: 'all', content: 'à tous' })).to.deep.include(system('à tous'));
      expect(await a1.next()).to.deep.equal({ type: 'probe-system', done: true });
      expect(await a2.next()).to.deep.include(system('à tous'));
      await a2.expectSilence(150);
      await anon.expectSilence(0);
      for (const c of [anon, a1, a2]) c.destroy();
    });

    it('toUser reaches each session of that user; toSession and anonymous targets', async () => {
      const u1 = await loggedIn(server.port, 'user2');
      const u2 = await LineClient.open(server.port);
      await u2.request({ type: 'login', username: 'user2', password: 'pw-user2' });
      const other = await loggedIn(server.port, 'other2');
      const anon = await LineClient.open(server.port);
      await drain(u1, u2, other);
      other.send({ type: 'probe-system', via: 'user', target: 'user2', content: 'pour toi' });
      expect(await u1.next()).to.deep.include(system('pour toi'));
      expect(await u2.next()).to.deep.include(system('pour toi'));
      expect(await other.next()).to.deep.equal({ type: 'probe-system', done: true });
      expect(await other.request({ type: 'probe-system', via: 'session', content: 'à moi' })).to.deep.include(system('à moi'));
      await other.next();
      expect(await other.request({ type: 'probe-system', via: 'anonymous', content: 'jamais' })).to.deep.equal({ type: 'probe-system', done: true });
      await anon.expectSilence(150);
      for (const c of [u1, u2, other, anon]) c.destroy();
    });

    it('toChannel reaches the members of that channel only', async () => {
      const dev = await loggedIn(server.port, 'dev3');
      const gen = await loggedIn(server.port, 'gen3');
      await dev.next();
      await dev.request({ type: 'join', channel: '#dev' });
      gen.send({ type: 'probe-system', via: 'channel', target: '#dev', content: 'au canal' });
      expect(await dev.next()).to.deep.include(system('au canal'));
      expect(await gen.next()).to.deep.equal({ type: 'probe-system', done: true });
      await gen.expectSilence(100);
      dev.destroy();
      gen.destroy();
    });
  });

  it('toChannel goes quiet when the channels plugin is off', async () => {
    const server = await boot();
    await withServer(server, async () => {
      const a = await loggedIn(server.port, 'a');
      const b = await loggedIn(server.port, 'b');
      await a.next();
      expect(await a.request({ type: 'probe-system', via: 'channel', target: '#général', content: 'x' })).to.deep.equal({ type: 'probe-system', done: true });
      await b.expectSilence(150);
    });
  });
});
