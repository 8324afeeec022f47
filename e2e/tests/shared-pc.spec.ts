import { chromium, type Browser, type Page } from '@playwright/test';
import { createServer } from 'node:http';
import { test, expect } from '../support/fixtures';
import { Backend } from '../support/backend';
import { connection, openSockets, signIn } from '../support/app';
import { listen } from '../support/static-server';
import config from '../playwright.config';

// Sessions on a shared PC (issue #20, items 1 and 6).

const inbox = (page: Page) => page.getByRole('region', { name: 'Notifications' });
const signInHeading = (page: Page) => page.getByRole('heading', { name: 'Sign in to Herald' });

/** The signed-in session this page's storage holds (whatever its deployment scope). */
const storedSession = (page: Page) =>
  page.evaluate(() => {
    const key = Object.keys(localStorage).find((k) => k.startsWith('herald.session'));
    return key ? JSON.parse(localStorage.getItem(key)!) : null;
  });

/** Records, in every page, whether the last `pageshow` came from the back/forward cache. */
function recordPageshow() {
  addEventListener('pageshow', (e) => {
    (window as any).__pageshows = [...((window as any).__pageshows ?? []), e.persisted];
  });
}

/** Chromium as users run it: with the back/forward cache, which Playwright turns off by default. */
async function browserWithBackForwardCache(): Promise<Browser> {
  const launch = config.use?.launchOptions ?? {};
  return chromium.launch({ ...launch, ignoreDefaultArgs: ['--disable-back-forward-cache'] });
}

/** A page of some other site, to leave Herald for. */
async function elsewhere() {
  return listen(
    createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>Elsewhere</title><h1>Elsewhere</h1>')),
  );
}

test.describe('a shared PC', () => {
  test('Back to a tab left by user A after B signed in: nothing of A shows or opens, and B stays signed in', async () => {
    test.setTimeout(120_000);
    // Short tokens, blacklisting after rotation (production's setting).
    const backend = new Backend({ accessTtl: 8 });
    await backend.start(0);
    const browser = await browserWithBackForwardCache();
    const other = await elsewhere();
    try {
      const context = await browser.newContext();
      await context.addInitScript(recordPageshow);
      const tabA = await context.newPage();
      await signIn(tabA, backend, 'finance1');
      await backend.control('notify', { username: 'finance1', eng_message: 'For A only' });
      await expect(inbox(tabA).getByText('For A only')).toBeVisible();

      // A's tab goes to another site; the page stays in the back/forward cache.
      await tabA.goto(other.url);
      await expect(tabA.getByRole('heading', { name: 'Elsewhere' })).toBeVisible();

      // In another tab A signs out and B signs in.
      const tabB = await context.newPage();
      await tabB.goto(`${backend.url}/`);
      await expect(connection(tabB)).toHaveAttribute('data-connection', 'connected');
      await tabB.getByRole('button', { name: 'Sign out' }).click();
      await expect(signInHeading(tabB)).toBeVisible();
      await tabB.getByLabel('Username').fill('finance2');
      await tabB.getByLabel('Password').fill('Passw0rd!');
      await tabB.getByRole('button', { name: 'Sign in' }).click();
      await expect(connection(tabB)).toHaveAttribute('data-connection', 'connected');
      const b = await storedSession(tabB);
      expect(b.user.username).toBe('finance2');
      const attemptsBefore = (await backend.control('attempts')).attempts.length;

      // Back: the cached page is restored as it was.
      await tabA.goBack({ waitUntil: 'commit' });
      await expect
        .poll(async () => {
          const restored = await tabA.evaluate(() => (window as any).__pageshows ?? []).catch(() => []);
          if (restored.includes(true)) return 'restored';
          const reasons = await tabA
            .evaluate(() => JSON.stringify((performance.getEntriesByType('navigation')[0] as any)?.notRestoredReasons ?? null))
            .catch(() => 'unknown');
          return `not restored: ${reasons}`;
        })
        .toBe('restored');

      // Nothing of A shows; the tab now follows storage: B's inbox.
      await expect(inbox(tabA).getByText('For A only')).toHaveCount(0);
      await expect(connection(tabA)).toHaveAttribute('data-connection', 'connected');
      await backend.control('notify', { username: 'finance2', eng_message: 'For B' });
      await expect(inbox(tabA).getByText('For B')).toBeVisible();
      // ... and nothing of A opens: no socket of A's since Back.
      const since = (await backend.control('attempts')).attempts.slice(attemptsBefore);
      expect(since.filter((a: any) => a.username === 'finance1')).toEqual([]);
      expect(await openSockets(backend, 'finance1')).toBe(0);
      await backend.control('notify', { username: 'finance1', eng_message: 'A again' });
      await tabA.waitForTimeout(500);
      await expect(inbox(tabA).getByText('A again')).toHaveCount(0);

      // Two token lifetimes later B is still signed in, in both tabs, with B's session stored.
      await tabA.waitForTimeout(2 * 8_000 + 2_000);
      for (const tab of [tabA, tabB]) {
        await expect(signInHeading(tab)).toHaveCount(0);
        await expect(connection(tab)).toHaveAttribute('data-connection', 'connected');
      }
      const stored = await storedSession(tabB);
      expect(stored?.user.username).toBe('finance2');
      expect(stored.refresh).not.toBe(b.refresh);
      await context.close();
    } finally {
      await other.close();
      await browser.close();
      await backend.dispose();
    }
  });

  test('a misrouted socket shared by three tabs: exactly one logout request, every tab signed out', async ({ context, backend }) => {
    const logouts: string[] = [];
    context.on('request', (r) => {
      if (r.url().endsWith('/api/auth/logout/')) logouts.push(r.url());
    });
    const tabs = [await context.newPage(), await context.newPage(), await context.newPage()];
    await signIn(tabs[0], backend);
    for (const tab of tabs.slice(1)) {
      await tab.goto(`${backend.url}/`);
      await expect(connection(tab)).toHaveAttribute('data-connection', 'connected');
    }
    // Every tab listens (the holder forwards frames while others are in the share).
    await backend.control('notify', { username: 'finance1', eng_message: 'Before' });
    for (const tab of tabs) await expect(inbox(tab).getByText('Before')).toBeVisible();

    await backend.control('raw', {
      username: 'finance1',
      text: JSON.stringify({ type: 'connection_established', message: 'WebSocket connected successfully', user_id: 999 }),
    });
    for (const tab of tabs) await expect(signInHeading(tab)).toBeVisible();
    await tabs[0].waitForTimeout(2_000);
    expect(logouts).toHaveLength(1);
    expect(await openSockets(backend)).toBe(0);
  });
});
