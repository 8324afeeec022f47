import { test, expect } from '../support/fixtures';
import { Backend } from '../support/backend';
import { acceptedAttempts, connection, openSockets, retryNowWhenBack, signIn } from '../support/app';

test.describe('socket service', () => {
  test('reconnects after a server restart within 10 s of it being back', async ({ page, backend }) => {
    await signIn(page, backend);
    await backend.stop();
    await expect(connection(page)).toHaveAttribute('data-connection', 'reconnecting');
    await expect(connection(page)).toContainText('Reconnecting');
    await page.waitForTimeout(3_000); // a 3 s outage, as a restart has
    await backend.start();
    const back = Date.now();
    await expect(connection(page)).toHaveAttribute('data-connection', 'connected', { timeout: 10_000 });
    expect(Date.now() - back).toBeLessThan(10_000);
    expect(await openSockets(backend)).toBe(1);
  });

  test('a server-side drop (code 1000) reconnects', async ({ page, backend }) => {
    await signIn(page, backend);
    const before = await acceptedAttempts(backend);
    await backend.control('drop', { code: 1000 });
    await expect.poll(() => acceptedAttempts(backend), { timeout: 10_000 }).toBe(before + 1);
    await expect(connection(page)).toHaveAttribute('data-connection', 'connected');
    expect(await openSockets(backend)).toBe(1);
  });

  test('Retry now skips the wait', async ({ page, backend }) => {
    await signIn(page, backend);
    await backend.stop();
    await expect(page.getByRole('button', { name: 'Retry now' })).toBeVisible({ timeout: 10_000 });
    await retryNowWhenBack(page, backend);
    await expect(connection(page)).toHaveAttribute('data-connection', 'connected', { timeout: 2_000 });
  });

  test('a half-open connection is detected and replaced', async ({ page, backend }) => {
    test.setTimeout(90_000);
    await signIn(page, backend);
    const before = await acceptedAttempts(backend);
    await backend.control('pong', { enabled: false });
    // Ping after 25 s, dead 10 s later, then a new socket.
    await expect.poll(() => acceptedAttempts(backend), { timeout: 45_000, intervals: [500] }).toBe(before + 1);
    await expect(connection(page)).toHaveAttribute('data-connection', 'connected');
    await expect.poll(() => openSockets(backend)).toBe(1);
  });

  test('browser offline then online', async ({ page, context, backend }) => {
    await signIn(page, backend);
    await context.setOffline(true);
    await backend.control('drop', {});
    await expect(connection(page)).toHaveAttribute('data-connection', 'offline', { timeout: 15_000 });
    await expect(connection(page)).toContainText('Offline — will reconnect when the network is back');
    const attempts = (await backend.control('attempts')).attempts.length;
    await page.waitForTimeout(3_000);
    expect((await backend.control('attempts')).attempts.length).toBe(attempts);
    await context.setOffline(false);
    await expect(connection(page)).toHaveAttribute('data-connection', 'connected', { timeout: 5_000 });
  });

  test('bad frames are counted and skipped; the socket and page stay up', async ({ page, backend }) => {
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await signIn(page, backend);
    const before = await acceptedAttempts(backend);
    const status = connection(page);
    const raw = (text: string) => backend.control('raw', { username: 'finance1', text });
    const emit = (frame: unknown) => backend.control('emit', { username: 'finance1', frame });
    await raw('this is not JSON');
    await raw('[1,2,3]');
    await emit({ type: 'oracle_upload_progress' });
    await raw(JSON.stringify({ type: 'notification', message: 'x'.repeat(1024 * 1024) }));
    await expect(status).toHaveAttribute('data-frames-skipped', '4');
    await emit({ type: 'brand_new_event', payload: { nested: true } });
    await expect(status).toHaveAttribute('data-frames-unknown', '1');
    await emit({ type: 'notification', message: 42, id: 'x', data: 'oops' });
    await expect(status).toHaveAttribute('data-connection', 'connected');
    expect(await acceptedAttempts(backend)).toBe(before);
    expect(errors).toEqual([]);
  });

  test('the socket URL with its token is never printed', async ({ page, backend }) => {
    const logs: string[] = [];
    page.on('console', (m) => logs.push(m.text()));
    await signIn(page, backend);
    await backend.control('drop', {});
    await expect(connection(page)).toHaveAttribute('data-connection', 'connected', { timeout: 10_000 });
    expect(logs.filter((l) => l.includes('token=') || l.includes('eyJ'))).toEqual([]);
    await expect(page.getByText(/eyJ/)).toHaveCount(0);
  });
});

test.describe('short-lived access tokens', () => {
  let short: Backend;
  test.beforeAll(async () => {
    short = new Backend({ accessTtl: 4 });
    await short.start(0);
  });
  test.afterAll(async () => {
    await short.dispose();
  });

  test('an expired token at reconnect is refreshed, not looped on, not signed out', async ({ page }) => {
    await short.control('reset', {});
    // Refreshing fails on the network for a while: the token runs out meanwhile.
    await page.route('**/api/auth/token-refresh/', (route) => route.abort('internetdisconnected'));
    await signIn(page, short);
    await page.waitForTimeout(5_000);
    await short.control('drop', {});
    await expect(connection(page)).toHaveAttribute('data-connection', 'reconnecting');
    await page.waitForTimeout(3_000);
    await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();
    await page.unroute('**/api/auth/token-refresh/');
    await expect(connection(page)).toHaveAttribute('data-connection', 'connected', { timeout: 20_000 });
    // The expired token was never tried again and again: at most the refreshes' worth.
    const attempts = (await short.control('attempts')).attempts;
    const rejected = attempts.filter((a: any) => !a.accepted);
    expect(rejected.length).toBeLessThanOrEqual(2);
    await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();
  });
});
