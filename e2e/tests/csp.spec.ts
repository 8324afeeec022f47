import { test, expect } from '../support/fixtures';
import type { Page } from '@playwright/test';
import { connection, signIn } from '../support/app';
import { inlineScriptHashes } from '../support/csp';
import { startStatic } from '../support/static-server';

// Issue #12, item 11: Herald runs, every feature of it, under a strict Content-Security-Policy
// that the reference backend sends, and the whole suite fails on any violation (fixtures.ts).

const inbox = (page: Page) => page.getByRole('region', { name: 'Notifications' });
const uploads = (page: Page) => page.getByRole('region', { name: 'Oracle uploads' });

test.describe('strict Content-Security-Policy', () => {
  test('the app is sent with the strict policy, nosniff and no-referrer', async ({ page, backend }) => {
    const response = await page.goto(`${backend.url}/login`);
    const headers = response!.headers();
    const html = await response!.text();
    const hashes = inlineScriptHashes(html);
    expect(hashes.length, 'Trunk writes one inline module script').toBeGreaterThan(0);
    const origin = new URL(backend.url);
    expect(headers['content-security-policy']).toBe(
      [
        "default-src 'none'",
        `script-src 'self' 'wasm-unsafe-eval' ${hashes.join(' ')}`,
        "style-src 'self'",
        `connect-src 'self' http://${origin.host} ws://${origin.host}`,
        "img-src 'self' data:",
        "font-src 'self'",
        "manifest-src 'self'",
        "worker-src 'self'",
        "base-uri 'self'",
        "form-action 'none'",
        "frame-ancestors 'none'",
      ].join('; '),
    );
    expect(headers['content-security-policy']).not.toMatch(/'unsafe-inline'|'unsafe-eval'/);
    expect(headers['x-content-type-options']).toBe('nosniff');
    expect(headers['referrer-policy']).toBe('no-referrer');
    // Every asset the page loads carries nosniff.
    for (const asset of html.matchAll(/(?:href|src)="(\/[^"]+\.(?:js|wasm|css|svg))"/g)) {
      const r = await page.request.get(`${backend.url}${asset[1]}`);
      expect(r.status(), asset[1]).toBe(200);
      expect(r.headers()['x-content-type-options'], asset[1]).toBe('nosniff');
    }
    await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible();
  });

  test('signs in, shows live frames and upload progress without a single violation', async ({ page, backend, csp }) => {
    await signIn(page, backend);
    await backend.control('notify', {
      username: 'finance1',
      eng_message: 'Budget transfer FAR-0777 is waiting for your approval',
      ara_message: 'مناقلة الميزانية FAR-0777 بانتظار موافقتك',
      transaction_id: 777,
      code: 'FAR-0777',
    });
    await expect(inbox(page).getByRole('listitem').first()).toContainText('FAR-0777');
    await backend.control('oracle', { username: 'finance1', transaction_id: 778, steps: ['Upload', 'Import', 'Post', 'Check'], step_ms: 1_500 });
    const bar = uploads(page).getByRole('progressbar', { name: /Transaction 778\b/ });
    await expect(bar).toHaveAttribute('aria-valuenow', /^(?:[1-9]\d?|100)$/);
    // The bar draws what it says (a native <progress>: no inline style needed).
    const drawn = await bar.evaluate((el) => ({
      value: (el as HTMLProgressElement).value,
      now: Number(el.getAttribute('aria-valuenow')),
      style: el.getAttribute('style'),
    }));
    expect(drawn.value).toBe(drawn.now);
    expect(drawn.style).toBeNull();
    await expect(bar).toHaveAttribute('aria-valuenow', '100', { timeout: 15_000 });
    expect(await bar.evaluate((el) => (el as HTMLProgressElement).value)).toBe(100);
    // Switching language and reloading (cache, storage) stay within the policy too.
    await page.getByRole('button', { name: 'العربية' }).click();
    await expect(page.locator('html')).toHaveAttribute('dir', 'rtl');
    await page.reload();
    await expect(connection(page)).toHaveAttribute('data-connection', 'connected');
    expect(await csp.violations()).toEqual([]);
  });

  test('a static host sending the policy xtask prints for a cross-origin backend: signed in and live', async ({ page, backend }) => {
    const host = await startStatic({ config: JSON.stringify({ api_base_url: backend.url }) });
    try {
      const response = await page.goto(`${host.url}/login`);
      const origin = new URL(backend.url);
      expect(response!.headers()['content-security-policy']).toContain(
        `connect-src 'self' http://${origin.host} ws://${origin.host};`,
      );
      await page.getByLabel('Username').fill('finance1');
      await page.getByLabel('Password').fill('Passw0rd!');
      await page.getByRole('button', { name: 'Sign in' }).click();
      await expect(connection(page)).toHaveAttribute('data-connection', 'connected');
      await backend.control('notify', { username: 'finance1', eng_message: 'Cross-origin FAR-0779', transaction_id: 779 });
      await expect(inbox(page).getByRole('listitem').first()).toContainText('Cross-origin FAR-0779');
    } finally {
      await host.close();
    }
  });

  test('the detector catches an injected inline script and style attribute', async ({ page, backend, csp }) => {
    await signIn(page, backend);
    await page.evaluate(() => {
      const script = document.createElement('script');
      script.textContent = 'window.__injected = true';
      document.head.append(script);
      document.body.setAttribute('style', 'outline: 3px solid red');
    });
    await expect
      .poll(async () => (await csp.violations()).filter((v) => v.via === 'event').map((v) => v.directive).sort())
      .toEqual(['script-src-elem', 'style-src-attr']);
    expect(await page.evaluate(() => (window as any).__injected)).toBeUndefined();
    expect(await page.evaluate(() => getComputedStyle(document.body).outlineStyle)).not.toBe('solid');
    await csp.take();
    expect(await csp.violations()).toEqual([]);
  });

  test('the detector still hears a violation from a page that navigated away at once', async ({ page, backend, csp }) => {
    await page.goto(`${backend.url}/login`);
    await page.evaluate(() => {
      document.body.setAttribute('style', 'color: red');
      location.assign('/login?again');
    });
    await page.waitForURL(/again/);
    // The event may die with the page; the browser's console report of it does not.
    await expect
      .poll(async () => (await csp.violations()).some((v) => v.directive === 'style-src-attr' || /inline style/.test(v.sample)))
      .toBe(true);
    await csp.take();
  });
});
