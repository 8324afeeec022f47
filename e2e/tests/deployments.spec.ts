import type { Page } from '@playwright/test';
import { test, expect } from '../support/fixtures';
import { Backend } from '../support/backend';
import { connection } from '../support/app';
import { startSubPaths } from '../support/static-server';

// Two deployments on one origin (issue #20, item 4): `/herald/` on one backend, `/herald-staging/`
// on another. Sessions, caches, locks and channels are scoped to the deployment's backend.

const signInHeading = (page: Page) => page.getByRole('heading', { name: 'Sign in to Herald' });
const inbox = (page: Page) => page.getByRole('region', { name: 'Notifications' });

async function signInAt(page: Page, url: string, username = 'finance1') {
  await page.goto(`${url}login`);
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill('Passw0rd!');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(connection(page)).toHaveAttribute('data-connection', 'connected');
}

test('two deployments on one origin never share a session, a cache or a socket', async ({ context, backend }) => {
  const staging = new Backend();
  await staging.start(0);
  const host = await startSubPaths({
    '/herald/': JSON.stringify({ api_base_url: backend.url }),
    '/herald-staging/': JSON.stringify({ api_base_url: staging.url }),
  });
  // Every request and socket attempt that reaches the production backend, by path.
  const toProduction: string[] = [];
  context.on('request', (r) => {
    if (r.url().startsWith(backend.url)) toProduction.push(new URL(r.url()).pathname);
  });
  try {
    const prodUrl = `${host.url}/herald/`;
    const stagingUrl = `${host.url}/herald-staging/`;
    const stagingTab = await context.newPage();
    await signInAt(stagingTab, stagingUrl);
    await staging.control('notify', { username: 'finance1', eng_message: 'Staging only' });
    await expect(inbox(stagingTab).getByText('Staging only')).toBeVisible();
    // Cached on page hide: force it.
    await stagingTab.evaluate(() => window.dispatchEvent(new PageTransitionEvent('pagehide')));

    // Production, in another tab of the same browser: still signed out.
    const prodTab = await context.newPage();
    await prodTab.goto(prodUrl);
    await expect(signInHeading(prodTab)).toBeVisible();
    await prodTab.waitForTimeout(1_000);
    expect(toProduction.filter((p) => p.startsWith('/api/') || p.startsWith('/ws/'))).toEqual([]);
    expect((await backend.control('attempts')).attempts).toEqual([]);
    await expect(inbox(stagingTab).getByText('Staging only')).toBeVisible();

    // Production's user 35 (finance1 there too) sees nothing of staging's user 35.
    await signInAt(prodTab, prodUrl);
    await expect(inbox(prodTab).getByText('Staging only')).toHaveCount(0);
    // Signing out of production leaves staging signed in.
    await prodTab.getByRole('button', { name: 'Sign out' }).click();
    await expect(signInHeading(prodTab)).toBeVisible();
    await stagingTab.reload();
    await expect(connection(stagingTab)).toHaveAttribute('data-connection', 'connected');
    await expect(inbox(stagingTab).getByText('Staging only')).toBeVisible();
    const keys = await stagingTab.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('herald.session')));
    expect(keys).toEqual([`herald.session@${staging.url}`]);
  } finally {
    await host.close();
    await staging.dispose();
  }
});
