/**
 * Every wire text core sends, in one place. The first two are the reference's and are matched by
 * real clients (Rudy looks for "already exists"); the others are decision D3's additions.
 */
export const ERR = Object.freeze({
  // COMPAT: the reference's two error texts, byte for byte.
  usernameTaken: 'Username already exists.',
  loginFailed: 'Login failed.',
  invalidJson: 'Invalid JSON.',
  invalidMessage: 'Invalid message.',
  unknownType: 'Unknown message type.',
  invalidUsername: 'Invalid username.',
  lineTooLong: 'Line too long.',
  invalidUtf8: 'Invalid UTF-8.',
  authUnavailable: 'Authentication unavailable.',
  internal: 'Internal error.',
  missingField: (name: string) => `Missing field: ${name}.`,
  invalidField: (name: string) => `Invalid ${name}.`,
  notConnected: (name: string) => `User ${name} is not connected.`,
});

/** COMPAT: the name a guest gets when its first message has no `from` (juklau's guests). */
export const DEFAULT_GUEST_NAME = 'invité';
/** Names a guest may never take (D4); `server` signs system lines. */
export const RESERVED_NAMES: ReadonlySet<string> = new Set(['server']);
