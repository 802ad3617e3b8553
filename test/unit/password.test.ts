import { expect } from 'chai';
import { DEFAULT_SCRYPT_COST, OWASP_SCRYPT_COST, PasswordHasher } from '../../core/password.js';

const FAST = { log2N: 10, blockSize: 8, parallelization: 1 };

describe('PasswordHasher', () => {
  it('stores a self-describing PHC string that verifies only the right password', async () => {
    const hasher = new PasswordHasher(FAST);
    const hash = await hasher.hash('guest123');
    expect(hash).to.match(/^\$scrypt\$ln=10,r=8,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/);
    expect(hash).not.to.contain('guest123');
    expect(await hasher.verify('guest123', hash)).to.equal(true);
    expect(await hasher.verify('guest124', hash)).to.equal(false);
    expect(await hasher.verify('guest123', 'not-a-hash')).to.equal(false);
  });

  it('salts every hash and verifies hashes made with another cost', async () => {
    const old = new PasswordHasher(FAST);
    const current = new PasswordHasher({ ...FAST, log2N: 11 });
    const a = await old.hash('pw');
    expect(a).not.to.equal(await old.hash('pw'));
    expect(await current.verify('pw', a)).to.equal(true);
    expect(current.needsRehash(a)).to.equal(true);
    expect(current.needsRehash(await current.hash('pw'))).to.equal(false);
  });

  it('treats NFC and NFD spellings of a password as the same', async () => {
    const hasher = new PasswordHasher(FAST);
    const hash = await hasher.hash('caf\u00e9');
    expect(await hasher.verify('cafe\u0301', hash)).to.equal(true);
  });

  it('runs the default cost (N=2^14, r=8, p=1) and OWASP\'s (N=2^15, r=8, p=3, which needs maxmem raised)', async function () {
    this.timeout(10_000);
    for (const [cost, prefix] of [[DEFAULT_SCRYPT_COST, '$scrypt$ln=14,r=8,p=1$'], [OWASP_SCRYPT_COST, '$scrypt$ln=15,r=8,p=3$']] as const) {
      const hasher = new PasswordHasher(cost);
      const hash = await hasher.hash('pw');
      expect(hash.startsWith(prefix)).to.equal(true);
      expect(await hasher.verify('pw', hash)).to.equal(true);
    }
  });

  it('never runs more hashes at once than allowed', async () => {
    const hasher = new PasswordHasher({ ...FAST, log2N: 12 }, 2);
    let peak = 0;
    const internal = hasher as unknown as { running: number };
    const timer = setInterval(() => (peak = Math.max(peak, internal.running)), 1);
    await Promise.all(Array.from({ length: 8 }, (_, i) => hasher.hash(`pw${i}`)));
    clearInterval(timer);
    expect(peak).to.be.within(1, 2);
    expect(internal.running).to.equal(0);
  });
});
