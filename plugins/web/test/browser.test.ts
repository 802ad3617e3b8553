/**
 * The browser client in a real Chromium (Debian's, driven by playwright-core): two pages and a TCP
 * client chat in one channel, a private message between a page and the TCP client, user text
 * stays text, a dropped connection comes back by itself, and a screenshot is kept as an artifact.
 */
import { expect } from 'chai';
import { mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { ROOT, loggedIn, startServer, type LineClient, type TestServer } from '../../../test/helpers/index.js';
import { webPort } from './ws-client.js';

const DROPPER = fileURLToPath(new URL('./fixtures/dropper.ts', import.meta.url));
/** Git-ignored; CI keeps it as an artifact. */
const SCREENSHOT = join(ROOT, 'test-results', 'web-client.png');
const WAIT = { timeout: 5000 };

/** A message line in the visible conversation, by its text. */
const line = (page: Page, text: string) => page.locator('#messages li', { hasText: text });

async function nextOfType(client: LineClient, type: string): Promise<Record<string, unknown>> {
  for (;;) {
    const msg = await client.next(5000);
    if (msg.type === type) return msg;
  }
}

describe('web plugin: the browser client in Chromium', function () {
  this.timeout(30_000);
  let server: TestServer;
  let context: BrowserContext;
  let profile: string;
  let base: string;

  before(async () => {
    server = await startServer({ plugins: { channels: {}, web: { options: { host: '127.0.0.1', port: 0 } }, dropper: { path: DROPPER } } });
    base = `http://127.0.0.1:${await webPort(server)}/`;
    profile = mkdtempSync(join(tmpdir(), 'classcord-chromium-'));
    context = await chromium.launchPersistentContext(profile, {
      executablePath: '/usr/bin/chromium',
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
      viewport: { width: 1100, height: 700 },
    });
  });
  after(async () => {
    await context?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
    await server?.stop();
    server?.cleanup();
  });

  it('chats between two pages and a TCP client, privately too, reconnects, and never renders user text as HTML', async () => {
    const errors: string[] = [];
    const carol = await loggedIn(server.port, 'carol');

    // Page 1: alice registers (then logs in).
    const alice = await context.newPage();
    alice.on('pageerror', (e) => errors.push(e.message));
    await alice.goto(base);
    await alice.fill('#username', 'alice');
    await alice.fill('#password', 'pw-alice');
    await alice.click('#register');
    await alice.locator('#chat').waitFor({ state: 'visible', ...WAIT });
    await alice.locator('#connection.ok').waitFor(WAIT);
    expect(await alice.textContent('#title')).to.equal('#général');
    expect(await nextOfType(carol, 'status')).to.deep.equal({ type: 'status', user: 'alice', state: 'online' });
    await alice.locator('#online li[data-user="carol"]').waitFor(WAIT);
    await alice.locator('#channels li[data-channel="#dev"]').waitFor(WAIT);

    // Page 2: bob is a guest, named by his first message.
    const bob = await context.newPage();
    bob.on('pageerror', (e) => errors.push(e.message));
    await bob.goto(base);
    await bob.fill('#username', 'bob');
    await bob.click('#guest');
    await bob.fill('#text', 'salut de bob');
    await bob.press('#text', 'Enter');
    await line(alice, 'salut de bob').waitFor(WAIT);
    expect(await line(alice, 'salut de bob').locator('.author').textContent()).to.equal('bob');
    expect(await line(alice, 'salut de bob').locator('.time').textContent()).to.match(/^\d\d:\d\d:\d\d$/);
    expect(await nextOfType(carol, 'message')).to.include({ from: 'bob', content: 'salut de bob', channel: '#général' });

    await alice.fill('#text', 'bonjour à tous');
    await alice.press('#text', 'Enter');
    await line(bob, 'bonjour à tous').waitFor(WAIT);
    expect(await nextOfType(carol, 'message')).to.include({ from: 'alice', content: 'bonjour à tous' });

    carol.send({ type: 'message', content: 'coucou de carol (TCP)' });
    await line(alice, 'coucou de carol (TCP)').waitFor(WAIT);
    await line(bob, 'coucou de carol (TCP)').waitFor(WAIT);

    // User text is text: this would run script if it were inserted as HTML.
    const hostile = '<img src=x onerror="document.title=\'pwned\'"><b>gras</b>';
    carol.send({ type: 'message', content: hostile });
    await line(alice, 'gras').waitFor(WAIT);
    expect(await line(alice, 'gras').locator('.content').textContent()).to.equal(hostile);
    expect(await alice.locator('#messages img, #messages b').count()).to.equal(0);
    expect(await alice.title()).to.equal('ClassCord');

    // A private message from the TCP client, and alice's answer from the page.
    carol.send({ type: 'message', subtype: 'private', to: 'alice', content: 'psst alice' });
    const privateEntry = alice.locator('#privates li[data-peer="carol"]');
    await privateEntry.waitFor(WAIT);
    expect(await privateEntry.locator('.unread').textContent()).to.equal('1');
    await privateEntry.click();
    expect(await alice.textContent('#title')).to.equal('@carol');
    await line(alice, 'psst alice').waitFor(WAIT);
    await alice.fill('#text', 'reçu, carol');
    await alice.press('#text', 'Enter');
    expect(await nextOfType(carol, 'message')).to.include({ subtype: 'private', to: 'carol', from: 'alice', content: 'reçu, carol' });
    await line(bob, 'psst alice').waitFor({ state: 'detached', timeout: 200 }).catch(() => {}); // never shown to bob
    expect(await line(bob, 'psst alice').count()).to.equal(0);

    // Join #dev from the page; carol joins too and speaks there.
    await alice.fill('#join-name', '#dev');
    await alice.press('#join-name', 'Enter');
    await alice.locator('#title', { hasText: '#dev' }).waitFor(WAIT);
    expect(await carol.request({ type: 'join', channel: '#dev' })).to.deep.include({ type: 'join', status: 'ok' });

    // The connection drops (no close handshake): the page reconnects, logs in again, rejoins #dev.
    carol.send({ type: 'drop', user: 'alice' });
    // The offline event is broadcast while the drop is handled, so it may precede the reply.
    const dropLines = [await carol.next(), await carol.next()];
    expect(dropLines).to.have.deep.members([{ type: 'drop', dropped: 1 }, { type: 'status', user: 'alice', state: 'offline' }]);
    expect(await nextOfType(carol, 'status')).to.deep.equal({ type: 'status', user: 'alice', state: 'online' });
    await alice.locator('#connection.ok').waitFor(WAIT);
    let who: Record<string, unknown> = {};
    for (let i = 0; i < 50 && JSON.stringify(who.users) !== '["carol","alice"]'; i++) {
      await new Promise((done) => setTimeout(done, 50)); // the page's join follows its login
      who = await carol.request({ type: 'who', channel: '#dev' });
    }
    expect(who).to.deep.equal({ type: 'who', channel: '#dev', users: ['carol', 'alice'] });
    carol.send({ type: 'message', channel: '#dev', content: 'après la reconnexion' });
    await line(alice, 'après la reconnexion').waitFor(WAIT);
    expect(server.logs().filter((l) => l.msg === 'websocket refused: origin not allowed')).to.have.length(0);

    // History lines (persistence sends them on join with `history: true`) are shown, dimmed.
    carol.send({ type: 'message', channel: '#dev', content: 'une ligne ancienne', history: true });
    await line(alice, 'une ligne ancienne').waitFor(WAIT);
    expect(await line(alice, 'une ligne ancienne').getAttribute('class')).to.equal('message history');

    await alice.click('#channels li[data-channel="#général"]');
    await line(alice, 'bonjour à tous').waitFor(WAIT);
    mkdirSync(join(ROOT, 'test-results'), { recursive: true });
    await alice.screenshot({ path: SCREENSHOT, fullPage: true });
    expect(statSync(SCREENSHOT).size).to.be.above(5000);
    expect(errors).to.deep.equal([]);
    await carol.close();
  });
});
