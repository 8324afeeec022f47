import { test, expect } from '../support/fixtures';
import { startStatic } from '../support/static-server';

test.describe('app shell', () => {
  test('loads from the backend that serves it, with no config.json', async ({ page, backend }) => {
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${backend.url}/login`);
    await expect(page.getByRole('heading', { name: 'Sign in to Herald' })).toBeVisible();
    await expect(page.getByRole('link', { name: 'Herald' })).toBeVisible();
    await expect(page.getByText(`Server: ${new URL(backend.url).host}`)).toBeVisible();
    expect(errors).toEqual([]);
  });

  test('deep links and unknown paths route inside the app', async ({ page, backend }) => {
    await page.goto(`${backend.url}/no/such/page`);
    await expect(page.getByRole('heading', { name: 'Page not found' })).toBeVisible();
    await page.getByRole('link', { name: 'Go to the inbox' }).click();
    await expect(page).not.toHaveURL(/no\/such\/page/);
    await page.goto(`${backend.url}/login?next=%2F`);
    await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible();
  });

  test('a static host with SPA fallback and a config.json pointing at another origin', async ({ page, backend }) => {
    const host = await startStatic({ config: JSON.stringify({ api_base_url: backend.url }) });
    try {
      await page.goto(`${host.url}/login`);
      await expect(page.getByText(`Server: ${new URL(backend.url).host}`)).toBeVisible();
      await page.goto(`${host.url}/deep/link`);
      await expect(page.getByRole('heading', { name: 'Page not found' })).toBeVisible();
    } finally {
      await host.close();
    }
  });

  test('a static host without config.json uses its own origin', async ({ page }) => {
    const host = await startStatic({});
    try {
      await page.goto(`${host.url}/login`);
      await expect(page.getByText(`Server: ${new URL(host.url).host}`)).toBeVisible();
    } finally {
      await host.close();
    }
  });

  test('a malformed config.json shows an error screen naming the file', async ({ page }) => {
    const host = await startStatic({ config: '{"api_base_url": "http://127.0.0.1:9", ' });
    try {
      await page.goto(`${host.url}/login`);
      const alert = page.getByRole('alert');
      await expect(alert.getByRole('heading', { name: 'Herald cannot start' })).toBeVisible();
      await expect(alert).toContainText('config.json is malformed');
      await expect(page.getByRole('button', { name: 'Sign in' })).toHaveCount(0);
    } finally {
      await host.close();
    }
  });

  test('an unusable URL in config.json is named', async ({ page }) => {
    const host = await startStatic({ config: '{"api_base_url": "api.example.org"}' });
    try {
      await page.goto(host.url);
      await expect(page.getByRole('alert')).toContainText('"api_base_url" is not an absolute URL');
    } finally {
      await host.close();
    }
  });

  test('the page URL can never choose the backend', async ({ page, backend }) => {
    const host = await startStatic({ config: JSON.stringify({ api_base_url: backend.url }) });
    const evil = 'http://127.0.0.1:9';
    const requests: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    try {
      await page.goto(
        `${host.url}/login?api=${encodeURIComponent(evil)}&api_base_url=${encodeURIComponent(evil)}` +
          `&ws_url=${encodeURIComponent('ws://127.0.0.1:9/ws/notifications/')}#api_base_url=${encodeURIComponent(evil)}`,
      );
      await expect(page.getByText(`Server: ${new URL(backend.url).host}`)).toBeVisible();
      expect(requests.filter((u) => u.startsWith(evil) || u.includes(':9/'))).toEqual([]);
    } finally {
      await host.close();
    }
  });
});
