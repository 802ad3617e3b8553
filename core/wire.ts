/**
 * The JSON side of the wire: parsing a client's line into an envelope, and encoding replies the
 * way every known client can read them.
 */

/** Any JSON object a client sent, after the envelope check. */
export type WireObject = Record<string, unknown> & { readonly type: string };

/** Why a line was not a usable envelope; the value is the wire error text (D3). */
export type EnvelopeError = 'Invalid JSON.' | 'Invalid message.';

/** Nesting deeper than this is refused before anything re-serialises it (JSON.stringify overflows near 10,000). */
export const MAX_JSON_DEPTH = 32;

/** Parses one decoded line; returns the object or the error text to send back. */
export function parseEnvelope(text: string): WireObject | EnvelopeError {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return 'Invalid JSON.';
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return 'Invalid message.';
  if (typeof (value as { type?: unknown }).type !== 'string') return 'Invalid message.';
  if (exceedsDepth(value, MAX_JSON_DEPTH)) return 'Invalid message.';
  return value as WireObject;
}

function exceedsDepth(value: unknown, budget: number): boolean {
  if (value === null || typeof value !== 'object') return false;
  if (budget === 0) return true;
  for (const child of Object.values(value)) {
    if (exceedsDepth(child, budget - 1)) return true;
  }
  return false;
}

const NON_ASCII = /[\u0080-\uffff]/g;
const escapeChar = (c: string): string => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0');

/**
 * Serialises one outbound object as a `\n`-terminated line of pure ASCII.
 * COMPAT: the reference's json.dumps escapes every non-ASCII character; Windows clients decode
 * with the platform charset, so raw UTF-8 would show `#général` as `#gÃ©nÃ©ral` (PROTOCOL.md §1.4).
 * Non-ASCII can only occur inside JSON strings, so a global replace is safe; astral characters
 * are already two UTF-16 units and come out as a surrogate pair, like Python's.
 */
export function encodeLine(payload: object): Buffer {
  return Buffer.from(JSON.stringify(payload).replace(NON_ASCII, escapeChar) + '\n', 'latin1');
}
