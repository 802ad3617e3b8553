// @ts-check
/** Parsing `!roll [sides]`: no hooks here, so it is unit-tested alone. */

/**
 * What a line asks for: undefined when it is not a `!roll` command at all.
 * @param {unknown} content the message's `content`
 * @param {number} defaultSides
 * @param {number} maxSides
 * @returns {{ sides: number } | { error: string } | undefined}
 */
export function parseRoll(content, defaultSides, maxSides) {
  if (typeof content !== 'string') return undefined;
  const m = /^!roll(?:\s+(\S+))?\s*$/.exec(content.trim());
  if (!m) return undefined;
  if (m[1] === undefined) return { sides: defaultSides };
  const sides = /^\d+$/.test(m[1]) ? Number(m[1]) : NaN;
  if (!(sides >= 2 && sides <= maxSides)) return { error: `Usage: !roll [sides], sides from 2 to ${maxSides}.` };
  return { sides };
}
