/**
 * The WebSocket origin check. A browser sends `Origin` with every WebSocket handshake and lets any
 * page open one to any host, with the user's cookies and network position; refusing foreign
 * origins stops another site from chatting in the user's name (cross-site WebSocket hijacking).
 */

/** Why a handshake was refused, or undefined when it may go on. */
export type OriginVerdict = undefined | 'origin-not-allowed';

/**
 * Same-origin means the `Origin` names the host the browser connected to (`Host`), over http(s).
 * A handshake without `Origin` is not from a browser page (curl, a bot, the TCP-like tools of a
 * class): it could send any header it likes, so refusing it would protect nothing.
 */
export function checkOrigin(origin: string | undefined, host: string | undefined, allowed: readonly string[]): OriginVerdict {
  if (origin === undefined) return undefined;
  if (allowed.includes('*')) return undefined;
  const normalized = normalizeOrigin(origin);
  if (normalized === undefined) return 'origin-not-allowed'; // "null" (sandboxed pages, file://) and garbage
  if (allowed.some((a) => normalizeOrigin(a) === normalized)) return undefined;
  if (host !== undefined && (normalized === `http://${host.toLowerCase()}` || normalized === `https://${host.toLowerCase()}`)) return undefined;
  return 'origin-not-allowed';
}

/** `scheme://host[:port]` in lower case with the default port dropped, or undefined if it is not one. */
export function normalizeOrigin(value: string): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  return `${url.protocol}//${url.host}`; // URL drops default ports and lower-cases the host
}
