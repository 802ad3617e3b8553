import { expect } from 'chai';
import { channelName } from '../channel-names.js';
import { ChannelRegistry, type Member } from '../channel-registry.js';
import { route } from '../routing.js';
import type { Outbound, Session } from '../../../core/index.js';

const user = (name: string): Member => ({ name, kind: 'user' });
const guest = (name: string): Member => ({ name, kind: 'guest' });

describe('channel names (§7.3)', () => {
  it('accepts # plus 1–31 characters without whitespace or control characters', () => {
    for (const ok of ['#a', '#général', '#dev', '#' + 'x'.repeat(31), '#C++', '#été-2026']) expect(channelName(ok), ok).to.equal(ok);
  });

  it('refuses everything else', () => {
    for (const bad of ['#', 'dev', '', '# dev', '#dev\t', '#a\u0000b', '#\u00a0x', '#' + 'x'.repeat(32), 42, null, ['#dev'], { name: '#dev' }]) {
      expect(channelName(bad), JSON.stringify(bad)).to.equal(undefined);
    }
  });

  it('compares names in NFC: a decomposed é is the same channel', () => {
    expect(channelName('#ge\u0301ne\u0301ral')).to.equal('#g\u00e9n\u00e9ral');
  });

  it('counts characters, not UTF-16 units or bytes', () => {
    expect(channelName('#' + '😀'.repeat(31))).to.be.a('string');
    expect(channelName('#' + 'é'.repeat(31))).to.be.a('string');
  });
});

describe('ChannelRegistry', () => {
  it('creates a client channel on first join and drops it when the last member leaves (D6)', () => {
    const reg = new ChannelRegistry<Member>(10);
    reg.create('#général');
    const a = user('alice');
    const b = user('bob');
    expect(reg.join(a, '#jeux')).to.deep.equal({ joined: true });
    expect(reg.join(b, '#jeux')).to.deep.equal({ joined: true });
    expect(reg.join(a, '#jeux')).to.deep.equal({ joined: false });
    expect(reg.list()).to.deep.equal(['#général', '#jeux']);
    expect(reg.members('#jeux')).to.deep.equal([a, b]);
    expect(reg.leave(a, '#jeux')).to.equal(true);
    expect(reg.leave(a, '#jeux')).to.equal(false);
    expect(reg.has('#jeux')).to.equal(true);
    expect(reg.leaveAll(b)).to.deep.equal(['#jeux']);
    expect(reg.has('#jeux')).to.equal(false);
  });

  it('keeps operator channels when they empty', () => {
    const reg = new ChannelRegistry<Member>(10);
    reg.create('#dev');
    const a = user('alice');
    reg.join(a, '#dev');
    reg.leaveAll(a);
    expect(reg.list()).to.deep.equal(['#dev']);
    expect(reg.channelsOf(a)).to.deep.equal([]);
  });

  it('lets only listed logged-in users into a restricted channel; never a guest of that name', () => {
    const reg = new ChannelRegistry<Member>(10);
    reg.create('#admin', { allowedUsers: ['prof'] });
    expect(reg.join(user('prof'), '#admin')).to.deep.equal({ joined: true });
    expect(reg.join(user('alice'), '#admin')).to.deep.equal({ refused: 'restricted' });
    expect(reg.join(guest('prof'), '#admin')).to.deep.equal({ refused: 'restricted' });
    expect(reg.postRefusal(user('alice'), '#admin')).to.equal('restricted');
  });

  it('lets anyone join a read-only channel but nobody post to it', () => {
    const reg = new ChannelRegistry<Member>(10);
    reg.create('#annonces', { readOnly: true });
    const a = user('alice');
    expect(reg.join(a, '#annonces')).to.deep.equal({ joined: true });
    expect(reg.postRefusal(a, '#annonces')).to.equal('read-only');
    expect(reg.postRefusal(a, '#autre')).to.equal(undefined);
  });

  it('caps the number of channels clients can create', () => {
    const reg = new ChannelRegistry<Member>(2);
    reg.create('#général');
    const a = user('alice');
    expect(reg.join(a, '#un')).to.deep.equal({ joined: true });
    expect(reg.join(a, '#deux')).to.deep.equal({ refused: 'full' });
    expect(reg.postRefusal(a, '#deux')).to.equal('full');
    expect(reg.join(user('bob'), '#un')).to.deep.equal({ joined: true }); // existing channels stay open
  });

  it('new rules on an existing channel shut out members that no longer qualify', () => {
    const reg = new ChannelRegistry<Member>(10);
    const a = user('alice');
    const p = user('prof');
    reg.join(a, '#salle');
    reg.join(p, '#salle');
    expect(reg.create('#salle', { allowedUsers: ['prof'] })).to.deep.equal([a]);
    expect(reg.members('#salle')).to.deep.equal([p]);
    expect(reg.channelsOf(a)).to.deep.equal([]);
  });

  it('prunes restricted channels after a member changes name', () => {
    const reg = new ChannelRegistry<Member>(10);
    reg.create('#admin', { allowedUsers: ['prof'] });
    const s = { name: 'prof' as string | undefined, kind: 'user' };
    reg.join(s, '#admin');
    reg.join(s, '#dev');
    s.name = 'alice';
    expect(reg.prune(s)).to.deep.equal(['#admin']);
    expect(reg.channelsOf(s)).to.deep.equal(['#dev']);
  });

  it('remove() returns the members and forgets the channel, even a permanent one', () => {
    const reg = new ChannelRegistry<Member>(10);
    reg.create('#dev');
    const a = user('alice');
    reg.join(a, '#dev');
    expect(reg.remove('#dev')).to.deep.equal([a]);
    expect(reg.remove('#dev')).to.equal(undefined);
    expect(reg.channelsOf(a)).to.deep.equal([]);
  });
});

describe('routing', () => {
  const a = { name: 'alice' } as unknown as Session;
  const b = { name: 'bob' } as unknown as Session;
  const c = { name: 'carol' } as unknown as Session;
  const members: Record<string, Session[]> = { '#général': [a, b], '#dev': [c] };
  const isMember = (s: Session, ch: string) => (members[ch] ?? []).includes(s);
  const out = (kind: string, payload: Record<string, unknown>, priv = false): Outbound => ({
    id: '1',
    kind,
    payload,
    sender: undefined,
    private: priv,
    recipients: [a, b, c],
    at: 0,
  });

  it('sends a message without channel to the default channel, and one with channel to its members', () => {
    expect(route(out('message', { content: 'x' }), '#général', isMember).recipients).to.deep.equal([a, b]);
    expect(route(out('message', { channel: '#dev' }), '#général', isMember).recipients).to.deep.equal([c]);
    expect(route(out('message', { channel: '#vide' }), '#général', isMember).recipients).to.deep.equal([]);
    expect(route(out('message', { channel: 42 }), '#général', isMember).recipients).to.deep.equal([]);
  });

  it('sends status events to the default channel only; leaves private and system lines alone', () => {
    expect(route(out('status', { user: 'x' }), '#général', isMember).recipients).to.deep.equal([a, b]);
    const priv = out('message', { channel: '#dev' }, true);
    expect(route(priv, '#général', isMember)).to.equal(priv);
    const system = out('system', { content: 'x' });
    expect(route(system, '#général', isMember)).to.equal(system);
  });

  it('never changes the payload (D1: no channel added)', () => {
    const o = out('message', { type: 'message', content: 'x' });
    expect(route(o, '#général', isMember).payload).to.equal(o.payload);
  });
});
