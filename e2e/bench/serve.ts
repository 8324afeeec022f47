// The benchmark's static host: what a production deployment of each client sends (the README's
// nginx block), the same for every client. Compared with e2e/support/static-server.ts it adds:
// - precompression: `x.br` / `x.gz` beside `x` as `cargo xtask build` writes them for Herald;
//   for a client without such copies (the baselines) the same brotli 11 / gzip -9, made once
//   here; `Content-Encoding` and `Vary: Accept-Encoding` as nginx brotli_static / gzip_static;
// - HTTP caching: names with a content hash (Trunk's `-<16 hex>`, Vite's `-<8 chars>`) are
//   `immutable` for a year, everything else revalidates (`no-cache` + ETag, 304), config.json is
//   never stored. A second visit in the same browser context then shows the warm figure.
import { createServer, type Server } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { connectOrigins, inlineScriptHashes, policy } from '../support/csp';
import { TYPES, listen } from '../support/static-server';

const COMPRESSIBLE = new Set(['.html', '.js', '.wasm', '.css', '.json', '.svg']);
const HASHED = /-(?:[0-9a-f]{16}(?:_bg)?|[A-Za-z0-9_-]{8})\.(?:js|wasm|css|svg)$/;

/** Encodings the request accepts (q > 0), lower case. */
function accepted(header: string | string[] | undefined): Set<string> {
  const out = new Set<string>();
  for (const part of String(header ?? '').split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    if (name && !(q && Number(q.slice(2)) === 0)) out.add(name);
  }
  return out;
}

interface Variant {
  body: Buffer;
  encoding?: 'br' | 'gzip';
}

export async function startPrecompressed(options: { root: string; config: string }) {
  const ROOT = options.root;
  const html = await readFile(join(ROOT, 'index.html'), 'utf8');
  const security = {
    'content-security-policy': policy(inlineScriptHashes(html), connectOrigins(options.config)),
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
  };
  const made = new Map<string, Buffer>();
  /** The copy beside the file, or the same compression made here once. */
  async function copy(file: string, raw: Buffer, encoding: 'br' | 'gzip'): Promise<Buffer> {
    const ext = encoding === 'br' ? '.br' : '.gz';
    const beside = await readFile(file + ext).catch(() => null);
    if (beside) return beside;
    const key = file + ext;
    if (!made.has(key)) {
      made.set(
        key,
        encoding === 'br'
          ? brotliCompressSync(raw, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: raw.length } })
          : gzipSync(raw, { level: 9 }),
      );
    }
    return made.get(key)!;
  }
  async function variant(file: string, accept: Set<string>): Promise<Variant> {
    const raw = await readFile(file);
    if (!COMPRESSIBLE.has(extname(file))) return { body: raw };
    for (const encoding of ['br', 'gzip'] as const) {
      if (!accept.has(encoding)) continue;
      const body = await copy(file, raw, encoding);
      if (body.length < raw.length) return { body, encoding };
    }
    return { body: raw };
  }

  const server: Server = createServer(async (req, res) => {
    for (const [name, value] of Object.entries(security)) res.setHeader(name, value);
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    if (path === '/config.json') {
      res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(options.config);
      return;
    }
    let file = path === '/' ? join(ROOT, 'index.html') : normalize(join(ROOT, path));
    const isAsset = extname(path) !== '' && extname(path) !== '.html';
    try {
      if (!file.startsWith(ROOT)) throw new Error('outside the root');
      if (!(await stat(file)).isFile()) throw new Error('not a file');
    } catch {
      if (isAsset) {
        res.writeHead(404).end('not found');
        return;
      }
      file = join(ROOT, 'index.html');
    }
    const info = await stat(file);
    const accept = accepted(req.headers['accept-encoding']);
    const v = await variant(file, accept);
    const etag = `"${info.size.toString(16)}-${Math.floor(info.mtimeMs).toString(16)}${v.encoding ? `-${v.encoding}` : ''}"`;
    const headers: Record<string, string> = {
      'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
      'cache-control': HASHED.test(file) ? 'public, max-age=31536000, immutable' : 'no-cache',
      'last-modified': info.mtime.toUTCString(),
      etag,
      vary: 'Accept-Encoding',
    };
    if (v.encoding) headers['content-encoding'] = v.encoding;
    if (req.headers['if-none-match'] === etag) {
      res.writeHead(304, headers).end();
      return;
    }
    res.writeHead(200, { ...headers, 'content-length': String(v.body.length) }).end(v.body);
  });
  return listen(server);
}
