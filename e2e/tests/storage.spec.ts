import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, expect } from '../support/fixtures';
import { axe } from '../support/axe';
import { chromium, type Page } from '@playwright/test';
import { Backend } from '../support/backend';
import config from '../playwright.config';
import { connection, holdWasm, retryNowWhenBack, signIn, signInWhileHeld } from '../support/app';

const NOTE = 'This session will not survive a reload: the browser refuses to store data.';
const NOTE_AR = 'لن تبقى هذه الجلسة بعد إعادة تحميل الصفحة: المتصفح يرفض حفظ البيانات.';

function pageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  return errors;
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
    expect(keys).toContain(`herald.session@${backend.url}`);
    expect(keys).not.toContain('herald.cache.inbox.9001');
    expect(keys).not.toContain('herald.cache.uploads.9001');
    // Never evicted: preferences and other apps' data.
    expect(keys).toEqual(expect.arrayContaining(['herald.pref.lang', 'another-app']));
    await expect(page.getByRole('note')).toHaveCount(0);
    // The signed-in user's own cache is written in the space freed.
    await expect.poll(async () => (await storedKeys(page)).some((k) => /^herald\.cache\.inbox\.\d+@/.test(k))).toBe(true);
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
    expect((await storedKeys(page)).filter((k) => k.startsWith('herald.session'))).toEqual([]);
    await expect(page.getByRole('note')).toHaveText(NOTE);
    await backend.control('notify', { username: 'finance1', eng_message: 'Live from memory' });
    await expect(page.getByRole('list', { name: 'Notifications' }).getByText('Live from memory')).toBeVisible();
    expect(errors).toEqual([]);
  });
});

test.describe("the browser's own \"block site data\" (a real profile setting)", () => {
  /** Chromium with cookies (site data) blocked for every site, as its settings page sets it:
   *  `localStorage` throws a SecurityError and `navigator.locks` rejects with one. */
  async function blockedProfile() {
    const dir = mkdtempSync(join(tmpdir(), 'herald-blocked-'));
    mkdirSync(join(dir, 'Default'));
    writeFileSync(
      join(dir, 'Default', 'Preferences'),
      JSON.stringify({ profile: { default_content_setting_values: { cookies: 2 } } }),
    );
    const context = await chromium.launchPersistentContext(dir, { ...(config.use?.launchOptions ?? {}) });
    return {
      context,
      close: async () => {
        await context.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }

  test('the sign-in form drawn before Herald\'s code has come takes a sign-in', async ({ backend }) => {
    const profile = await blockedProfile();
    try {
      const page = profile.context.pages()[0] ?? (await profile.context.newPage());
      const release = await holdWasm(page);
      await page.goto(`${backend.url}/login`);
      await signInWhileHeld(page, release);
    } finally {
      await profile.close();
    }
  });

  test('locks refused: the tab keeps its own socket, loads the history, refreshes, and Retry now works', async ({ backend }) => {
    test.setTimeout(90_000);
    const short = new Backend({ accessTtl: 6 });
    await short.start(0);
    const profile = await blockedProfile();
    try {
      const page = profile.context.pages()[0] ?? (await profile.context.newPage());
      const errors = pageErrors(page);
      await page.goto(`${short.url}/login`);
      // The setting is really on: storage throws, locks reject.
      expect(
        await page.evaluate(async () => {
          let storage = 'ok';
          try {
            void window.localStorage;
          } catch (e) {
            storage = (e as DOMException).name;
          }
          const locks = await navigator.locks.request('probe', () => 'ok').catch((e) => e.name);
          return { storage, locks };
        }),
      ).toEqual({ storage: 'SecurityError', locks: 'SecurityError' });
      await signIn(page, short);
      await expect(connection(page)).toHaveAttribute('data-socket-role', 'own');
      await expect(page.getByRole('note')).toHaveText(NOTE);
      // The history loaded (the seeded rows) and live frames arrive.
      await expect(page.getByRole('list', { name: 'Notifications' }).getByText(/FAR-0015/).first()).toBeVisible();
      await short.control('notify', { username: 'finance1', eng_message: 'Live with site data blocked' });
      await expect(page.getByRole('list', { name: 'Notifications' }).getByText('Live with site data blocked')).toBeVisible();
      // Past two token lifetimes (the refresh lock is refused too): still signed in and live.
      await page.waitForTimeout(14_000);
      await expect(connection(page)).toHaveAttribute('data-connection', 'connected');
      // An outage, then "Retry now" reconnects at once (this tab asks its own socket).
      await short.stop();
      await expect(page.getByRole('button', { name: 'Retry now' })).toBeVisible({ timeout: 10_000 });
      await retryNowWhenBack(page, short);
      await expect(connection(page)).toHaveAttribute('data-connection', 'connected', { timeout: 2_000 });
      await short.control('notify', { username: 'finance1', eng_message: 'After the retry' });
      await expect(page.getByRole('list', { name: 'Notifications' }).getByText('After the retry')).toBeVisible();
      expect(errors).toEqual([]);
    } finally {
      await profile.close();
      await short.dispose();
    }
  });
});
