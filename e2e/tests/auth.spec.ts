import { test, expect } from '../support/fixtures';
import { startStatic } from '../support/static-server';
import { connection, openSockets, peakSockets, signIn, signInWhileHeld, storedSession } from '../support/app';

test.describe('sign in', () => {
  test('wrong password shows the server message in an alert', async ({ page, backend }) => {
    await page.goto(`${backend.url}/login`);
    await page.getByLabel('Username').fill('finance1');
    await page.getByLabel('Password').fill('nope');
    await page.getByLabel('Password').press('Enter');
    await expect(page.getByRole('alert')).toHaveText('Invalid credentials.');
    await expect(page).toHaveURL(/\/login/);
  });

  test('a username pasted with spaces is sent trimmed, the password as typed', async ({ page, backend }) => {
    const sent: { username: string; password: string }[] = [];
    page.on('request', (r) => {
      if (r.url().endsWith('/api/auth/login/') && r.method() === 'POST') sent.push(r.postDataJSON());
    });
    await signIn(page, backend, '  finance1 ', 'Passw0rd!');
    expect(sent).toEqual([{ username: 'finance1', password: 'Passw0rd!' }]);
  });

  test('field errors appear next to their fields', async ({ page, backend }) => {
    await page.goto(`${backend.url}/login`);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByLabel('Username')).toHaveAttribute('aria-invalid', 'true');
    await expect(page.getByLabel('Username')).toHaveAccessibleDescription('This field may not be blank.');
    await expect(page.getByLabel('Password')).toHaveAccessibleDescription('This field may not be blank.');
  });

  test('the button is disabled while the request runs', async ({ page, backend }) => {
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    await page.route('**/api/auth/login/', async (route) => {
      await held;
      await route.continue();
    });
    await page.goto(`${backend.url}/login`);
    // Herald's own form (the early one holds a press by itself while the wasm is on its way).
    await expect(page.getByText(/^Server: /)).toBeVisible();
    await signInWhileHeld(page, release);
  });

  test('an unreachable server and a 5xx are named as such', async ({ page, backend }) => {
    const host = await startStatic({ config: JSON.stringify({ api_base_url: 'http://127.0.0.1:9' }) });
    try {
      await page.goto(`${host.url}/login`);
      await page.getByLabel('Username').fill('finance1');
      await page.getByLabel('Password').fill('Passw0rd!');
      await page.getByRole('button', { name: 'Sign in' }).click();
      await expect(page.getByRole('alert')).toHaveText('Cannot reach the server');
    } finally {
      await host.close();
    }
    await page.route('**/api/auth/login/', (route) => route.fulfill({ status: 502, body: '<html>Bad gateway</html>' }));
    await page.goto(`${backend.url}/login`);
    await page.getByLabel('Username').fill('finance1');
    await page.getByLabel('Password').fill('Passw0rd!');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByRole('alert')).toContainText('The server had a problem (HTTP 502)');
  });

  test('signed-in pages send visitors to /login and back after sign-in', async ({ page, backend }) => {
    await page.goto(`${backend.url}/`);
    await expect(page).toHaveURL(/\/login\?next=%2F$/);
    await page.getByLabel('Username').fill('FINANCE1');
    await page.getByLabel('Password').fill('Passw0rd!');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page).toHaveURL(`${backend.url}/`);
    await expect(page.getByRole('heading', { name: 'Notifications' })).toBeVisible();
    // /login when signed in goes home; a foreign `next` is never followed.
    await page.goto(`${backend.url}/login?next=//evil.example.org/x`);
    await expect(page).toHaveURL(`${backend.url}/`);
  });
});

test.describe('session', () => {
  test('a reload stays signed in with one socket', async ({ page, backend }) => {
    await signIn(page, backend);
    await backend.control('peak-reset', {});
    for (let i = 0; i < 3; i++) {
      await page.reload();
      await expect(connection(page)).toHaveAttribute('data-connection', 'connected');
    }
    await page.getByRole('link', { name: 'Herald' }).click();
    await page.goto(`${backend.url}/nowhere`);
    await page.getByRole('link', { name: 'Go to the inbox' }).click();
    await expect(connection(page)).toHaveAttribute('data-connection', 'connected');
    expect(await peakSockets(backend)).toBe(1);
    const attempts = await backend.control('attempts');
    expect(attempts.attempts.every((a: any) => !a.user_id_in_query)).toBe(true);
  });

  test('sign-out closes the socket and leaves no token anywhere', async ({ page, backend, context }) => {
    await signIn(page, backend);
    const refresh = (await storedSession(page)).refresh;
    await page.getByRole('button', { name: 'Sign out' }).click();
    await expect(page.getByRole('heading', { name: 'Sign in to Herald' })).toBeVisible();
    await expect.poll(() => openSockets(backend), { timeout: 1_000, intervals: [50] }).toBe(0);
    const stored = await page.evaluate(() => ({
      local: Object.entries(localStorage),
      session: Object.entries(sessionStorage),
    }));
    expect(JSON.stringify(stored)).not.toMatch(/eyJ/);
    expect(stored.local.filter(([k]) => k.startsWith('herald.session') || k.startsWith('herald.cache.'))).toEqual([]);
    expect(await context.cookies()).toEqual([]);
    // The server blacklisted the refresh token.
    await expect
      .poll(async () => (await fetch(`${backend.url}/api/auth/token-refresh/`, {
        method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ refresh }),
      })).status)
      .toBe(401);
  });

  test('sign-out in one tab signs out the other at once', async ({ context, backend }) => {
    const one = await context.newPage();
    const two = await context.newPage();
    await signIn(one, backend);
    await two.goto(`${backend.url}/`);
    await expect(connection(two)).toHaveAttribute('data-connection', 'connected');
    // One socket for both tabs (they share it).
    await expect.poll(() => openSockets(backend)).toBe(1);
    await one.getByRole('button', { name: 'Sign out' }).click();
    await expect(two.getByRole('heading', { name: 'Sign in to Herald' })).toBeVisible();
    await expect.poll(() => openSockets(backend), { timeout: 2_000 }).toBe(0);
    // Signing in again in one tab brings the other back.
    await one.getByLabel('Username').fill('finance1');
    await one.getByLabel('Password').fill('Passw0rd!');
    await one.getByRole('button', { name: 'Sign in' }).click();
    await expect(connection(two)).toHaveAttribute('data-connection', 'connected');
  });

  test('rejected sockets refresh; a refused refresh ends the session with a message', async ({ page, backend }) => {
    await signIn(page, backend);
    // New signing key: the socket is rejected (403), twice → refresh → 401 → signed out.
    await backend.restartWithNewKey();
    await expect(page.getByRole('alert')).toHaveText('Your session has expired. Please sign in again.', { timeout: 20_000 });
    await expect(page.getByRole('heading', { name: 'Sign in to Herald' })).toBeVisible();
    const attempts = (await backend.control('attempts')).attempts;
    expect(attempts.length).toBeGreaterThanOrEqual(2);
    expect(attempts.every((a: any) => !a.accepted && a.reason === 'bad signature')).toBe(true);
    expect(await storedSession(page)).toBeNull();
  });
});
