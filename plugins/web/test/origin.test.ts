/** The WebSocket origin check (unit). */
import { expect } from 'chai';
import { checkOrigin, normalizeOrigin } from '../origin.js';

describe('web: origin check', () => {
  it('allows the page’s own origin by default and refuses any other', () => {
    expect(checkOrigin('http://chat.lycee.fr:8080', 'chat.lycee.fr:8080', [])).to.equal(undefined);
    expect(checkOrigin('https://chat.lycee.fr', 'chat.lycee.fr', [])).to.equal(undefined);
    expect(checkOrigin('http://CHAT.lycee.fr:8080', 'chat.lycee.fr:8080', [])).to.equal(undefined);
    expect(checkOrigin('http://evil.example', 'chat.lycee.fr:8080', [])).to.equal('origin-not-allowed');
    expect(checkOrigin('http://chat.lycee.fr:9999', 'chat.lycee.fr:8080', [])).to.equal('origin-not-allowed');
    expect(checkOrigin('null', 'chat.lycee.fr:8080', [])).to.equal('origin-not-allowed');
    expect(checkOrigin('file://', 'chat.lycee.fr:8080', [])).to.equal('origin-not-allowed');
    expect(checkOrigin('http://evil.example', undefined, [])).to.equal('origin-not-allowed');
  });

  it('allows listed origins (default ports normalised) and everything with "*"', () => {
    const allowed = ['https://classcord.example:443', 'http://localhost:5173'];
    expect(checkOrigin('https://classcord.example', 'internal:8080', allowed)).to.equal(undefined);
    expect(checkOrigin('http://localhost:5173', 'internal:8080', allowed)).to.equal(undefined);
    expect(checkOrigin('http://localhost:5174', 'internal:8080', allowed)).to.equal('origin-not-allowed');
    expect(checkOrigin('http://anything.example', 'internal:8080', ['*'])).to.equal(undefined);
  });

  it('lets a handshake without Origin through: it is not a browser page', () => {
    expect(checkOrigin(undefined, 'chat.lycee.fr:8080', [])).to.equal(undefined);
  });

  it('normalises origins', () => {
    expect(normalizeOrigin('HTTP://Example.COM:80/path')).to.equal('http://example.com');
    expect(normalizeOrigin('ws://example.com')).to.equal(undefined);
    expect(normalizeOrigin('not a url')).to.equal(undefined);
  });
});
