import { test, expect } from '../support/fixtures';
import type { Page } from '@playwright/test';
import type { Backend } from '../support/backend';
import { connection, signIn } from '../support/app';

// Issue #20, item 2: desktop notifications on a shared PC. Herald shows one only while its tab
// is hidden and the user has allowed them; what it says stays in the operating system's
// notification centre until closed.

test.use({ permissions: ['notifications'] });

/** What the page's `Notification` objects recorded: one entry per instance Herald made. */
interface Shown {
  title: string;
  body: string;
  tag: string;
  closed: boolean;
}

/**
 * Runs before the app: Playwright cannot look into the operating system's notification
 * centre (and headless Chromium draws none), but what Herald controls is the page's own
 * `Notification` objects: it opens them and must close them. So `window.Notification` is
 * wrapped by a subclass of the real one (Herald still makes real notifications, through the
 * real constructor and `close()`) that records each instance's title, body and tag, and
 * whether `close()` was called on it. `document.hidden` is made switchable, since a desktop
 * notification is shown only while the tab is hidden (a Playwright page never is).
 */
function recordDesktopNotifications() {
  const w = window as any;
  const Real = window.Notification;
  const shown: Shown[] = [];
  class Recorded extends Real {
    private entry: Shown;
    constructor(title: string, options?: NotificationOptions) {
      super(title, options);
      this.entry = { title, body: options?.body ?? '', tag: options?.tag ?? '', closed: false };
      shown.push(this.entry);
    }
    close() {
      this.entry.closed = true;
      super.close();
    }
  }
  w.Notification = Recorded;
  w.__desktop = shown;
  w.__hidden = false;
  Object.defineProperty(Document.prototype, 'hidden', { get: () => w.__hidden === true, configurable: true });
}

const shown = (page: Page): Promise<Shown[]> => page.evaluate(() => (window as any).__desktop);
const hide = (page: Page, hidden: boolean) => page.evaluate((h) => ((window as any).__hidden = h), hidden);
const notify = (backend: Backend, username: string, eng_message: string) =>
  backend.control('notify', { username, eng_message, ara_message: 'إشعار' });

test.describe('desktop notifications', () => {
  test('are tagged per user and closed when their user signs out, here or in another tab', async ({ page, backend }) => {
    await page.addInitScript(recordDesktopNotifications);
    await signIn(page, backend, 'finance1');
    expect(await page.evaluate(() => Notification.permission)).toBe('granted');

    // Visible: a toast, no desktop notification.
    await notify(backend, 'finance1', 'Seen in the page');
    await expect(page.getByRole('complementary', { name: 'New notifications' })).toContainText('Seen in the page');
    expect(await shown(page)).toEqual([]);

    // Hidden: a desktop notification with finance1's text.
    await hide(page, true);
    await notify(backend, 'finance1', 'Transfer FAR-0016 for finance1');
    await expect.poll(() => shown(page)).toEqual([expect.objectContaining({ body: 'Transfer FAR-0016 for finance1', closed: false })]);
    const [a] = await shown(page);

    // finance1 signs out: what finance1 was told leaves the screen.
    await hide(page, false);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible();
    await expect.poll(() => shown(page)).toEqual([{ ...a, closed: true }]);

    // finance2 signs in on the same page (no reload: the record goes on).
    await page.getByLabel('Username').fill('finance2');
    await page.getByLabel('Password').fill('Passw0rd!');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(connection(page)).toHaveAttribute('data-connection', 'connected');
    await hide(page, true);
    await notify(backend, 'finance2', 'Transfer FAR-0020 for finance2');
    await expect.poll(async () => (await shown(page)).length).toBe(2);
    const b = (await shown(page))[1];
    expect(b).toMatchObject({ body: 'Transfer FAR-0020 for finance2', closed: false });
    // Another user's notification never replaces (or is replaced by) this one: its own tag.
    expect(b.tag).not.toBe(a.tag);
    expect(b.tag).not.toBe('');

    // finance2 signs out in another tab while this one is in the background: this tab
    // closes the one it opened.
    const other = await page.context().newPage();
    await other.goto(`${backend.url}/`);
    await expect(other.getByRole('button', { name: 'Sign out' })).toBeVisible();
    await other.getByRole('button', { name: 'Sign out' }).click();
    await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible();
    await expect.poll(() => shown(page)).toEqual([
      { ...a, closed: true },
      { ...b, closed: true },
    ]);
    await other.close();
  });
});
