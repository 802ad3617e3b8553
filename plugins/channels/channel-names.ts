/**
 * §7.3: a channel name is a string starting with `#`, 2–32 characters, with no whitespace or
 * control characters. Names are compared in NFC, like usernames, so a macOS client's decomposed
 * `#général` is the same channel.
 */
const MIN_CHARS = 2;
const MAX_CHARS = 32;
const FORBIDDEN = /[\s\p{Cc}]/u;

/** The canonical (NFC) form of a valid channel name, or undefined when `value` is not one. */
export function channelName(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const name = value.normalize('NFC');
  const length = [...name].length;
  if (!name.startsWith('#') || length < MIN_CHARS || length > MAX_CHARS || FORBIDDEN.test(name)) return undefined;
  return name;
}
