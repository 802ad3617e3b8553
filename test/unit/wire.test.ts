import { expect } from 'chai';
import { formatTimestamp } from '../../core/clock.js';
import { encodeLine, MAX_JSON_DEPTH, parseEnvelope } from '../../core/wire.js';

describe('encodeLine', () => {
  it('escapes every non-ASCII character like json.dumps, astral ones as surrogate pairs', () => {
    const line = encodeLine({ type: 'message', content: 'é ü € 😀 中', channel: '#général' }).toString('latin1');
    expect(line).to.equal('{"type":"message","content":"\\u00e9 \\u00fc \\u20ac \\ud83d\\ude00 \\u4e2d","channel":"#g\\u00e9n\\u00e9ral"}\n');
    expect([...Buffer.from(line, 'latin1')].every((b) => b < 0x80)).to.equal(true);
    expect(JSON.parse(line)).to.deep.equal({ type: 'message', content: 'é ü € 😀 中', channel: '#général' });
  });

  it('keeps an embedded newline escaped so a message stays one line', () => {
    expect(encodeLine({ content: 'a\nb' }).toString()).to.equal('{"content":"a\\nb"}\n');
  });
});

describe('parseEnvelope', () => {
  it('answers the D3 texts for each kind of bad line', () => {
    expect(parseEnvelope('hello')).to.equal('Invalid JSON.');
    expect(parseEnvelope('[]')).to.equal('Invalid message.');
    expect(parseEnvelope('"x"')).to.equal('Invalid message.');
    expect(parseEnvelope('42')).to.equal('Invalid message.');
    expect(parseEnvelope('null')).to.equal('Invalid message.');
    expect(parseEnvelope('{"content":"x"}')).to.equal('Invalid message.');
    expect(parseEnvelope('{"type":7}')).to.equal('Invalid message.');
    expect(parseEnvelope('{"type":"users"}')).to.deep.equal({ type: 'users' });
  });

  it('refuses nesting deep enough to break re-serialisation', () => {
    const deep = (n: number) => '{"type":"message","x":' + '['.repeat(n) + ']'.repeat(n) + '}';
    expect(parseEnvelope(deep(MAX_JSON_DEPTH - 2))).to.be.an('object');
    expect(parseEnvelope(deep(20000))).to.equal('Invalid message.');
  });
});

describe('formatTimestamp', () => {
  it('prints local time with six fractional digits and no offset (D9)', () => {
    const at = new Date(2026, 10, 24, 14, 6, 32, 170).getTime() + 0.097;
    expect(formatTimestamp(at)).to.equal('2026-11-24T14:06:32.170097');
    expect(formatTimestamp(new Date(2026, 0, 2, 3, 4, 5, 0).getTime())).to.equal('2026-01-02T03:04:05.000000');
    expect(Number.isNaN(Date.parse(formatTimestamp(Date.now())))).to.equal(false);
  });
});
