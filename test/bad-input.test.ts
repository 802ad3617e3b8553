/** Every bad input gets one clear error reply and the connection stays (D3). */
import { expect } from 'chai';
import { LineClient, loggedIn, startServer, type TestServer } from './helpers/index.js';

describe('bad input', () => {
  let server: TestServer;
  let alice: LineClient;
  let bob: LineClient;

  before(async () => {
    server = await startServer();
    alice = await loggedIn(server.port, 'alice');
    bob = await loggedIn(server.port, 'bob');
    await alice.next(); // bob online
  });
  after(async () => {
    await server.stop();
    server.cleanup();
  });
  afterEach(async () => {
    // Nobody else ever sees anything from a bad line.
    await alice.expectSilence(50);
  });

  const cases: Array<[string, string | object, string]> = [
    ['not JSON', 'hello', 'Invalid JSON.'],
    ['truncated JSON', '{"type":"message"', 'Invalid JSON.'],
    ['a JSON array', '[]', 'Invalid message.'],
    ['a JSON string', '"x"', 'Invalid message.'],
    ['a JSON number', '42', 'Invalid message.'],
    ['null', 'null', 'Invalid message.'],
    ['an object without type', { content: 'x' }, 'Invalid message.'],
    ['a non-string type', { type: 42 }, 'Invalid message.'],
    ['an unknown type', { type: 'typing' }, 'Unknown message type.'],
    ['register without username', { type: 'register', password: 'x' }, 'Missing field: username.'],
    ['register without password', { type: 'register', username: 'zed' }, 'Missing field: password.'],
    ['login with a numeric password', { type: 'login', username: 'alice', password: 123 }, 'Missing field: password.'],
    ['message without content', { type: 'message', subtype: 'global' }, 'Missing field: content.'],
    ['message with object content', { type: 'message', content: { a: 1 } }, 'Missing field: content.'],
    ['private message without to', { type: 'message', subtype: 'private', content: 'x' }, 'Missing field: to.'],
    ['status without state', { type: 'status' }, 'Missing field: state.'],
    ['status with a list as state', { type: 'status', state: ['x'] }, 'Missing field: state.'],
    ['a state longer than 32 characters', { type: 'status', state: 'z'.repeat(33) }, 'Invalid state.'],
    ['register with a control character in the name', { type: 'register', username: 'a\u0007b', password: 'x' }, 'Invalid username.'],
    ['register with a blank name', { type: 'register', username: '   ', password: 'x' }, 'Invalid username.'],
    ['register with a 65-character name', { type: 'register', username: 'n'.repeat(65), password: 'x' }, 'Invalid username.'],
    ['a private message to nobody (base mode)', { type: 'message', subtype: 'private', to: 'zoe', content: 'x' }, 'User zoe is not connected.'],
    ['nesting 10,000 deep', `{"type":"message","content":"x","deep":${'['.repeat(10000)}${']'.repeat(10000)}}`, 'Invalid message.'],
  ];
  for (const [name, line, error] of cases) {
    it(`${name} → "${error}"`, async () => {
      expect(await bob.request(line)).to.deep.equal({ type: 'error', message: error });
      expect(await bob.request({ type: 'users' })).to.deep.equal({ type: 'users', users: ['alice', 'bob'] });
    });
  }

  it('ignores a status from an anonymous connection in silence, even without a state', async () => {
    const anon = await LineClient.open(server.port);
    anon.send({ type: 'status', state: 'away' });
    anon.send({ type: 'status' });
    expect(await anon.request({ type: 'users' })).to.deep.equal({ type: 'users', users: ['alice', 'bob'] });
    anon.destroy();
  });

  it('ignores blank and whitespace-only lines silently', async () => {
    await bob.write('\n\r\n   \n\t\r\n');
    await bob.expectSilence(100);
    expect(await bob.request({ type: 'users' })).to.deep.equal({ type: 'users', users: ['alice', 'bob'] });
  });

  it('does not adopt a guest name from an invalid message', async () => {
    const guest = await LineClient.open(server.port);
    expect(await guest.request({ type: 'message', from: 'ghost' })).to.deep.equal({ type: 'error', message: 'Missing field: content.' });
    expect(await guest.request({ type: 'users' })).to.deep.equal({ type: 'users', users: ['alice', 'bob'] });
    guest.destroy();
  });

  it('keeps a forwarded message shape valid when `from` is not a string', async () => {
    const guest = await LineClient.open(server.port);
    guest.send({ type: 'message', from: 42, content: 'num' });
    const got = await alice.next();
    expect(got).to.include({ from: 'invité', content: 'num' });
    expect((await bob.next()).from).to.equal('invité');
    guest.destroy();
    expect(await alice.next()).to.deep.equal({ type: 'status', user: 'invité', state: 'offline' });
    await bob.next();
  });

  it('still answers after 1,000 bad lines, and so does everyone else', async () => {
    const noisy = await LineClient.open(server.port);
    const junk = Array.from({ length: 1000 }, (_, i) => (i % 2 ? `garbage ${i}` : '{"type":"nope"}')).join('\n') + '\n';
    await noisy.write(junk);
    for (let i = 0; i < 1000; i++) {
      const reply = await noisy.next();
      expect(reply.type).to.equal('error');
    }
    expect(await noisy.request({ type: 'users' })).to.have.property('type', 'users');
    bob.send({ type: 'message', content: 'still here' });
    expect(await alice.next()).to.include({ content: 'still here' });
    noisy.destroy();
  });
});

describe('guest names (D4)', () => {
  let server: TestServer;
  before(async () => (server = await startServer()));
  after(async () => {
    await server.stop();
    server.cleanup();
  });

  it('refuses a guest name that is a registered account, an online user or "server"', async () => {
    const alice = await loggedIn(server.port, 'alice');
    const offline = await loggedIn(server.port, 'carol');
    await alice.next(); // carol online
    await offline.close();
    await alice.next(); // carol offline
    for (const name of ['alice', 'carol', 'server']) {
      const guest = await LineClient.open(server.port);
      expect(await guest.request({ type: 'message', from: name, content: 'hi' })).to.deep.equal({ type: 'error', message: 'Username already exists.' });
      expect(await guest.request({ type: 'users' })).to.deep.equal({ type: 'users', users: ['alice'] });
      guest.destroy();
    }
    await alice.expectSilence(50);
  });

  it('allows several guests to share a name (every juklau guest is "invité")', async () => {
    const g1 = await LineClient.open(server.port);
    const g2 = await LineClient.open(server.port);
    g1.send({ type: 'message', content: 'un' });
    g2.send({ type: 'message', content: 'deux' });
    expect(await g1.next()).to.include({ from: 'invité', content: 'deux' });
    expect(await g2.request({ type: 'users' })).to.deep.equal({ type: 'users', users: ['alice', 'invité'] });
    g1.destroy();
    g2.destroy();
  });
});

describe('guest names without protection', () => {
  it('lets a guest take an account name when guests.protectAccountNames is false', async () => {
    const server = await startServer({ config: { guests: { protectAccountNames: false } } });
    try {
      const alice = await loggedIn(server.port, 'alice');
      const guest = await LineClient.open(server.port);
      guest.send({ type: 'message', from: 'alice', content: 'moi' });
      expect(await alice.next()).to.include({ from: 'alice', content: 'moi' });
      guest.destroy();
      alice.destroy();
    } finally {
      await server.stop();
      server.cleanup();
    }
  });
});
