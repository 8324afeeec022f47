// Transfer size of a built app: every file the first load fetches, raw, gzip -9 and brotli -11.
// usage: node bench/size.mjs DIST_DIR [LABEL]
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, extname } from 'node:path';
import { gzipSync, brotliCompressSync, constants } from 'node:zlib';

const dir = process.argv[2];
const label = process.argv[3] ?? dir;
const files = [];
const walk = (d) => {
  for (const f of readdirSync(d)) {
    const p = join(d, f);
    if (statSync(p).isDirectory()) walk(p);
    else if (['.html', '.js', '.wasm', '.css', '.json'].includes(extname(p))) files.push(p);
  }
};
walk(dir);
let raw = 0, gz = 0, br = 0;
const rows = [];
for (const f of files) {
  const b = readFileSync(f);
  const g = gzipSync(b, { level: 9 }).length;
  const r = brotliCompressSync(b, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
  raw += b.length; gz += g; br += r;
  rows.push(`| ${label} | ${f.slice(dir.length + 1)} | ${(b.length / 1024).toFixed(1)} | ${(g / 1024).toFixed(1)} | ${(r / 1024).toFixed(1)} |`);
}
rows.push(`| ${label} | **total** | ${(raw / 1024).toFixed(1)} | ${(gz / 1024).toFixed(1)} | ${(br / 1024).toFixed(1)} |`);
console.log(rows.join('\n'));
console.error(JSON.stringify({ label, raw, gzip: gz, brotli: br }));
