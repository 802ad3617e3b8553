import { expect } from 'chai';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import type { Session } from '../../../core/index.js';
import { BanList } from '../ban-list.js';
import { Guard, normalizeIp } from '../guard.js';
import { optionsSchema, type Options } from '../options.js';
import { SlidingCounter } from '../sliding-counter.js';
import { TokenBucket } from '../token-bucket.js';
import { createAjv } from '../../../core/validation.js';

const silent = pino({ level: 'silent' });

function defaults(patch: (o: Options) => void = () => {}): Options {
  const options = {} as Options;
  createAjv().compile(optionsSchema)(options);
  patch(options);
  return options;
}

const fakeSession = (ip = '10.0.0.1') => ({ remoteAddress: ip }) as unknown as Session;

describe('TokenBucket', () => {
  it('gives a burst, then one token per 1/rate seconds', () => {
    const bucket = new TokenBucket(3, 2, 0);
    expect([1, 2, 3, 4].map(() => bucket.take(0))).to.deep.equal([true, true, true, false]);
    expect(bucket.waitMs(0)).to.equal(500);
    expect(bucket.take(499)).to.equal(false);
    expect(bucket.take(1000)).to.equal(true); // 0.998 + … refilled to ≥ 1 by t=1000
    expect(bucket.take(10_000)).to.equal(true);
    expect(bucket.take(10_000)).to.equal(true);
    expect(bucket.take(10_000)).to.equal(true);
    expect(bucket.take(10_000)).to.equal(false); // never more than the capacity
  });
});

describe('SlidingCounter', () => {
  it('counts within the window only', () => {
    const c = new SlidingCounter(1000);
    expect(c.add('k', 0)).to.equal(1);
    expect(c.add('k', 500)).to.equal(2);
    expect(c.count('k', 1200)).to.equal(1);
    expect(c.count('k', 1600)).to.equal(0);
  });
});

describe('Guard decisions (injected clock)', () => {
  let now = 0;
  const clock = () => now;
  beforeEach(() => (now = 1_000_000));

  it('refuses the 17th concurrent connection from one IP, and exempts loopback by default', () => {
    const guard = new Guard(defaults(), clock, silent, undefined);
    for (let i = 0; i < 16; i++) expect(guard.connect('10.0.0.1').allow).to.equal(true);
    expect(guard.connect('10.0.0.1')).to.deep.include({ allow: false, reason: 'too-many-connections' });
    expect(guard.connect('::ffff:10.0.0.1').allow).to.equal(false); // same client over IPv6-mapped
    guard.disconnect('10.0.0.1');
    expect(guard.connect('10.0.0.1').allow).to.equal(true);
    for (let i = 0; i < 40; i++) expect(guard.connect('127.0.0.1').allow).to.equal(true);
  });

  it('limits new connections per window', () => {
    const guard = new Guard(defaults((o) => (o.connections.maxPerIp = 1000)), clock, silent, undefined);
    for (let i = 0; i < 32; i++) expect(guard.connect('10.0.0.2').allow).to.equal(true);
    expect(guard.connect('10.0.0.2')).to.deep.include({ allow: false, reason: 'connection-rate' });
    now += 60_000;
    expect(guard.connect('10.0.0.2').allow).to.equal(true);
  });

  it('rejects requests past the bucket and disconnects after N rejections in a row', () => {
    const guard = new Guard(defaults((o) => (o.messages.disconnectAfterRejections = 3)), clock, silent, undefined);
    const s = fakeSession();
    for (let i = 0; i < 10; i++) expect(guard.request(s).allow).to.equal(true);
    expect(guard.request(s)).to.deep.include({ allow: false, disconnect: false });
    expect(guard.request(s)).to.deep.include({ allow: false, disconnect: false });
    expect(guard.request(s)).to.deep.include({ allow: false, disconnect: true });
    now += 500; // 2 per second → one token
    expect(guard.request(s).allow).to.equal(true);
  });

  it('throttles an account after 3 failures and bans an IP after 10', () => {
    const guard = new Guard(defaults(), clock, silent, undefined);
    for (let i = 0; i < 3; i++) {
      expect(guard.loginAllowed('alice', '10.0.0.3').allow).to.equal(true);
      expect(guard.loginFailed('alice', '10.0.0.3')).to.equal(undefined);
    }
    expect(guard.loginAllowed('alice', '10.0.0.3')).to.deep.include({ allow: false, reason: 'login-throttled' });
    for (let i = 0; i < 7; i++) expect(guard.loginFailed(`user${i}`, '10.0.0.3')).to.equal(undefined);
    const ban = guard.loginFailed('user7', '10.0.0.3');
    expect(ban).to.deep.include({ target: { ip: '10.0.0.3' }, until: now + 900_000 });
    expect(guard.connect('10.0.0.3')).to.deep.include({ allow: false, reason: 'banned' });
    now += 900_000;
    expect(guard.connect('10.0.0.3').allow).to.equal(true);
    expect(guard.loginAllowed('alice', '10.0.0.3').allow).to.equal(true); // the window has passed too
  });
});

describe('BanList', () => {
  it('persists atomically and drops expired bans on load', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'guard-')), 'guard', 'bans.json');
    const list = new BanList(file);
    list.add({ ip: '10.0.0.9' }, 1000, 'test', 0);
    list.add({ user: 'mallory' }, null, 'forever', 0);
    expect(JSON.parse(readFileSync(file, 'utf8'))).to.have.length(2);
    const reloaded = new BanList(file);
    expect(reloaded.load(5000)).to.equal(1);
    expect(reloaded.find({ user: 'mallory' }, 5000)).to.include({ reason: 'forever', until: null });
    expect(reloaded.find({ ip: '10.0.0.9' }, 5000)).to.equal(undefined);
    expect(reloaded.remove({ user: 'mallory' })).to.equal(true);
    expect(new BanList(file).load(5000)).to.equal(0);
  });

  it('maps IPv4-mapped IPv6 to IPv4', () => {
    expect(normalizeIp('::ffff:192.168.1.4')).to.equal('192.168.1.4');
    expect(normalizeIp('::1')).to.equal('::1');
  });
});
