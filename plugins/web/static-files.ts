/**
 * The browser client's files, read once at start and served from memory: a fixed list, so no
 * request path ever reaches the file system (no traversal to guard against).
 */
import { existsSync, readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { fileURLToPath } from 'node:url';

interface Asset {
  readonly body: Buffer;
  readonly type: string;
}

const FILES: Readonly<Record<string, readonly [file: string, type: string]>> = {
  '/': ['index.html', 'text/html; charset=utf-8'],
  '/index.html': ['index.html', 'text/html; charset=utf-8'],
  '/app.js': ['app.js', 'text/javascript; charset=utf-8'],
  '/style.css': ['style.css', 'text/css; charset=utf-8'],
};

/**
 * Headers of every response. The CSP allows only this server's own scripts, styles and
 * WebSocket: even if a bug inserted user text as HTML, no inline or foreign script would run.
 */
const SECURITY_HEADERS = {
  'Content-Security-Policy': "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cache-Control': 'no-cache',
};

/** public/ beside this module; from dist/, the sources' copy (tsc does not copy non-TS files). */
function publicDir(): string {
  const beside = fileURLToPath(new URL('./public/', import.meta.url));
  if (existsSync(beside)) return beside;
  return fileURLToPath(new URL('../../../plugins/web/public/', import.meta.url));
}

/**
 * Loads every asset now, so a missing file fails the plugin's start, not a later request. The
 * page learns the WebSocket path from `data-ws-path` (the option's pattern keeps it attribute-safe).
 */
export function loadAssets(wsPath: string): ReadonlyMap<string, Asset> {
  const dir = publicDir();
  const assets = new Map<string, Asset>();
  for (const [path, [file, type]] of Object.entries(FILES)) {
    let body = readFileSync(dir + file);
    if (file === 'index.html') body = Buffer.from(body.toString('utf8').replace('<body>', `<body data-ws-path="${wsPath}">`));
    assets.set(path, { body, type });
  }
  return assets;
}

/** Answers one HTTP request from the assets: GET/HEAD only, 404 for anything else. */
export function serveAsset(assets: ReadonlyMap<string, Asset>, req: IncomingMessage, res: ServerResponse): void {
  const path = (req.url ?? '/').split('?')[0]!;
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { ...SECURITY_HEADERS, Allow: 'GET, HEAD', 'Content-Type': 'text/plain; charset=utf-8' }).end('Method not allowed\n');
    return;
  }
  const asset = assets.get(path);
  if (!asset) {
    res.writeHead(404, { ...SECURITY_HEADERS, 'Content-Type': 'text/plain; charset=utf-8' }).end('Not found\n');
    return;
  }
  res.writeHead(200, { ...SECURITY_HEADERS, 'Content-Type': asset.type, 'Content-Length': asset.body.length });
  res.end(req.method === 'HEAD' ? undefined : asset.body);
}
