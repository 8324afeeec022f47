import { test, expect } from '../support/fixtures';
import type { Page, Request, Response } from '@playwright/test';
import { connection, signIn } from '../support/app';
import { startSubPaths } from '../support/static-server';

// Issue #23, items 1 and 2: the service worker (sw.js) precaches the build, serves it on the
// next visit, keeps the shell and the signed-in user's cached inbox working offline, and never
// touches the API or the socket. Service workers are blocked in every other spec.
test.use({ serviceWorkers: 'allow' });

const inbox = (page: Page) => page.getByRole('region', { name: 'Notifications' });
const job = (page: Page, tx: number) =>
  page.getByRole('region', { name: 'Oracle uploads' }).getByRole('heading', { name: new RegExp(`^Transaction ${tx}\\b`) });

/** Waits until the page's scope has an activated worker (registered when the page is idle). */
async function workerActive(page: Page) {
  await expect
    .poll(() =>
      page.evaluate(async () => {
        const r = await navigator.serviceWorker?.getRegistration();
        return r?.active?.state ?? 'none';
      }),
    )
    .toBe('activated');
}

/** Every response the page got and every request a service worker made, from now on. */
function watch(page: Page) {
  const responses: Response[] = [];
  const fromWorker: Request[] = [];
  page.on('response', (r) => responses.push(r));
  page.context().on('request', (r) => {
    if (r.serviceWorker()) fromWorker.push(r);
  });
  return { responses, fromWorker };
}

test.describe('service worker', () => {
  test('a second visit comes from the worker; the API and the socket never go through it', async ({ page, backend }) => {
    await signIn(page, backend);
    await workerActive(page);
    // The reference backend serves the worker and its manifest as JavaScript, never cached
    // without asking.
    for (const name of ['sw.js', 'sw-manifest.js']) {
      const r = await page.request.get(`${backend.url}/${name}`);
      expect(r.headers()['content-type'], name).toMatch(/javascript/);
      expect(r.headers()['cache-control'], name).toBe('no-cache');
    }
    const seen = watch(page);
    const sockets: string[] = [];
    page.on('websocket', (ws) => sockets.push(ws.url()));
    await page.reload();
    await expect(connection(page)).toHaveAttribute('data-connection', 'connected');
    await backend.control('notify', { username: 'finance1', eng_message: 'After the second visit' });
    await expect(inbox(page).getByRole('listitem').first()).toContainText('After the second visit');

    const assets = seen.responses.filter((r) => /\.(wasm|js|css|svg)$/.test(new URL(r.url()).pathname));
    expect(assets.map((r) => new URL(r.url()).pathname).sort()).toEqual(
      expect.arrayContaining([expect.stringMatching(/_bg\.wasm$/), expect.stringMatching(/^\/herald-.*\.js$/), expect.stringMatching(/\.css$/)]),
    );
    for (const r of assets) expect(r.fromServiceWorker(), r.url()).toBe(true);
    // The page itself went through the worker (network-first: the network answered).
    const document = seen.responses.find((r) => r.request().resourceType() === 'document');
    expect(document?.fromServiceWorker()).toBe(true);

    const api = seen.responses.filter((r) => new URL(r.url()).pathname.startsWith('/api/'));
    expect(api.length).toBeGreaterThan(0);
    for (const r of api) expect(r.fromServiceWorker(), r.url()).toBe(false);
    expect(sockets.length).toBe(1);
    // The worker itself asked for none of them (it fetched only the page, network-first).
    const workerPaths = seen.fromWorker.map((r) => new URL(r.url()).pathname);
    expect(workerPaths.filter((p) => p.startsWith('/api/') || p.startsWith('/ws/'))).toEqual([]);
    // config.json is asked for once per start, as without the worker (preload + early-config.js).
    expect(workerPaths.filter((p) => p === '/config.json')).toEqual(['/config.json']);
    expect(workerPaths.filter((p) => /\.(wasm|js|css)$/.test(p))).toEqual([]);
  });

  test('a repeat visit asks for config.json beside the page, not after it', async ({ page, backend }) => {
    await signIn(page, backend);
    await workerActive(page);
    const path = new URL(page.url()).pathname;
    // The page and config.json both wait unanswered: with the worker asking for config.json
    // when the navigation comes in, both requests are at the server while the page is not.
    await backend.control('hold', { path });
    await backend.control('hold', { path: '/config.json' });
    const reload = page.reload().catch(() => {});
    try {
      await expect
        .poll(async () => (await backend.control<{ held: Record<string, number> }>('held')).held, { timeout: 10_000 })
        .toMatchObject({ [path]: 1, '/config.json': 1 });
    } finally {
      await backend.control('release', { path });
      await backend.control('release', { path: '/config.json' });
    }
    await reload;
    await expect(connection(page)).toHaveAttribute('data-connection', 'connected');
  });

  test('offline: a reload shows the shell, the cached inbox and "Offline" with its actions disabled, and reconnects by itself', async ({ page, context, backend }) => {
    await signIn(page, backend);
    await backend.control('notify', { username: 'finance1', eng_message: 'Budget transfer FAR-0923 approved' });
    await expect(inbox(page).getByText('FAR-0923')).toBeVisible();
    await backend.control('oracle', { username: 'finance1', transaction_id: 924, steps: ['Upload', 'Import'], step_ms: 60_000 });
    await expect(job(page, 924)).toBeVisible();
    await workerActive(page);
    // The per-user cache of the newest items is written (what an offline start shows).
    await expect
      .poll(() =>
        page.evaluate(() => {
          const stored = Object.keys(localStorage).map((k) => localStorage.getItem(k) ?? '');
          return stored.some((v) => v.includes('FAR-0923')) && stored.some((v) => v.includes('924'));
        }),
      )
      .toBe(true);

    await context.setOffline(true);
    // The cut is real for the page: the API does not answer.
    const probe = await page.evaluate(() => fetch('/api/notifications/').then(() => 'answered', () => 'failed'));
    expect(probe).toBe('failed');
    await page.reload();
    await expect(page.getByRole('heading', { name: 'Herald' }).or(page.getByRole('banner'))).toBeVisible();
    await expect(inbox(page).getByText('FAR-0923')).toBeVisible();
    await expect(job(page, 924)).toBeVisible();
    await expect(connection(page)).toHaveAttribute('data-connection', 'offline');
    await expect(connection(page)).toContainText('Offline');
    // The inbox's actions all need the server: disabled while offline, said so from the
    // keyboard (e on the focused item), nothing changed.
    const item = inbox(page).getByRole('listitem').filter({ hasText: 'FAR-0923' });
    await expect(item.getByRole('button', { name: /^Mark as read\b/ })).toBeDisabled();
    await expect(item.getByRole('button', { name: /^Delete\b/ })).toBeDisabled();
    await expect(inbox(page).getByRole('button', { name: 'Mark all as read' })).toBeDisabled();
    const unread = await inbox(page).getByText(/^\d+ unread$/).textContent();
    await item.focus();
    await page.keyboard.press('e');
    await expect(inbox(page).getByText('Offline: this needs the network', { exact: true })).toBeAttached();
    await expect(inbox(page).getByText(/^\d+ unread$/)).toHaveText(unread!);
    await expect(item.getByRole('button', { name: /^Mark as read\b/ })).toBeAttached();

    // Opening Herald anew (a new tab, deep link) with the network off works too.
    const second = await context.newPage();
    await second.goto(`${backend.url}/`);
    await expect(inbox(second).getByText('FAR-0923')).toBeVisible();
    await expect(connection(second)).toHaveAttribute('data-connection', 'offline');
    await second.close();

    await backend.control('notify', { username: 'finance1', eng_message: 'Sent while you were offline' });
    await context.setOffline(false);
    await expect(connection(page)).toHaveAttribute('data-connection', 'connected');
    await expect(inbox(page).getByText('Sent while you were offline')).toBeVisible();
    // Back online, the actions are back.
    await expect(item.getByRole('button', { name: /^Mark as read\b/ })).toBeEnabled();
    await expect(inbox(page).getByRole('button', { name: 'Mark all as read' })).toBeEnabled();
  });

  test('at a sub-path the scope is the base href, and the shell loads offline there', async ({ page, context }) => {
    const site = await startSubPaths({ '/herald/': undefined, '/other/': undefined });
    try {
      await page.goto(`${site.url}/herald/login`);
      await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible();
      await workerActive(page);
      const scope = await page.evaluate(async () => (await navigator.serviceWorker.getRegistration())!.scope);
      expect(scope).toBe(`${site.url}/herald/`);
      // A second deployment on the same origin has its own worker and keeps the first's cache.
      const other = await context.newPage();
      await other.goto(`${site.url}/other/`);
      await workerActive(other);
      expect(await other.evaluate(async () => (await navigator.serviceWorker.getRegistration())!.scope)).toBe(`${site.url}/other/`);
      const caches = await other.evaluate(() => caches.keys());
      expect(caches.filter((c) => c.includes(`${'/herald/'}`) && c.includes(' build ')).length).toBe(1);
      expect(caches.filter((c) => c.includes(`${'/other/'}`) && c.includes(' build ')).length).toBe(1);
      await other.close();

      const seen = watch(page);
      await page.reload();
      await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible();
      const wasm = seen.responses.find((r) => r.url().endsWith('_bg.wasm'));
      expect(new URL(wasm!.url()).pathname).toMatch(/^\/herald\/herald-.*_bg\.wasm$/);
      expect(wasm!.fromServiceWorker()).toBe(true);

      await context.setOffline(true);
      await page.goto(`${site.url}/herald/login`);
      await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible();
      await context.setOffline(false);
    } finally {
      await site.close();
    }
  });
});
