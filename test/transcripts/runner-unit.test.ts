/** The runner's pure parts: value comparison, renaming, parsing, and the per-client diff. */
import { expect } from 'chai';
import { compareValues, type CompareRules, type ExpectedItem, type ReceivedItem } from './compare.js';
import { diffClient } from './diff.js';
import { makeRenamer } from './rename.js';
import { parseTranscript } from './transcript.js';

const rules: CompareRules = { varying: new Set(['timestamp']), unordered: new Set(['users']) };
const line = (value: unknown, seq = 1): ExpectedItem => ({ kind: 'line', seq, raw: JSON.stringify(value), value, parsed: true });
const got = (value: unknown): ReceivedItem => ({ kind: 'line', raw: JSON.stringify(value), value, parsed: true });

describe('transcript runner: compareValues', () => {
  it('accepts equal values whatever the key order', () => {
    expect(compareValues({ a: 1, b: [true, null] }, { b: [true, null], a: 1 }, rules)).to.deep.equal([]);
  });
  it('reports a different value, a different JSON type, a missing and an extra key by field', () => {
    const diffs = compareValues({ type: 'x', n: 1, gone: 'y' }, { type: 'z', n: '1', added: 2 }, rules);
    expect(diffs.map((d) => d.field)).to.have.members(['$.type', '$.n', '$.gone', '$.added']);
  });
  it('compares a varying key by type: a string that Date.parse accepts', () => {
    const exp = { timestamp: '2026-11-24T14:10:15.804449' };
    expect(compareValues(exp, { timestamp: '2030-01-01T00:00:00.000000' }, rules)).to.deep.equal([]);
    expect(compareValues(exp, { timestamp: 'yesterday' }, rules)).to.have.length(1);
    expect(compareValues(exp, { timestamp: 1764000000 }, rules)).to.have.length(1);
    expect(compareValues(exp, {}, rules)).to.have.length(1);
  });
  it('compares unordered arrays as multisets, other arrays in order', () => {
    expect(compareValues({ users: ['a', 'b'] }, { users: ['b', 'a'] }, rules)).to.deep.equal([]);
    expect(compareValues({ users: ['a', 'a'] }, { users: ['a', 'b'] }, rules)).to.have.length(1);
    expect(compareValues({ users: ['a'] }, { users: ['a', 'a'] }, rules)).to.have.length(1);
    expect(compareValues({ list: ['a', 'b'] }, { list: ['b', 'a'] }, rules).map((d) => d.field)).to.deep.equal(['$.list[0]', '$.list[1]']);
  });
});

describe('transcript runner: makeRenamer', () => {
  const r = makeRenamer(['alice', 'zoe', 'Invité_rudy_1'], '_x1');
  it('renames whole words only, inside texts too', () => {
    expect(r.text('{"username":"alice","password":"pw-alice"}')).to.equal('{"username":"alice_x1","password":"pw-alice_x1"}');
    expect(r.text("L'utilisateur zoe n'est pas connecté.")).to.equal("L'utilisateur zoe_x1 n'est pas connecté.");
    expect(r.text('malice alice2 zoé Invité_rudy_1')).to.equal('malice alice2 zoé Invité_rudy_1_x1');
  });
  it('renames string values, not keys', () => {
    expect(r.value({ alice: 'alice', users: ['zoe', 1] })).to.deep.equal({ alice: 'alice_x1', users: ['zoe_x1', 1] });
  });
  it('moves split offsets past each renamed name, and renames raw bytes', () => {
    expect(r.offsets('{"u":"alice","v":"zoe"}', [3, 10, 11, 13, 30])).to.deep.equal([3, 10, 14, 16, 36]);
    expect(r.bytes(Buffer.from('alice caf\xe9\n', 'latin1'))).to.deep.equal(Buffer.from('alice_x1 caf\xe9\n', 'latin1'));
  });
  it('renames nothing with an empty suffix', () => {
    expect(makeRenamer(['alice'], '').text('alice')).to.equal('alice');
  });
});

describe('transcript runner: parseTranscript', () => {
  const header = '{"scenario":"s","users":[]}';
  it('sorts events by seq', () => {
    const t = parseTranscript(`${header}\n{"seq":2,"client":"A","dir":"close"}\n{"seq":1,"client":"A","dir":"connect"}\n`);
    expect(t.events.map((e) => e.seq)).to.deep.equal([1, 2]);
  });
  for (const [what, body] of [
    ['a line that is not JSON', '{"seq":1,'],
    ['an unknown dir', '{"seq":1,"client":"A","dir":"shout"}'],
    ['a repeated seq', '{"seq":1,"client":"A","dir":"connect"}\n{"seq":1,"client":"A","dir":"close"}'],
    ['a send without line', '{"seq":1,"client":"A","dir":"send"}'],
    ['a coalesce after another client', '{"seq":1,"client":"A","dir":"send","line":"x"}\n{"seq":2,"client":"B","dir":"send","line":"y","coalesce":true}'],
  ]) {
    it(`rejects ${what}`, () => {
      expect(() => parseTranscript(`${header}\n${body}\n`, 't')).to.throw(/^t/);
    });
  }
  it('rejects a file without a header', () => {
    expect(() => parseTranscript('{"seq":1,"client":"A","dir":"connect"}\n')).to.throw(/header/);
  });
});

describe('transcript runner: diffClient', () => {
  const a = line({ type: 'users', users: ['a'] }, 3);
  const b = line({ type: 'message', content: 'hi', timestamp: '2026-01-01T00:00:00' }, 5);
  it('finds nothing when the lines match', () => {
    expect(diffClient('A', [a, b], [got({ users: ['a'], type: 'users' }), got({ type: 'message', content: 'hi', timestamp: '2027-01-01T00:00:00' })], rules)).to.deep.equal([]);
  });
  it('reports a mismatch by field, with the client, seq and indexes', () => {
    const f = diffClient('A', [a, b], [got({ type: 'users', users: ['a'] }), got({ type: 'message', content: 'ho', timestamp: '2026-01-01T00:00:00' })], rules);
    expect(f).to.deep.equal([{ client: 'A', kind: 'mismatch', seq: 5, expectedIndex: 1, receivedIndex: 1, field: '$.content', message: 'expected "hi", got "ho"' }]);
  });
  it('reports a missing line and an extra line without shifting the others', () => {
    const f = diffClient('B', [a, b], [got({ type: 'error', message: 'x' }), got({ type: 'users', users: ['a'] })], rules);
    expect(f.map((x) => [x.kind, x.seq ?? x.receivedIndex])).to.have.deep.members([['unexpected', 0], ['missing', 5]]);
  });
  it('reports a close the transcript does not show, and a close that never came', () => {
    expect(diffClient('A', [a], [got({ type: 'users', users: ['a'] }), { kind: 'eof', reset: false }], rules).map((x) => x.kind)).to.deep.equal(['closed']);
    expect(diffClient('A', [a, { kind: 'eof', seq: 4 }], [got({ type: 'users', users: ['a'] })], rules).map((x) => x.kind)).to.deep.equal(['not-closed']);
    expect(diffClient('A', [{ kind: 'eof', seq: 4 }], [{ kind: 'eof', reset: true }], rules)).to.deep.equal([]);
  });
  it('reports a received line that is not JSON', () => {
    const f = diffClient('A', [a], [{ kind: 'line', raw: 'oops', value: undefined, parsed: false }], rules);
    expect(f.map((x) => x.kind)).to.have.members(['missing', 'unexpected']);
  });
});
