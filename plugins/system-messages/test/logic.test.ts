import { expect } from 'chai';
import type { Outbound } from '../../../core/index.js';
import { PresenceTracker } from '../presence-tracker.js';
import { departedElsewhere } from '../remote-departure.js';
import { fillTemplate, notConnectedText } from '../texts.js';

describe('system-messages logic', () => {
  describe('fillTemplate', () => {
    it('replaces every occurrence and leaves unknown placeholders as written', () => {
      expect(fillTemplate('{user} est là, salut {user} ! {inconnu}', { user: 'Zoé' })).to.equal('Zoé est là, salut Zoé ! {inconnu}');
    });

    it('does not interpret $ patterns or braces in values', () => {
      expect(fillTemplate('{user}', { user: "$& {user} $'" })).to.equal("$& {user} $'");
    });
  });

  it('keeps walo\'s offline text byte for byte (NFC é)', () => {
    const text = notConnectedText('zoe');
    expect(text).to.equal("L'utilisateur zoe n'est pas connect\u00e9.");
    expect(text.normalize('NFC')).to.equal(text);
  });

  describe('PresenceTracker', () => {
    it('announces a name once, whatever the number of its sessions', () => {
      const t = new PresenceTracker<object>();
      const s1 = {};
      const s2 = {};
      expect(t.named(s1, 'alice')).to.deep.equal({ arrived: true, departed: undefined });
      expect(t.named(s2, 'alice')).to.deep.equal({ arrived: false, departed: undefined });
      expect(t.left(s1)).to.equal(undefined);
      expect(t.left(s1)).to.equal(undefined);
      expect(t.left(s2)).to.equal('alice');
      expect(t.left(s2)).to.equal(undefined);
    });

    it('a session that changes name leaves the old one and arrives under the new one', () => {
      const t = new PresenceTracker<object>();
      const s = {};
      t.named(s, 'invité');
      expect(t.named(s, 'invité')).to.deep.equal({ arrived: false, departed: undefined });
      expect(t.named(s, 'alice')).to.deep.equal({ arrived: true, departed: 'invité' });
      expect(t.left(s)).to.equal('alice');
    });

    it('ignores sessions it never saw named (anonymous connections)', () => {
      expect(new PresenceTracker<object>().left({})).to.equal(undefined);
    });
  });

  describe('departedElsewhere', () => {
    const offline = { type: 'status', user: 'alice', state: 'offline' };
    const out = (o: Partial<Outbound>): Outbound => ({ id: '1', kind: 'status', payload: offline, sender: undefined, private: false, recipients: [], at: 0, ...o });

    it('names the user of an offline this node made for another node (a dead node swept by a cluster)', () => {
      expect(departedElsewhere(out({ origin: 'node1-ab', audience: { to: 'local' } }))).to.equal('alice');
    });

    it('ignores an offline replayed from a live node (it sends its own departure line), a local one and any other line', () => {
      expect(departedElsewhere(out({ origin: 'node1-ab' }))).to.equal(undefined);
      expect(departedElsewhere(out({}))).to.equal(undefined);
      expect(departedElsewhere(out({ audience: { to: 'local' } }))).to.equal(undefined);
      expect(departedElsewhere(out({ origin: 'n', audience: { to: 'local' }, payload: { ...offline, state: 'away' } }))).to.equal(undefined);
      expect(departedElsewhere(out({ origin: 'n', audience: { to: 'local' }, kind: 'system' }))).to.equal(undefined);
    });
  });
});
