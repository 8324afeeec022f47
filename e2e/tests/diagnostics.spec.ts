import { test, expect } from '../support/fixtures';
import { axe } from '../support/axe';
import type { Page } from '@playwright/test';
import { Backend } from '../support/backend';
import { acceptedAttempts, connection, signIn, tabTo } from '../support/app';

// Issue #20, item 8: "Connection details" for support, reached by keyboard from the status
// indicator. It lists what the connection did (a forced drop, a token refresh, history reads)
// and copies a report that never holds a token or a message text.

const details = (page: Page) => page.getByRole('dialog', { name: 'Connection details' });
const detailsButton = (page: Page) => page.getByRole('button', { name: 'Connection details' });
const inbox = (page: Page) => page.getByRole('region', { name: 'Notifications' });

/** Every access and refresh token the server hands this page (sign-in and every refresh). */
function issuedTokens(page: Page): string[] {
  const tokens: string[] = [];
  page.on('response', async (r) => {
    if (!/\/api\/auth\/(login|token-refresh)\/$/.test(new URL(r.url()).pathname) || r.status() !== 200) return;
    const body = await r.json().catch(() => null);
    for (const key of ['token', 'access', 'refresh']) {
      if (typeof body?.[key] === 'string') tokens.push(body[key]);
    }
  });
  return tokens;
}

/** The tokens of every stored session (any `herald.session*` key: a deployment may scope it). */
const storedTokens = (page: Page) =>
  page.evaluate(() =>
    Object.keys(localStorage)
      .filter((k) => k.startsWith('herald.session'))
      .flatMap((k) => {
        const s = JSON.parse(localStorage.getItem(k) ?? 'null');
        return [s?.access, s?.refresh].filter((t): t is string => typeof t === 'string');
      }),
  );

test.describe('connection details', () => {
  test('a forced drop and a token refresh show in it, by keyboard; the copied report holds no token and no message', async ({ context, page }) => {
    test.setTimeout(60_000);
    // 8 s access tokens: the socket's token is refreshed within a few seconds.
    const backend = new Backend({ accessTtl: 8 });
    await backend.start(0);
    try {
      await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: backend.url });
      const issued = issuedTokens(page);
      await signIn(page, backend);
      const refreshed = page.waitForResponse(
        (r) => r.url().includes('/api/auth/token-refresh/') && r.status() === 200,
        { timeout: 20_000 },
      );
      const secret = 'Quarterly figures for FAR-4471 are confidential';
      await backend.control('notify', { username: 'finance1', eng_message: secret, ara_message: secret });
      await expect(inbox(page).getByText(secret)).toBeVisible();

      // A drop with a code nothing else uses, and the reconnect after it.
      const before = await acceptedAttempts(backend);
      await backend.control('drop', { code: 4012 });
      await expect.poll(() => acceptedAttempts(backend), { timeout: 10_000 }).toBeGreaterThan(before);
      await expect(connection(page)).toHaveAttribute('data-connection', 'connected');
      await refreshed;

      // Keyboard only: Tab to the button beside the status, Enter; focus moves into the dialog.
      await page.locator('body').focus();
      await tabTo(page, detailsButton(page));
      await page.keyboard.press('Enter');
      const dialog = details(page);
      await expect(dialog).toBeVisible();
      const copy = dialog.getByRole('button', { name: 'Copy' });
      await expect(copy).toBeFocused();

      await expect(dialog.getByText(/^Connection closed \(socket \d+, code 4012\)$/)).toBeVisible();
      await expect(dialog.getByText('Sign-in token renewed').first()).toBeVisible();
      await expect(dialog.getByText(/^Notifications read \(\d+\)$/).first()).toBeVisible();
      await expect(dialog.getByText(/^Connecting \(socket \d+\)$/).first()).toBeVisible();
      await expect(dialog).toContainText('Frames received');
      await expect(dialog).toContainText(`${backend.url.replace(/^http/, 'ws')}/ws/notifications/`);
      await expect(dialog).not.toContainText(secret);
      await axe(page);

      await page.keyboard.press('Enter');
      await expect(dialog.getByText('Copied', { exact: true })).toBeVisible();
      const report: string = await page.evaluate(() => navigator.clipboard.readText());
      expect(report).toContain('Herald connection report');
      expect(report).toMatch(/socket \d+: closed, code 4012/);
      expect(report).toContain('token refresh: ok');
      expect(report).toMatch(/history read: ok, \d+ rows/);
      expect(report).toContain(`API: ${backend.url}`);
      expect(report).toContain(`Socket: ${backend.url.replace(/^http/, 'ws')}/ws/notifications/\n`);
      expect(report).toMatch(/Frames received: [1-9]\d*/);

      // Neither token, in any version this page was given or holds, nor the message.
      const tokens = [...new Set([...issued, ...(await storedTokens(page))])];
      // The sign-in pair and at least one refreshed pair: the check below has teeth.
      expect(tokens.length).toBeGreaterThanOrEqual(4);
      for (const token of tokens) expect(report).not.toContain(token);
      expect(report).not.toContain('token=');
      expect(report).not.toContain(secret);
      expect(report).not.toContain('FAR-4471');

      // Esc closes it, and focus returns to the button that opened it.
      await page.keyboard.press('Escape');
      await expect(dialog).toBeHidden();
      await expect(detailsButton(page)).toBeFocused();
    } finally {
      await backend.dispose();
    }
  });

  test('a refused copy says so and offers the report to copy by hand, in Arabic too', async ({ page, backend }) => {
    // The browser refuses (no permission, say): writeText rejects.
    await page.addInitScript(() => {
      Object.defineProperty(Navigator.prototype, 'clipboard', {
        configurable: true,
        get: () => ({ writeText: () => Promise.reject(new DOMException('Write permission denied.', 'NotAllowedError')) }),
      });
    });
    await signIn(page, backend);
    await detailsButton(page).click();
    const dialog = details(page);
    await dialog.getByRole('button', { name: 'Copy' }).click();
    await expect(dialog).toContainText('The browser did not allow copying. Select the text below and copy it.');
    const text = dialog.getByRole('textbox', { name: 'Report for support' });
    await expect(text).toHaveValue(/^Herald connection report\n/);
    await expect(text).toHaveValue(/history read: ok/);
    const tokens = await storedTokens(page);
    expect(tokens.length).toBeGreaterThanOrEqual(2);
    for (const token of tokens) expect(await text.inputValue()).not.toContain(token);
    await axe(page);
    await dialog.getByRole('button', { name: 'Close' }).click();
    await expect(dialog).toBeHidden();
    await expect(detailsButton(page)).toBeFocused();

    // Arabic: the same panel in the user's words and digits.
    await page.getByRole('button', { name: 'العربية' }).click();
    await page.getByRole('button', { name: 'تفاصيل الاتصال' }).click();
    const ar = page.getByRole('dialog', { name: 'تفاصيل الاتصال' });
    await expect(ar).toBeVisible();
    await expect(ar.getByText(/^قُرئت الإشعارات \([٠-٩]+\)$/).first()).toBeVisible();
    await axe(page);
    await page.keyboard.press('Escape');
    await expect(ar).toBeHidden();
  });
});
