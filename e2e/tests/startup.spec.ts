// The start of the app: config.json read once, while the wasm downloads (index.html's preload,
// early-config.js), and every way of finding the configuration still working around it.
import type { Page } from '@playwright/test';
import { test, expect } from '../support/fixtures';
import { startStatic, startSubPaths } from '../support/static-server';
import { connection, holdWasm, signIn } from '../support/app';

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

  test('a slow config.json: the early form takes typing, then Herald\'s own form has it; a signed-out inbox visit lands on it', async ({ page, backend }) => {
    await backend.hold('/config.json');
    try {
      await page.goto(`${backend.url}/`);
      await page.getByLabel('Username').fill('finance1');
      // Herald is running (the wasm came) but cannot draw before its configuration: "Starting"
      // stays behind the early form, which keeps taking typing; one form on screen, and the
      // language switched there is the one Herald draws in.
      await expect(page.locator('main.boot')).toBeAttached();
      await expect(page.getByRole('status')).toHaveCount(0);
      await page.getByRole('button', { name: 'العربية' }).click();
      await expect(page.getByRole('textbox', { name: 'اسم المستخدم' })).toHaveCount(1);
      await expect(page.getByText(/^Server:/)).toHaveCount(0);
    } finally {
      await backend.control('release', { path: '/config.json' });
    }
    await expect(page.getByText(`الخادم: ${new URL(backend.url).host}`)).toBeVisible();
    await expect(page).toHaveURL(/\/login\?next=%2F$/);
    await expect(page.getByRole('heading', { name: 'تسجيل الدخول إلى هيرالد' })).toBeVisible();
    await expect(page.locator('html')).toHaveAttribute('dir', 'rtl');
    await expect(page.getByLabel('اسم المستخدم')).toHaveValue('finance1');
    await expect(page.getByRole('button', { name: 'تسجيل الدخول' })).toHaveCount(1);
  });

  test('with a session stored, a slow config.json shows "Starting" and never a sign-in form', async ({ page, backend }) => {
    await signIn(page, backend);
    await backend.hold('/config.json');
    try {
      await page.reload();
      await expect(page.getByRole('status')).toHaveText('Starting Herald…');
      await expect(page.getByLabel('Password')).toHaveCount(0);
    } finally {
      await backend.control('release', { path: '/config.json' });
    }
    await expect(page.getByRole('heading', { name: 'Notifications' })).toBeVisible();
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

// index.html's sign-in form, put on the page by sign-in-shell.js before the wasm has arrived.
test.describe('the sign-in form before Herald\'s code has arrived', () => {
  test('takes typing and a press of Sign in; Herald signs in with them as soon as it runs', async ({ page, backend }) => {
    const release = await holdWasm(page);
    await page.goto(`${backend.url}/`);
    await page.getByLabel('Username').fill('finance2');
    await page.getByLabel('Password').fill('Passw0rd!');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByRole('button', { name: 'Signing in…' })).toBeDisabled();
    expect(await page.evaluate(() => 'wasmBindings' in window)).toBe(false);
    release();
    await expect(connection(page)).toHaveAttribute('data-connection', 'connected');
    await expect(page.getByTitle('Signed in as')).toHaveText('finance2');
    await expect(page.locator('#shell')).toHaveCount(0);
  });

  test('what was typed, and where the caret was, carry into Herald\'s own form', async ({ page, backend }) => {
    const release = await holdWasm(page);
    await page.goto(`${backend.url}/login`);
    await page.getByLabel('Username').fill('finance1');
    await page.getByLabel('Password').click();
    await page.keyboard.type('Passrd!');
    for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowLeft');
    release();
    await expect(page.locator('#shell')).toHaveCount(0);
    await expect(page.getByText(`Server: ${new URL(backend.url).host}`)).toBeVisible();
    // The keyboard goes on where it was, in Herald's own field, mid-word.
    await page.keyboard.type('w0');
    await expect(page.getByLabel('Username')).toHaveValue('finance1');
    await expect(page.getByLabel('Password')).toHaveValue('Passw0rd!');
    await page.keyboard.press('Enter');
    await expect(connection(page)).toHaveAttribute('data-connection', 'connected');
  });

  test('speaks the stored language, and switching it before Herald runs sticks', async ({ page, backend }) => {
    await page.goto(`${backend.url}/login`);
    await page.getByRole('button', { name: 'العربية' }).click();
    await expect(page.getByRole('heading', { name: 'تسجيل الدخول إلى هيرالد' })).toBeVisible();
    const release = await holdWasm(page);
    await page.reload();
    await expect(page.getByRole('heading', { name: 'تسجيل الدخول إلى هيرالد' })).toBeVisible();
    await expect(page.locator('html')).toHaveAttribute('dir', 'rtl');
    await expect(page.getByRole('button', { name: 'العربية' })).toHaveAttribute('aria-pressed', 'true');
    await page.getByRole('button', { name: 'English' }).click();
    await expect(page.getByRole('heading', { name: 'Sign in to Herald' })).toBeVisible();
    await expect(page.locator('html')).toHaveAttribute('dir', 'ltr');
    release();
    await expect(page.getByText(`Server: ${new URL(backend.url).host}`)).toBeVisible();
    await expect(page.getByRole('heading', { name: 'Sign in to Herald' })).toBeVisible();
    await expect(page.getByRole('button', { name: 'English' })).toHaveAttribute('aria-pressed', 'true');
  });

  test('when Herald\'s code cannot come, it says so and offers Reload instead of a form that cannot sign in', async ({ page, backend }) => {
    for (const part of ['**/*_bg.wasm', '**/herald-*.js']) {
      await page.route(part, (route) => route.abort('connectionreset'));
      await page.goto(`${backend.url}/login`);
      await expect(page.getByRole('alert')).toContainText('Something went wrong.');
      await page.unrouteAll({ behavior: 'wait' });
      await page.getByRole('button', { name: 'Reload' }).click();
      await expect(page.getByText(`Server: ${new URL(backend.url).host}`)).toBeVisible();
      await expect(page.getByRole('alert')).toHaveCount(0);
    }
  });

  test('another script\'s error before Herald runs is not taken for Herald failing to load', async ({ page, backend }) => {
    const release = await holdWasm(page);
    await page.goto(`${backend.url}/login`);
    await page.evaluate(
      () =>
        new Promise((done) => {
          void Promise.reject(new Error('an extension'));
          setTimeout(() => {
            throw new Error('another script');
          });
          const script = document.createElement('script');
          script.src = 'no-such-script.js';
          script.onerror = () => setTimeout(done, 100);
          document.head.append(script);
        }),
    );
    await page.getByLabel('Username').fill('finance1');
    await expect(page.getByRole('alert')).toHaveCount(0);
    release();
    await expect(page.getByText(`Server: ${new URL(backend.url).host}`)).toBeVisible();
    await expect(page.getByRole('alert')).toHaveCount(0);
  });

  test('is not drawn with a session stored, nor on a page that is not sign-in', async ({ page, backend }) => {
    let release = await holdWasm(page);
    await page.goto(`${backend.url}/no-such-page`);
    await expect(page.locator('template#shell-template')).toBeAttached();
    await expect(page.getByLabel('Password')).toHaveCount(0);
    release();
    await page.unrouteAll({ behavior: 'wait' });
    await signIn(page, backend);
    release = await holdWasm(page);
    await page.goto(`${backend.url}/login`);
    await expect(page.locator('template#shell-template')).toBeAttached();
    await expect(page.getByLabel('Password')).toHaveCount(0);
    release();
    await expect(page.getByRole('heading', { name: 'Notifications' })).toBeVisible();
  });
});
