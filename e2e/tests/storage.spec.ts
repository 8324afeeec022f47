import { test, expect } from '../support/fixtures';
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { connection, signIn } from '../support/app';

const NOTE = 'This session will not survive a reload: the browser refuses to store data.';
const NOTE_AR = 'لن تبقى هذه الجلسة بعد إعادة تحميل الصفحة: المتصفح يرفض حفظ البيانات.';

function pageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  return errors;
}

async function axe(page: Page) {
  const results = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'])
    .analyze();
  expect(results.violations.map((v) => v.id)).toEqual([]);
}

/** Site data blocked (Chromium's "Block third-party cookies and site data"): reading the
 *  `localStorage` or `sessionStorage` property itself throws a SecurityError. */
async function blockStorage(page: Page) {
  await page.addInitScript(() => {
    for (const name of ['localStorage', 'sessionStorage']) {
      Object.defineProperty(window, name, {
        configurable: true,
        get() {
          throw new DOMException(
            `Failed to read the '${name}' property from 'Window': Access is denied for this document.`,
            'SecurityError',
          );
        },
      });
    }
  });
}

/** A storage quota of `limit` characters (keys + values, as browsers count): `setItem` throws
 *  the browser's QuotaExceededError beyond it. */
async function limitStorage(page: Page, limit: number) {
  await page.addInitScript((limit) => {
    const real = Storage.prototype.setItem;
    Storage.prototype.setItem = function (key: string, value: string) {
      let used = 0;
      for (let i = 0; i < this.length; i++) {
        const k = this.key(i)!;
        if (k !== key) used += k.length + (this.getItem(k) ?? '').length;
      }
      if (used + String(key).length + String(value).length > limit) {
        throw new DOMException("Failed to execute 'setItem' on 'Storage': the quota has been exceeded.", 'QuotaExceededError');
      }
      return real.call(this, key, value);
    };
  }, limit);
}

const storedKeys = (page: Page) => page.evaluate(() => Object.keys(localStorage).sort());

test.describe('storage that refuses', () => {
  test('blocked entirely: signs in, goes live, says the session will not survive a reload', async ({ page, backend }) => {
    const errors = pageErrors(page);
    await blockStorage(page);
    await signIn(page, backend);
    await expect(page.getByRole('heading', { name: 'Notifications' })).toBeVisible();
    await expect(page.getByRole('note')).toHaveText(NOTE);
    // Live frames arrive and render.
    await backend.control('notify', { username: 'finance1', eng_message: 'Live although storage is blocked', ara_message: 'مباشر رغم حظر التخزين' });
    await expect(page.getByRole('list', { name: 'Notifications' }).getByText('Live although storage is blocked')).toBeVisible();
    await expect(connection(page)).toHaveAttribute('data-connection', 'connected');
    await axe(page);
    // The language choice works from memory too; the note follows it.
    await page.getByRole('button', { name: 'العربية' }).click();
    await expect(page.locator('html')).toHaveAttribute('dir', 'rtl');
    await expect(page.getByRole('note')).toHaveText(NOTE_AR);
    await axe(page);
    // Sign-out and sign-in again in the same tab.
    await page.getByRole('button', { name: 'تسجيل الخروج' }).click();
    await expect(page.getByRole('heading', { name: 'تسجيل الدخول إلى هيرالد' })).toBeVisible();
    await expect(page.getByRole('note')).toHaveCount(0);
    await page.getByRole('button', { name: 'English' }).click();
    await signIn(page, backend);
    await expect(page.getByRole('note')).toHaveText(NOTE);
    // As the note says: a reload signs out, and the page still works.
    await page.reload();
    await expect(page.getByRole('heading', { name: 'Sign in to Herald' })).toBeVisible();
    expect(errors).toEqual([]);
  });

  test('quota exceeded: other users\' caches are evicted and the session persists', async ({ page, backend }) => {
    const errors = pageErrors(page);
    await limitStorage(page, 20_000);
    // Another user's caches fill the quota but for 59 characters (a shared office PC).
    await page.goto(`${backend.url}/login`);
    await page.evaluate(() => {
      localStorage.setItem('herald.cache.inbox.9001', JSON.stringify(['x'.repeat(14_000)]));
      localStorage.setItem('herald.cache.uploads.9001', JSON.stringify(['y'.repeat(5_850)]));
      localStorage.setItem('herald.pref.lang', '"en"');
      localStorage.setItem('another-app', 'kept');
    });
    await signIn(page, backend);
    const keys = await storedKeys(page);
    expect(keys).toContain('herald.session');
    expect(keys).not.toContain('herald.cache.inbox.9001');
    expect(keys).not.toContain('herald.cache.uploads.9001');
    // Never evicted: preferences and other apps' data.
    expect(keys).toEqual(expect.arrayContaining(['herald.pref.lang', 'another-app']));
    await expect(page.getByRole('note')).toHaveCount(0);
    // The signed-in user's own cache is written in the space freed.
    await expect.poll(async () => (await storedKeys(page)).some((k) => /^herald\.cache\.inbox\.\d+$/.test(k))).toBe(true);
    // A reload keeps the session.
    await page.reload();
    await expect(connection(page)).toHaveAttribute('data-connection', 'connected');
    await expect(page.getByRole('heading', { name: 'Notifications' })).toBeVisible();
    expect(errors).toEqual([]);
  });

  test('quota still exceeded after eviction: works from memory, with the note', async ({ page, backend }) => {
    const errors = pageErrors(page);
    await limitStorage(page, 100);
    await signIn(page, backend);
    expect(await storedKeys(page)).not.toContain('herald.session');
    await expect(page.getByRole('note')).toHaveText(NOTE);
    await backend.control('notify', { username: 'finance1', eng_message: 'Live from memory' });
    await expect(page.getByRole('list', { name: 'Notifications' }).getByText('Live from memory')).toBeVisible();
    expect(errors).toEqual([]);
  });
});
