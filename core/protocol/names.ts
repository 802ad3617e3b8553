/**
 * D7: a username is 1–64 characters, no control characters, not only whitespace. It is not
 * trimmed; accents, `_` and digits are fine (Rudy's guests look like `Invité_jean_1750000000000`).
 */
const CONTROL = /\p{Cc}/u;
export const MAX_USERNAME_CHARS = 64;

export function isValidUsername(name: string): boolean {
  const length = [...name].length;
  return length >= 1 && length <= MAX_USERNAME_CHARS && !CONTROL.test(name) && name.trim() !== '';
}

/** Names are compared in NFC, so a macOS client's decomposed `é` is the same user. */
export const normalizeName = (name: string): string => name.normalize('NFC');
