/**
 * Per-run renaming of the header's `users`: `alice` becomes `alice<suffix>` in sent lines, raw
 * bytes, expected values and inside texts, so a transcript can run again against a server that
 * keeps its accounts.
 */

export interface Renamer {
  /** Renames every whole-word occurrence of a name in a text. */
  text(s: string): string;
  /** Renames inside every string of a parsed JSON value (keys are left alone). */
  value(v: unknown): unknown;
  /** Renames inside raw bytes (names matched by their UTF-8 bytes). */
  bytes(b: Buffer): Buffer;
  /** Moves byte offsets of `s + "\n"` to the same places in the renamed text. */
  offsets(s: string, offsets: readonly number[]): number[];
}

const IDENTITY: Renamer = {
  text: (s) => s,
  value: (v) => v,
  bytes: (b) => b,
  offsets: (_s, o) => [...o],
};

/**
 * Builds a renamer that appends `suffix` to each of `names` where it stands as a whole word
 * (not preceded or followed by a letter, a digit or `_`).
 *
 * @param names - the header's `users`
 * @param suffix - appended to each name; an empty suffix renames nothing
 */
export function makeRenamer(names: readonly string[] | undefined, suffix: string): Renamer {
  const list = [...new Set(names ?? [])].filter((n) => n !== '').sort((a, b) => b.length - a.length);
  if (suffix === '' || list.length === 0) return IDENTITY;
  const textPattern = wordPattern(list);
  // Raw bytes are read as latin1 so that each byte is one character; names are matched by their UTF-8 bytes.
  const bytePattern = wordPattern(list.map((n) => Buffer.from(n, 'utf8').toString('latin1')));
  const latin1Suffix = Buffer.from(suffix, 'utf8').toString('latin1');
  const text = (s: string) => s.replace(textPattern, (m) => m + suffix);
  const value = (v: unknown): unknown => {
    if (typeof v === 'string') return text(v);
    if (Array.isArray(v)) return v.map(value);
    if (typeof v === 'object' && v !== null) {
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, value(x)]));
    }
    return v;
  };
  return {
    text,
    value,
    bytes: (b) => Buffer.from(b.toString('latin1').replace(bytePattern, (m) => m + latin1Suffix), 'latin1'),
    offsets(s, offsets) {
      const grow = Buffer.byteLength(suffix);
      const ends = [...s.matchAll(textPattern)].map((m) => Buffer.byteLength(s.slice(0, m.index + m[0].length)));
      return offsets.map((o) => o + grow * ends.filter((end) => end <= o).length);
    },
  };
}

function wordPattern(names: readonly string[]): RegExp {
  const alternatives = names.map((n) => n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|');
  return new RegExp(`(?<![\\p{L}\\p{N}_])(?:${alternatives})(?![\\p{L}\\p{N}_])`, 'gu');
}
