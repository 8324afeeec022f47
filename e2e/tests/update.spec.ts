import { test, expect } from '../support/fixtures';
import type { Page } from '@playwright/test';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DIST } from '../support/backend';
import { startStatic } from '../support/static-server';
import { axe } from '../support/axe';

// Issue #23, item 1: a new build's worker waits. Herald says "A new version of Herald is
// ready — Reload" and reloads only when the user clicks; activating removes the old caches.
test.use({ serviceWorkers: 'allow' });

const prompt = (page: Page) => page.getByText('A new version of Herald is ready');
const reload = (page: Page) => page.getByRole('button', { name: 'Reload' });

async function activeVersion(page: Page): Promise<string> {
  return page.evaluate(async () => {
    const names = await caches.keys();
    return names.filter((n) => n.includes(' build ')).map((n) => n.split(' build ')[1]).join(',');
  });
}

test('a new build waits for the user: the prompt, no reload until Reload, then the new build', async ({ page }) => {
  // A deployment of its own: a copy of dist/ that the test "redeploys".
  const root = mkdtempSync(join(tmpdir(), 'herald-update-'));
  cpSync(DIST, root, { recursive: true });
  const site = await startStatic({ root });
  try {
    await page.goto(`${site.url}/login`);
    await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible();
    await expect
      .poll(() => page.evaluate(async () => (await navigator.serviceWorker.getRegistration())?.active?.state ?? 'none'))
      .toBe('activated');
    const first = await activeVersion(page);
    expect(first).toMatch(/^[0-9a-f]{16}$/);
    // A second visit, controlled by the worker: still no prompt (nothing new).
    await page.reload();
    await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible();
    expect(await page.evaluate(() => !!navigator.serviceWorker.controller)).toBe(true);

    // Redeploy: a new build (its manifest names another version).
    const manifest = join(root, 'sw-manifest.js');
    writeFileSync(manifest, readFileSync(manifest, 'utf8').replace(/"version":"[0-9a-f]+"/, '"version":"0000000000000002"'));
    // The page left open: the marker dies with any reload.
    await page.evaluate(() => ((window as any).__sameDocument = true));
    // What the app's periodic check (and any navigation) does: ask the server for a new worker.
    await page.evaluate(async () => (await navigator.serviceWorker.getRegistration())!.update());

    await expect(prompt(page)).toBeVisible();
    await expect(reload(page)).toBeVisible();
    await axe(page);
    // It waits: the old build still serves, the page was not reloaded.
    expect(await page.evaluate(async () => (await navigator.serviceWorker.getRegistration())?.waiting?.state)).toBe('installed');
    await page.waitForTimeout(1_000); // nothing must happen by itself (not a timing assertion)
    expect(await page.evaluate(() => (window as any).__sameDocument)).toBe(true);
    expect(await activeVersion(page)).toContain(first);

    // The user clicks: the new worker takes over, the page reloads once, old caches go.
    await Promise.all([page.waitForEvent('load'), reload(page).click()]);
    await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible();
    expect(await page.evaluate(() => (window as any).__sameDocument)).toBeUndefined();
    await expect.poll(() => activeVersion(page)).toBe('0000000000000002');
    await expect(prompt(page)).toHaveCount(0);
  } finally {
    await site.close();
    rmSync(root, { recursive: true, force: true });
  }
});

test('the prompt speaks Arabic too', async ({ page }) => {
  const root = mkdtempSync(join(tmpdir(), 'herald-update-'));
  cpSync(DIST, root, { recursive: true });
  const site = await startStatic({ root });
  try {
    await page.goto(`${site.url}/login`);
    await expect
      .poll(() => page.evaluate(async () => (await navigator.serviceWorker.getRegistration())?.active?.state ?? 'none'))
      .toBe('activated');
    await page.reload();
    await page.getByRole('button', { name: 'العربية' }).click();
    const manifest = join(root, 'sw-manifest.js');
    writeFileSync(manifest, readFileSync(manifest, 'utf8').replace(/"version":"[0-9a-f]+"/, '"version":"0000000000000003"'));
    await page.evaluate(async () => (await navigator.serviceWorker.getRegistration())!.update());
    await expect(page.getByText('إصدار جديد من هيرالد جاهز')).toBeVisible();
    await expect(page.getByRole('button', { name: 'إعادة التحميل' })).toBeVisible();
    await axe(page);
  } finally {
    await site.close();
    rmSync(root, { recursive: true, force: true });
  }
});
