/** The channels plugin through real sockets (§7.2, §7.3, D6). */
import { expect } from 'chai';
import { fileURLToPath } from 'node:url';
import { LineClient, loggedIn, sleep, startServer, type PluginConfig, type TestServer } from '../../../test/helpers/index.js';

const PROBE = fileURLToPath(new URL('./fixtures/channel-probe.ts', import.meta.url));
const OPERATOR_CHANNELS = [{ name: '#général' }, { name: '#dev' }, { name: '#admin', allowedUsers: ['prof'] }, { name: '#annonces', readOnly: true }];

function boot(extra: Record<string, PluginConfig> = {}, options: Record<string, unknown> = {}): Promise<TestServer> {
  return startServer({
    plugins: { channels: { options: { channels: OPERATOR_CHANNELS, maxChannels: 8, ...options } }, 'channel-probe': { path: PROBE }, ...extra },
  });
}

/** A guest whose first message went to `channel` (so it is in that channel only). */
async function guestIn(port: number, name: string, channel: string): Promise<LineClient> {
  const g = await LineClient.open(port);
  g.send({ type: 'message', channel, from: name, content: `${name} arrive` });
  return g;
}

const probe = async (c: LineClient, request: Record<string, unknown>) => (await c.request(request)).result as never;

describe('channels plugin', function () {
  let server: TestServer;
  const clients: LineClient[] = [];
  const track = <T extends LineClient>(c: T): T => (clients.push(c), c);

  before(async () => {
    server = await boot();
  });
  afterEach(() => {
    for (const c of clients.splice(0)) c.destroy();
  });
  after(async () => {
    await server.stop();
    server.cleanup();
  });

  it('isolates channels: a #dev-only guest and #général-only members never see each other (§7.2)', async () => {
    const alice = track(await loggedIn(server.port, 'alice1'));
    const bob = track(await loggedIn(server.port, 'bob1'));
    expect(await alice.next()).to.deep.equal({ type: 'status', user: 'bob1', state: 'online' });
    const g = track(await guestIn(server.port, 'devg1', '#dev'));
    await alice.expectSilence(150);
    await bob.expectSilence(0);

    expect(await bob.request({ type: 'join', channel: '#dev' })).to.deep.equal({ type: 'join', status: 'ok', channel: '#dev' });
    expect(await bob.next()).to.deep.equal({ type: 'history', channel: '#dev' }); // the probe's join listener

    g.send({ type: 'message', channel: '#dev', content: 'dans dev' });
    expect(await bob.next()).to.include({ type: 'message', channel: '#dev', from: 'devg1', content: 'dans dev' });

    alice.send({ type: 'message', subtype: 'global', to: 'global', content: 'dans général' });
    const general = await bob.next();
    expect(general).to.include({ from: 'alice1', content: 'dans général' });
    expect(general).not.to.have.property('channel'); // D1: never added

    alice.send({ type: 'status', state: 'away' });
    expect(await bob.next()).to.deep.equal({ type: 'status', user: 'alice1', state: 'away' });

    bob.send({ type: 'message', channel: '#dev', content: 'réponse', color: 'red' });
    expect(await g.next()).to.deep.include({ type: 'message', channel: '#dev', content: 'réponse', color: 'red', from: 'bob1' });

    bob.destroy();
    expect(await alice.next()).to.deep.equal({ type: 'status', user: 'bob1', state: 'offline' });
    await g.expectSilence(200); // status events flow in #général only
    await alice.expectSilence(0);
  });

  it('carries private messages across channels and joins nobody to anything (D6)', async () => {
    const alice = track(await loggedIn(server.port, 'alice2'));
    const g = track(await guestIn(server.port, 'devg2', '#dev'));
    await sleep(100);
    g.send({ type: 'message', subtype: 'private', to: 'alice2', content: 'mp depuis dev' });
    expect(await alice.next()).to.include({ subtype: 'private', from: 'devg2', content: 'mp depuis dev' });
    alice.send({ type: 'message', subtype: 'private', to: 'devg2', channel: '#privé', content: 'mp vers dev' });
    expect(await g.next()).to.deep.include({ subtype: 'private', channel: '#privé', from: 'alice2', content: 'mp vers dev' });
    expect((await alice.request({ type: 'channels' })).channels).not.to.include('#privé');
    expect(await probe(alice, { type: 'probe-state' })).to.deep.include({ mine: ['#général'] });
    expect(await probe(g, { type: 'probe-state' })).to.deep.include({ mine: ['#dev'] });
  });

  it('answers join, leave, channels and who in the §7.3 shapes', async () => {
    const carol = track(await loggedIn(server.port, 'carol3'));
    expect(await carol.request({ type: 'channels' })).to.deep.equal({ type: 'channels', channels: ['#général', '#dev', '#admin', '#annonces'] });
    carol.send({ type: 'channels' });
    expect(await carol.nextLine()).to.equal('{"type":"channels","channels":["#g\\u00e9n\\u00e9ral","#dev","#admin","#annonces"]}');

    carol.send({ type: 'join', channel: '#jeux' });
    expect(await carol.nextLine()).to.equal('{"type":"join","status":"ok","channel":"#jeux"}');
    await carol.next(); // history (probe)
    const carol2 = track(await LineClient.open(server.port));
    expect(await carol2.request({ type: 'login', username: 'carol3', password: 'pw-carol3' })).to.include({ status: 'ok' });
    await carol2.request({ type: 'join', channel: '#jeux' });
    await carol2.next();
    const dan = track(await loggedIn(server.port, 'dan3'));
    await dan.request({ type: 'join', channel: '#jeux' });
    await dan.next();
    dan.send({ type: 'who', channel: '#jeux' });
    expect(await dan.nextLine()).to.equal('{"type":"who","channel":"#jeux","users":["carol3","dan3"]}'); // each name once (D7)
    expect((await dan.request({ type: 'channels' })).channels).to.deep.equal(['#général', '#dev', '#admin', '#annonces', '#jeux']);
    expect(await dan.request({ type: 'who', channel: '#vide' })).to.deep.equal({ type: 'who', channel: '#vide', users: [] });

    dan.send({ type: 'leave', channel: '#jeux' });
    expect(await dan.nextLine()).to.equal('{"type":"leave","status":"ok","channel":"#jeux"}');
    expect(await dan.request({ type: 'leave', channel: '#jeux' })).to.deep.equal({ type: 'error', message: 'Not a member of #jeux.' });
    dan.send({ type: 'leave', channel: '#général' });
    expect(await dan.nextLine()).to.equal('{"type":"error","message":"Cannot leave #g\\u00e9n\\u00e9ral."}');
    await carol.request({ type: 'leave', channel: '#jeux' });
    carol2.destroy(); // the last member goes abruptly: the client channel disappears (D6)
    await sleep(150);
    expect((await dan.request({ type: 'channels' })).channels).to.deep.equal(['#général', '#dev', '#admin', '#annonces']);
  });

  it('refuses bad channel names with Invalid channel. and does not deliver such a message', async () => {
    const eve = track(await loggedIn(server.port, 'eve4'));
    const fred = track(await loggedIn(server.port, 'fred4'));
    await eve.next();
    for (const channel of ['dev', '#', '#a b', '#' + 'x'.repeat(32), 42, null, ['#dev']]) {
      expect(await eve.request({ type: 'join', channel }), JSON.stringify(channel)).to.deep.equal({ type: 'error', message: 'Invalid channel.' });
      expect(await eve.request({ type: 'message', channel, content: 'perdu' })).to.deep.equal({ type: 'error', message: 'Invalid channel.' });
    }
    expect(await eve.request({ type: 'who', channel: 'général' })).to.deep.equal({ type: 'error', message: 'Invalid channel.' });
    expect(await eve.request({ type: 'leave', channel: '' })).to.deep.equal({ type: 'error', message: 'Invalid channel.' });
    expect(await eve.request({ type: 'join' })).to.deep.equal({ type: 'error', message: 'Missing field: channel.' });
    await fred.expectSilence(100);
    // A guest whose first message is refused stays anonymous.
    const g = track(await LineClient.open(server.port));
    expect(await g.request({ type: 'message', channel: 'x', from: 'badg4', content: 'x' })).to.deep.equal({ type: 'error', message: 'Invalid channel.' });
    expect((await g.request({ type: 'users' })).users).not.to.include('badg4');
  });

  it('answers anonymous connections: channels and who yes, join and leave no', async () => {
    const a = track(await LineClient.open(server.port));
    expect(await a.request({ type: 'join', channel: '#dev' })).to.deep.equal({ type: 'error', message: 'Not logged in.' });
    expect(await a.request({ type: 'leave', channel: '#dev' })).to.deep.equal({ type: 'error', message: 'Not logged in.' });
    expect((await a.request({ type: 'channels' })).type).to.equal('channels');
    expect((await a.request({ type: 'who', channel: '#dev' })).type).to.equal('who');
  });

  it('restricts #admin to listed accounts, guests included, and keeps read-only channels read-only', async () => {
    const prof = track(await loggedIn(server.port, 'prof'));
    const alice = track(await loggedIn(server.port, 'alice5'));
    await prof.next();
    expect(await prof.request({ type: 'join', channel: '#admin' })).to.deep.equal({ type: 'join', status: 'ok', channel: '#admin' });
    await prof.next();
    const refused = { type: 'error', message: 'Channel #admin is restricted.' };
    expect(await alice.request({ type: 'join', channel: '#admin' })).to.deep.equal(refused);
    expect(await alice.request({ type: 'message', channel: '#admin', content: 'je peux ?' })).to.deep.equal(refused);
    expect(await alice.request({ type: 'who', channel: '#admin' })).to.deep.equal(refused);
    expect(await prof.request({ type: 'who', channel: '#admin' })).to.deep.equal({ type: 'who', channel: '#admin', users: ['prof'] });
    const g = track(await LineClient.open(server.port));
    expect(await g.request({ type: 'message', channel: '#admin', from: 'intrus5', content: 'x' })).to.deep.equal(refused);
    await prof.expectSilence(100);

    expect(await alice.request({ type: 'join', channel: '#annonces' })).to.include({ status: 'ok' });
    await alice.next();
    expect(await alice.request({ type: 'message', channel: '#annonces', content: 'x' })).to.deep.equal({
      type: 'error',
      message: 'Channel #annonces is read-only.',
    });
  });

  it('caps the number of channels (maxChannels) and frees a slot when a client channel empties', async () => {
    const hugo = track(await loggedIn(server.port, 'hugo6'));
    for (const c of ['#c1', '#c2', '#c3', '#c4']) {
      expect(await hugo.request({ type: 'join', channel: c })).to.include({ status: 'ok' });
      await hugo.next();
    }
    const full = { type: 'error', message: 'Too many channels.' };
    expect(await hugo.request({ type: 'join', channel: '#c5' })).to.deep.equal(full);
    expect(await hugo.request({ type: 'message', channel: '#c6', content: 'x' })).to.deep.equal(full);
    await hugo.request({ type: 'leave', channel: '#c1' });
    expect(await hugo.request({ type: 'join', channel: '#c5' })).to.include({ status: 'ok' });
  });

  it('reports joins to service listeners: implicit on login and first message, explicit after the join reply', async () => {
    await probe(track(await LineClient.open(server.port)), { type: 'probe-joins' }); // drain earlier tests' joins
    const ivy = track(await loggedIn(server.port, 'ivy7'));
    const g = track(await guestIn(server.port, 'devg7', '#dev'));
    await sleep(100);
    ivy.send({ type: 'join', channel: '#dev' });
    expect(await ivy.next()).to.deep.equal({ type: 'join', status: 'ok', channel: '#dev' }); // reply first…
    expect(await ivy.next()).to.deep.equal({ type: 'history', channel: '#dev' }); // …then the listener's lines
    await ivy.request({ type: 'join', channel: '#dev' }); // already a member: still answered, still explicit
    await ivy.next();
    ivy.send({ type: 'message', channel: '#dev', content: 'déjà membre' }); // no new membership, no event
    await g.next();
    const joins = (await probe(ivy, { type: 'probe-joins' })) as Array<{ user: string }>;
    expect(joins.filter((j) => j.user === 'ivy7' || j.user === 'devg7')).to.deep.equal([
      { user: 'ivy7', channel: '#général', explicit: false },
      { user: 'devg7', channel: '#dev', explicit: false },
      { user: 'ivy7', channel: '#dev', explicit: true },
      { user: 'ivy7', channel: '#dev', explicit: true },
    ]);
    // A guest that logs in later also joins #général and keeps its channel.
    await g.request({ type: 'register', username: 'jo7', password: 'pw-jo7' });
    await g.request({ type: 'login', username: 'jo7', password: 'pw-jo7' });
    expect(await probe(g, { type: 'probe-state' })).to.deep.include({ mine: ['#dev', '#général'] });
  });

  it('creates channels at runtime through the service; they stay when empty and can be restricted later', async () => {
    const kim = track(await loggedIn(server.port, 'kim8'));
    expect(await probe(kim, { type: 'probe-create', channel: '#projet' })).to.include('#projet');
    expect(await kim.request({ type: 'join', channel: '#projet' })).to.include({ status: 'ok' });
    await kim.next();
    await kim.request({ type: 'leave', channel: '#projet' });
    expect((await kim.request({ type: 'channels' })).channels).to.include('#projet');
    await kim.request({ type: 'join', channel: '#projet' });
    await kim.next();
    await probe(kim, { type: 'probe-create', channel: '#projet', options: { allowedUsers: ['prof'] } });
    expect(await probe(kim, { type: 'probe-state' })).to.deep.include({ mine: ['#général'] });
    expect(await probe(kim, { type: 'probe-join', channel: '#projet' })).to.equal(false);
    expect(await probe(kim, { type: 'probe-leave', channel: '#général' })).to.equal(false);
    expect(await probe(kim, { type: 'probe-join', channel: '#libre' })).to.equal(true);
    expect(await probe(kim, { type: 'probe-leave', channel: '#libre' })).to.equal(true);
  });
});

describe('channels plugin: closing a channel', () => {
  const TIMESTAMP = '"timestamp":"\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}"';

  it('tells the members with the walo system line (system-messages on) and removes the channel', async () => {
    const server = await boot({ 'system-messages': {} });
    try {
      const alice = await loggedIn(server.port, 'alice');
      const bob = await loggedIn(server.port, 'bob');
      const carol = await loggedIn(server.port, 'carol');
      await alice.next();
      await alice.next();
      await bob.next();
      for (const c of [alice, bob]) {
        await c.request({ type: 'join', channel: '#dev' });
        await c.next();
      }
      alice.send({ type: 'probe-close', channel: '#dev' });
      const line = new RegExp(`^\\{"type":"system","from":"server",${TIMESTAMP},"content":"Le canal #dev a \\\\u00e9t\\\\u00e9 ferm\\\\u00e9 par l'admin\\."\\}$`);
      expect(await alice.nextLine()).to.match(line);
      expect(await alice.next()).to.deep.equal({ type: 'probe-close', result: true });
      expect(await bob.nextLine()).to.match(line);
      await carol.expectSilence(150);
      expect((await carol.request({ type: 'channels' })).channels).to.deep.equal(['#général', '#admin', '#annonces']);
      expect(await alice.request({ type: 'probe-close', channel: '#général' })).to.deep.equal({ type: 'probe-close', result: false });
      expect(await alice.request({ type: 'probe-close', channel: '#dev' })).to.deep.equal({ type: 'probe-close', result: false });
      // Writing to the closed name opens a fresh client channel.
      alice.send({ type: 'message', channel: '#dev', content: 'de retour' });
      await bob.expectSilence(150);
    } finally {
      await server.stop();
      server.cleanup();
    }
  });

  it('closes quietly when system-messages is off', async () => {
    const server = await boot();
    try {
      const alice = await loggedIn(server.port, 'alice');
      await alice.request({ type: 'join', channel: '#dev' });
      await alice.next();
      expect(await alice.request({ type: 'probe-close', channel: '#dev' })).to.deep.equal({ type: 'probe-close', result: true });
      expect((await alice.request({ type: 'channels' })).channels).not.to.include('#dev');
    } finally {
      await server.stop();
      server.cleanup();
    }
  });

  it('refuses to boot with a restricted default channel, naming the plugin', async () => {
    await startServer({ plugins: { channels: { options: { channels: [{ name: '#général', allowedUsers: ['prof'] }] } } } }).then(
      () => expect.fail('the server started'),
      (err: Error) => expect(err.message).to.match(/plugins\.channels.*cannot be restricted/),
    );
  });
});
