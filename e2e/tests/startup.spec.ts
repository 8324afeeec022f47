// The start of the app: config.json read once, while the wasm downloads (index.html's preload,
// early-config.js), and every way of finding the configuration still working around it.
import { createServer, type Server, type ServerResponse } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import type { Page } from '@playwright/test';
import { test, expect } from '../support/fixtures';
import { DIST } from '../support/backend';
import { connectOrigins, inlineScriptHashes, policy } from '../support/csp';
import { startStatic, listen, TYPES } from '../support/static-server';

/** Every request the page makes for a `config.json`, by path. */
function configRequests(page: Page): string[] {
  const seen: string[] = [];
  page.on('request', (r) => {
    const path = new URL(r.url()).pathname;
    if (path.endsWith('/config.json')) seen.push(path);
  });
  return seen;
}

/**
 * dist/ deployed under `/herald/` as `cargo xtask build --public-url /herald/` would make it:
 * `<base href="/herald/">` and the loader's asset paths under it; `/herald/config.json` as given
 * (404 when undefined), and nothing at all outside `/herald/`.
 */
async function startSubPath(config: string | undefined) {
  const html = (await readFile(join(DIST, 'index.html'), 'utf8'))
    .replace(/(href|src)="\//g, '$1="/herald/')
    .replace(/'\/(herald-[^']+)'/g, "'/herald/$1'");
  expect(html).toContain('<base href="/herald/"');
  const csp = policy(inlineScriptHashes(html), connectOrigins(config));
  const server: Server = createServer((req, res) => {
    serve(req.url ?? '/', res).catch(() => res.writeHead(500).end());
  });
  async function serve(url: string, res: ServerResponse) {
    res.setHeader('content-security-policy', csp);
    const path = decodeURIComponent(new URL(url, 'http://x').pathname);
    if (!path.startsWith('/herald/')) return void res.writeHead(404).end('not found');
    const rest = path.slice('/herald/'.length);
    if (rest === 'config.json') {
      if (config === undefined) return void res.writeHead(404).end('not found');
      return void res.writeHead(200, { 'content-type': 'application/json' }).end(config);
    }
    const file = normalize(join(DIST, rest));
    if (extname(rest) && extname(rest) !== '.html' && file.startsWith(DIST)) {
      const body = await readFile(file).catch(() => null);
      if (!body) return void res.writeHead(404).end('not found');
      return void res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(body);
    }
    res.writeHead(200, { 'content-type': TYPES['.html'] }).end(html);
  }
  return listen(server);
}

test.describe('start', () => {
  test('config.json is fetched once, and the sign-in form names its server', async ({ page, backend }) => {
    const host = await startStatic({ config: JSON.stringify({ api_base_url: backend.url }) });
    try {
      const configs = configRequests(page);
      await page.goto(`${host.url}/`);
      await expect(page).toHaveURL(/\/login\?next=%2F$/);
      await expect(page.getByText(`Server: ${new URL(backend.url).host}`)).toBeVisible();
      expect(configs).toEqual(['/config.json']);
    } finally {
      await host.close();
    }
  });

  test('without early-config.js the app fetches config.json itself, still once', async ({ page, backend }) => {
    const host = await startStatic({ config: JSON.stringify({ api_base_url: backend.url }) });
    try {
      await page.route('**/early-config-*.js', (route) => route.fulfill({ status: 404, body: 'not found' }));
      const configs = configRequests(page);
      await page.goto(`${host.url}/login`);
      await expect(page.getByText(`Server: ${new URL(backend.url).host}`)).toBeVisible();
      expect(configs).toEqual(['/config.json']);
    } finally {
      await host.close();
    }
  });

  test('a slow config.json shows "Starting", then the form; a signed-out inbox visit lands on it', async ({ page, backend }) => {
    await backend.hold('/config.json');
    try {
      await page.goto(`${backend.url}/`);
      await expect(page.getByRole('status')).toHaveText('Starting Herald…');
      await expect(page.getByRole('button', { name: 'Sign in' })).toHaveCount(0);
    } finally {
      await backend.control('release', { path: '/config.json' });
    }
    await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible();
    await expect(page).toHaveURL(/\/login\?next=%2F$/);
    await expect(page.getByText(`Server: ${new URL(backend.url).host}`)).toBeVisible();
  });

  test('what is typed into the form at / survives the address becoming /login?next=/', async ({ page, backend }) => {
    await page.goto(`${backend.url}/`);
    await page.getByLabel('Username').fill('finance1');
    await expect(page).toHaveURL(/\/login\?next=%2F$/);
    await expect(page.getByLabel('Username')).toHaveValue('finance1');
    await page.getByLabel('Password').fill('Passw0rd!');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page).toHaveURL(`${backend.url}/`);
    await expect(page.getByRole('heading', { name: 'Notifications' })).toBeVisible();
  });

  test('a sub-path deployment reads its own config.json, once', async ({ page, backend }) => {
    const host = await startSubPath(JSON.stringify({ api_base_url: backend.url }));
    try {
      const configs = configRequests(page);
      await page.goto(`${host.url}/herald/`);
      await expect(page).toHaveURL(new RegExp(`^${host.url}/herald/login\\?next=`));
      await expect(page.getByText(`Server: ${new URL(backend.url).host}`)).toBeVisible();
      expect(configs).toEqual(['/herald/config.json']);
    } finally {
      await host.close();
    }
  });

  test('a sub-path deployment without config.json uses its own origin', async ({ page }) => {
    const host = await startSubPath(undefined);
    try {
      const configs = configRequests(page);
      await page.goto(`${host.url}/herald/login`);
      await expect(page.getByText(`Server: ${new URL(host.url).host}`)).toBeVisible();
      expect(configs).toEqual(['/herald/config.json']);
    } finally {
      await host.close();
    }
  });
});
