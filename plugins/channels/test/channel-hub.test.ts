import { expect } from 'chai';
import type { Session } from '../../../core/index.js';
import { ChannelHub } from '../channel-hub.js';
import type { ChannelJoinEvent } from '../service.js';

const session = (name: string | undefined, kind = 'user') => ({ name, kind, closed: false, id: Math.random() }) as unknown as Session;
const quietLog = { info() {}, error() {} } as never;

function hub(told: Array<[string, string]> = []) {
  const h = new ChannelHub({
    defaultChannel: '#général',
    maxChannels: 10,
    closeText: "Le canal {channel} a été fermé par l'admin.",
    log: quietLog,
    tellChannel: (channel, text) => told.push([channel, text]),
  });
  h.create('#général');
  return h;
}

describe('ChannelHub (the channels service)', () => {
  it('notifies join listeners once per new membership and stops after unsubscribe', () => {
    const h = hub();
    const seen: ChannelJoinEvent[] = [];
    const off = h.onJoin((e) => seen.push(e));
    const a = session('alice');
    expect(h.join(a, '#dev')).to.equal(true);
    expect(h.join(a, '#dev')).to.equal(true);
    expect(seen).to.deep.equal([{ session: a, channel: '#dev', explicit: false }]);
    off();
    h.join(a, '#autre');
    expect(seen).to.have.length(1);
  });

  it('a throwing listener does not stop the others', () => {
    const h = hub();
    let reached = false;
    h.onJoin(() => {
      throw new Error('boom');
    });
    h.onJoin(() => (reached = true));
    h.join(session('alice'), '#dev');
    expect(reached).to.equal(true);
  });

  it('refuses anonymous sessions, bad names and leaving the default channel', () => {
    const h = hub();
    const a = session('alice');
    expect(h.join(session(undefined, 'anonymous'), '#dev')).to.equal(false);
    expect(h.join(a, 'dev')).to.equal(false);
    h.join(a, '#général');
    expect(h.leave(a, '#général')).to.equal(false);
    expect(h.channelsOf(a)).to.deep.equal(['#général']);
  });

  it('close() tells the members with the walo text before removing the channel', () => {
    const told: Array<[string, string]> = [];
    const h = hub(told);
    const a = session('alice');
    h.create('#dev');
    h.join(a, '#dev');
    let membersWhenTold: Session[] = [];
    const withCheck = new ChannelHub({
      defaultChannel: '#général',
      maxChannels: 10,
      closeText: "Le canal {channel} a été fermé par l'admin.",
      log: quietLog,
      tellChannel: (channel) => (membersWhenTold = withCheck.members(channel)),
    });
    withCheck.join(a, '#x');
    expect(withCheck.close('#x')).to.equal(true);
    expect(membersWhenTold).to.deep.equal([a]);
    expect(h.close('#dev')).to.equal(true);
    expect(told).to.deep.equal([['#dev', "Le canal #dev a été fermé par l'admin."]]);
    expect(h.list()).to.deep.equal(['#général']);
    expect(h.channelsOf(a)).to.deep.equal([]);
    expect(h.close('#dev')).to.equal(false);
    expect(h.close('#général')).to.equal(false);
  });

  it('close() with notify: false removes the channel silently; onClose listeners hear every close until unsubscribed', () => {
    const told: Array<[string, string]> = [];
    const h = hub(told);
    const closed: Array<{ channel: string; notified: boolean }> = [];
    h.onClose(() => {
      throw new Error('boom'); // logged; the next listener still runs
    });
    const off = h.onClose((e) => closed.push(e));
    const a = session('alice');
    h.join(a, '#dev');
    h.join(a, '#autre');
    expect(h.close('#dev', { notify: false })).to.equal(true);
    expect(told).to.deep.equal([]);
    expect(h.channelsOf(a)).to.deep.equal(['#autre']);
    expect(h.close('#autre')).to.equal(true);
    expect(h.close('#inconnu')).to.equal(false);
    expect(closed).to.deep.equal([
      { channel: '#dev', notified: false },
      { channel: '#autre', notified: true },
    ]);
    off();
    h.join(a, '#dev');
    h.close('#dev');
    expect(closed).to.have.length(2);
  });

  it('create() rejects invalid names and a restricted default channel', () => {
    const h = hub();
    expect(() => h.create('pas un canal')).to.throw(RangeError, /invalid channel name/);
    expect(() => h.create('#général', { allowedUsers: ['prof'] })).to.throw(RangeError, /cannot be restricted/);
    h.create('#annonces', { readOnly: true });
    expect(h.registry.postRefusal(session('alice'), '#annonces')).to.equal('read-only');
  });
});
