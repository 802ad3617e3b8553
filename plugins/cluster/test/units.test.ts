/** The cluster plugin's logic without Redis: outbox, duplicate filter, remote directory, audiences. */
import { expect } from 'chai';
import type { Outbound, ServerApi, Session } from '../../../core/index.js';
import type { ChannelService } from '../../channels/service.js';
import { isRelayed, localRecipients } from '../audience.js';
import { SeenFilter } from '../dedupe.js';
import { isEnvelope } from '../envelope.js';
import { Outbox } from '../outbox.js';
import { RemoteDirectory } from '../remote-directory.js';

describe('cluster Outbox', () => {
  it('keeps order, refuses past capacity, and resends an unacknowledged batch unchanged', () => {
    const box = new Outbox<number>(3);
    expect([1, 2, 3, 4].map((n) => box.push(n))).to.deep.equal([true, true, true, false]);
    expect(box.peek(2)).to.deep.equal([1, 2]);
    expect(box.peek(2)).to.deep.equal([1, 2]); // a failed send gets the same batch again
    box.ack(2);
    expect(box.size).to.equal(1);
    expect(box.push(5)).to.equal(true);
    expect(box.peek(10)).to.deep.equal([3, 5]);
  });

  it('keeps one presence slot: a queued one is overwritten in place, one in flight is not', () => {
    const box = new Outbox<string>(1);
    box.push('a');
    box.pushLatest(() => 'p1');
    box.pushLatest((queued) => `${queued}>p2`);
    expect(box.size).to.equal(2); // beyond capacity: presence is never refused
    expect(box.peek(10)).to.deep.equal(['a', 'p1>p2']);
    box.pushLatest(() => 'p3'); // p1>p2 is in flight: a new slot
    expect(box.push('b')).to.equal(false);
    box.ack(2);
    expect(box.peek(10)).to.deep.equal(['p3']);
  });

  it('stays bounded over many batches (the array is compacted)', () => {
    const box = new Outbox<number>(10);
    for (let i = 0; i < 100_000; i++) {
      box.push(i);
      box.ack(box.peek(10).length);
    }
    expect(box.size).to.equal(0);
    expect((box as unknown as { items: unknown[] }).items.length).to.be.below(2100);
  });
});

describe('cluster SeenFilter', () => {
  it('admits each seq of an origin once, drops whole-batch repeats, and forgets the oldest origin past its cap', () => {
    const seen = new SeenFilter(2);
    expect([1, 2, 3].map((s) => seen.admit('a', s))).to.deep.equal([true, true, true]);
    expect([1, 2, 3, 4].map((s) => seen.admit('a', s))).to.deep.equal([false, false, false, true]);
    expect(seen.admit('b', 1)).to.equal(true);
    expect(seen.admit('c', 1)).to.equal(true);
    expect(seen.size).to.equal(2);
    expect(seen.admit('a', 1)).to.equal(true); // 'a' was forgotten (least recently active)
  });
});

describe('cluster RemoteDirectory', () => {
  it('keeps the newest snapshot per node, applies status hints, lists remote channel members', () => {
    const dir = new RemoteDirectory();
    dir.applySnapshot('n1', { version: 2, users: ['alice', 'bob'], channels: { '#dev': ['bob'] } }, 0);
    expect(dir.applySnapshot('n1', { version: 1, users: [], channels: {} }, 0)).to.equal(false);
    dir.applySnapshot('n2', { version: 1, users: ['bob', 'carol'], channels: { '#dev': ['carol'] } }, 0);
    expect(dir.remoteNames()).to.deep.equal(['alice', 'bob', 'carol']);
    expect(dir.remoteMembers('#dev')).to.deep.equal(['bob', 'carol']);
    expect(dir.isOnlineElsewhere('carol')).to.equal(true);
    dir.hint('n2', 'carol', 'offline', 0);
    expect(dir.isOnlineElsewhere('carol')).to.equal(false);
    expect(dir.onlineOnOther('bob', 'n1')).to.equal(true);
    dir.hint('n3', 'dave', 'online', 0);
    expect(dir.isOnlineElsewhere('dave')).to.equal(true);
  });

  it('a node whose beat stops moving expires; our own reconnect gives everyone a fresh expiry', () => {
    const dir = new RemoteDirectory();
    const snap = { version: 1, users: ['alice'], channels: {} };
    dir.observeBeat('n1', 1, snap, 0);
    dir.observeBeat('n1', 1, snap, 900); // same beat: no sign of life
    expect(dir.expired(1001, 1000)).to.deep.equal(['n1']);
    dir.observeBeat('n1', 2, snap, 1001);
    expect(dir.expired(1500, 1000)).to.deep.equal([]);
    dir.refreshAll(5000);
    expect(dir.expired(5500, 1000)).to.deep.equal([]);
    expect(dir.remove('n1')).to.deep.equal({ users: ['alice'], beat: 2 });
    expect(dir.remoteNames()).to.deep.equal([]);
  });
});

describe('cluster audience (which fan-outs leave, who receives them here)', () => {
  const out = (o: Partial<Outbound>): Outbound => ({ id: '1', kind: 'system', payload: {}, sender: undefined, private: false, recipients: [], at: 0, ...o });

  it('relays message and status by kind, a system line only by its audience, never a local one or a replay', () => {
    expect(isRelayed(out({ kind: 'message' }))).to.equal(true);
    expect(isRelayed(out({ kind: 'status' }))).to.equal(true);
    expect(isRelayed(out({ kind: 'system' }))).to.equal(false); // says nothing: stays here
    expect(isRelayed(out({ audience: { to: 'all' } }))).to.equal(true);
    expect(isRelayed(out({ audience: { to: 'user', user: 'bob' } }))).to.equal(true);
    expect(isRelayed(out({ audience: { to: 'channel', channel: '#cours' } }))).to.equal(true);
    expect(isRelayed(out({ audience: { to: 'local' } }))).to.equal(false);
    expect(isRelayed(out({ kind: 'status', audience: { to: 'local' } }))).to.equal(false);
    expect(isRelayed(out({ audience: { to: 'all' }, origin: 'node2-ab' }))).to.equal(false);
  });

  it('selects the local sessions of a remote audience', () => {
    const [a, b] = [{ name: 'alice' }, { name: 'bob' }] as unknown as Session[];
    const server = { sessionsNamed: (n: string) => (n === 'bob' ? [b] : []) } as unknown as ServerApi;
    const channels = { members: (c: string) => (c === '#cours' ? [a] : []) } as unknown as ChannelService;
    expect(localRecipients({ to: 'all' }, server, channels)).to.equal(undefined); // core's default: every named session
    expect(localRecipients({ to: 'user', user: 'bob' }, server, channels)).to.deep.equal([b]);
    expect(localRecipients({ to: 'channel', channel: '#cours' }, server, channels)).to.deep.equal([a]);
    expect(localRecipients({ to: 'channel', channel: '#cours' }, server, undefined)).to.deep.equal([]);
    expect(localRecipients({ to: 'local' }, server, channels)).to.deep.equal([]);
  });

  it('accepts an envelope with a relayable audience and skips a malformed or local one', () => {
    const fanout = { t: 'fanout', node: 'n1', seq: 1, oid: 'x', kind: 'system', payload: {}, private: false, at: 0 };
    expect(isEnvelope(fanout)).to.equal(true);
    expect(isEnvelope({ ...fanout, audience: { to: 'channel', channel: '#cours' } })).to.equal(true);
    expect(isEnvelope({ ...fanout, audience: { to: 'user' } })).to.equal(false);
    expect(isEnvelope({ ...fanout, audience: { to: 'local' } })).to.equal(false);
    expect(isEnvelope({ ...fanout, audience: 'all' })).to.equal(false);
  });

  it('accepts a channel close and skips one without a channel name', () => {
    expect(isEnvelope({ t: 'closed', node: 'n1-ab', seq: 3, channel: '#cours' })).to.equal(true);
    expect(isEnvelope({ t: 'closed', node: 'n1-ab', seq: 3 })).to.equal(false);
    expect(isEnvelope({ t: 'closed', node: 'n1-ab', seq: 3, channel: 7 })).to.equal(false);
  });
});
