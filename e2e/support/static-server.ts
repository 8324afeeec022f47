import { createServer, type Server, type ServerResponse } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import { DIST } from './backend';
import { connectOrigins, inlineScriptHashes, policy } from './csp';

/** Content types of the files a built app has (shared with the bench's server). */
export const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.wasm': 'application/wasm',
  '.css': 'text/css',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
};

/** Headers of a file of dist/: the service worker and its manifest are never cached without
 *  asking (docs/deploying.md tells nginx the same). */
export function fileHeaders(file: string): Record<string, string> {
  const headers: Record<string, string> = { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' };
  if (/(^|\/)sw(-manifest)?\.js$/.test(file)) headers['cache-control'] = 'no-cache';
  return headers;
}

export interface StaticOptions {
  /** Body of config.json; undefined means "no such file" (404). */
  config?: string;
  /** The directory served (default: the app's dist/). */
  root?: string;
  /** Send the deployment's CSP (default true; false: a page of some other site). */
  csp?: boolean;
}

/**
 * A plain static host for dist/ with an SPA fallback, as a deployment would have (nginx
 * `try_files $uri /index.html`), serving a chosen config.json, and the strict CSP that
 * `cargo xtask build` prints for such a deployment (API and socket origins from config.json).
 */
export async function startStatic(options: StaticOptions): Promise<{ url: string; close: () => Promise<void> }> {
  const ROOT = options.root ?? DIST;
  const html = await readFile(join(ROOT, 'index.html'), 'utf8');
  const security = {
    'content-security-policy': policy(inlineScriptHashes(html), connectOrigins(options.config)),
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
  };
  const server: Server = createServer(async (req, res) => {
    if (options.csp !== false) for (const [name, value] of Object.entries(security)) res.setHeader(name, value);
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    if (path === '/config.json') {
      if (options.config === undefined) {
        res.writeHead(404).end('not found');
      } else {
        res.writeHead(200, { 'content-type': 'application/json' }).end(options.config);
      }
      return;
    }
    const file = path === '/' ? join(ROOT, 'index.html') : normalize(join(ROOT, path));
    const isAsset = extname(path) !== '' && extname(path) !== '.html';
    try {
      if (!file.startsWith(ROOT)) throw new Error('outside dist');
      const body = await readFile(file);
      res.writeHead(200, fileHeaders(file)).end(body);
    } catch {
      if (isAsset) {
        res.writeHead(404).end('not found');
      } else {
        res.writeHead(200, { 'content-type': TYPES['.html'] }).end(await readFile(join(ROOT, 'index.html')));
      }
    }
  });
  return listen(server);
}

/** Starts `server` on a free loopback port: its URL and a way to close it. */
export async function listen(server: Server): Promise<{ url: string; close: () => Promise<void> }> {
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    // The page may still be open: its keep-alive connections would hold close() until they
    // time out (60 s under load).
    close: () => new Promise<void>((ok) => (server.closeAllConnections(), server.close(() => ok()))),
  };
}

/**
 * dist/ deployed under sub-paths as `cargo xtask build --public-url /herald/` would make it,
 * one deployment per entry of `deployments` (sub-path → its config.json body; undefined: 404):
 * `<base href>` and the loader's asset paths under it, each with the CSP its config makes, and
 * nothing at all outside the sub-paths. Two entries are two deployments on one origin.
 */
export async function startSubPaths(deployments: Record<string, string | undefined>) {
  const source = await readFile(join(DIST, 'index.html'), 'utf8');
  const sites = Object.entries(deployments).map(([base, config]) => {
    const html = source
      .replace(/(href|src)="\//g, `$1="${base}`)
      .replace(/'\/(herald-[^']+)'/g, `'${base}$1'`);
    if (!html.includes(`<base href="${base}"`)) throw new Error(`index.html has no <base href="${base}">`);
    return { base, config, html, csp: policy(inlineScriptHashes(html), connectOrigins(config)) };
  });
  const server: Server = createServer((req, res) => {
    serve(req.url ?? '/', res).catch(() => res.writeHead(500).end());
  });
  async function serve(url: string, res: ServerResponse) {
    const path = decodeURIComponent(new URL(url, 'http://x').pathname);
    const site = sites.find((s) => path.startsWith(s.base));
    if (!site) return void res.writeHead(404).end('not found');
    res.setHeader('content-security-policy', site.csp);
    const rest = path.slice(site.base.length);
    if (rest === 'config.json') {
      if (site.config === undefined) return void res.writeHead(404).end('not found');
      return void res.writeHead(200, { 'content-type': 'application/json' }).end(site.config);
    }
    const file = normalize(join(DIST, rest));
    if (extname(rest) && extname(rest) !== '.html' && file.startsWith(DIST)) {
      const body = await readFile(file).catch(() => null);
      if (!body) return void res.writeHead(404).end('not found');
      return void res.writeHead(200, fileHeaders(file)).end(body);
    }
    res.writeHead(200, { 'content-type': TYPES['.html'], 'cache-control': 'no-cache' }).end(site.html);
  }
  return listen(server);
}
