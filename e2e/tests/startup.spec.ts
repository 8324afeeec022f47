// The start of the app: config.json read once, while the wasm downloads (index.html's preload,
// early-config.js), and every way of finding the configuration still working around it.
import type { Page } from '@playwright/test';
import { test, expect } from '../support/fixtures';
import { startStatic, startSubPaths } from '../support/static-server';

const startSubPath = (config: string | undefined) => startSubPaths({ '/herald/': config });

/** Every request the page makes for a `config.json`, by path. */
function configRequests(page: Page): string[] {
  const seen: string[] = [];
  page.on('request', (r) => {
    const path = new URL(r.url()).pathname;
    if (path.endsWith('/config.json')) seen.push(path);
  });
  return seen;
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
