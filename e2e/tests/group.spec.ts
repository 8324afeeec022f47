// Group (issue #22, items 4 and 5): day headings in the inbox ("Today", "Yesterday", the
// weekday, then the date, in the user's language, zone and digits); a view by transaction, one
// thread per transaction, newest first, each a disclosure; and a divider "New since you last
// looked" above what arrived since the user last had the inbox in view, kept per user in the
// browser, independent of read and unread. Keyboard only; axe in every new state, both
// languages.
import { test, expect } from '../support/fixtures';
import type { Locator, Page } from '@playwright/test';
import type { Backend } from '../support/backend';
import { axe } from '../support/axe';
import { connection, paintedHits, signInWithKeyboard, tabTo } from '../support/app';

// A zone ahead of UTC without daylight saving: a day back is always yesterday there.
const ZONE = 'Asia/Riyadh';
test.use({ timezoneId: ZONE });

const DAY = 86_400_000;
const inbox = (page: Page) => page.getByRole('region', { name: /^(Notifications|الإشعارات)$/ });
const items = (page: Page) => inbox(page).getByRole('listitem');
const unreadCount = (page: Page) => inbox(page).getByText(/\d+ unread/);
const headings = (page: Page) => inbox(page).getByRole('heading', { level: 3 });
const newSince = (page: Page) => inbox(page).getByRole('heading', { name: 'New since you last looked' });

const notify = (backend: Backend, eng: string, extra: Record<string, unknown> = {}) =>
  backend.control('notify', { username: 'finance1', eng_message: eng, ara_message: `عربي: ${eng}`, ...extra });

/** Signs in through the form with the keyboard. */
async function signIn(page: Page, backend: Backend) {
  if (!page.url().endsWith('/login')) await page.goto(`${backend.url}/login`);
  await signInWithKeyboard(page);
}

async function press(page: Page, target: Locator, key = 'Enter') {
  await tabTo(page, target);
  await page.keyboard.press(key);
}

/** What the browser's Intl says of `t` in the test's zone (the page's expected headings). */
function intl(locale: string, t: number, options: Intl.DateTimeFormatOptions) {
  return new Intl.DateTimeFormat(locale, { ...options, timeZone: ZONE }).format(new Date(t));
}

/** The list view in reading order: `# heading`, `---` for the divider's end, else which item. */
async function outline(page: Page, names: string[]) {
  return inbox(page).evaluate((region, names) =>
    [...region.querySelectorAll('h3, h4, hr, li')].map((el) => {
      if (el.tagName === 'H3' || el.tagName === 'H4') return `# ${el.textContent}`;
      if (el.tagName === 'HR') return '---';
      return names.find((n) => el.textContent?.includes(n)) ?? 'other';
    }), names);
}

/** The page hidden or shown, as when the user switches tabs or windows. */
async function setVisibility(page: Page, state: 'hidden' | 'visible') {
  await page.evaluate((state) => {
    Object.defineProperty(document, 'visibilityState', { value: state, configurable: true });
    Object.defineProperty(document, 'hidden', { value: state === 'hidden', configurable: true });
    document.dispatchEvent(new Event('visibilitychange'));
  }, state);
}

/** finance1's stored "last looked" mark (its key is scoped to the deployment). */
const storedMark = (page: Page) =>
  page.evaluate(() => {
    const key = Object.keys(localStorage).find((k) => k.startsWith('herald.pref.last-looked.35@'));
    return key ? Number(localStorage.getItem(key)) : null;
  });

/** The user leaves (another tab; the mark is stored then), two notifications arrive, the user
 *  comes back: they are new since the last look. */
async function twoArriveWhileAway(page: Page, backend: Backend) {
    await setVisibility(page, 'hidden');
    await expect.poll(() => storedMark(page)).not.toBeNull();
    await notify(backend, 'Away one');
    await notify(backend, 'Away two');
    await expect(items(page)).toHaveCount(5);
    await setVisibility(page, 'visible');
    await expect(newSince(page)).toBeVisible();
}

test.describe('group', () => {
  test('day headings: Today, Yesterday, the weekday, then the date, in English and in Arabic', async ({ page, backend }) => {
    await backend.control('trim', { username: 'finance1', keep: 0 });
    const now = Date.now();
    const ago = (days: number) => now - days * DAY;
    for (const [days, text] of [[10, 'Ten days back'], [3, 'Three days back'], [1, 'One day back']] as const) {
      await notify(backend, text, { created_at: new Date(ago(days)).toISOString() });
    }
    await notify(backend, 'Just now');
    await signIn(page, backend);
    await expect(items(page)).toHaveCount(4);

    const dateOptions = (t: number): Intl.DateTimeFormatOptions =>
      intl('en', t, { year: 'numeric' }) === intl('en', now, { year: 'numeric' })
        ? { day: 'numeric', month: 'long' }
        : { day: 'numeric', month: 'long', year: 'numeric' };
    const weekday = intl('en', ago(3), { weekday: 'long' });
    const date = intl('en', ago(10), dateOptions(ago(10)));
    await expect(headings(page)).toHaveText(['Today', 'Yesterday', weekday, date]);
    const names = ['Just now', 'One day back', 'Three days back', 'Ten days back'];
    expect(await outline(page, names)).toEqual([
      '# Today', 'Just now', '# Yesterday', 'One day back', `# ${weekday}`, 'Three days back', `# ${date}`, 'Ten days back',
    ]);
    // Headings are not items: four notifications, one list per day, named by its day.
    await expect(items(page)).toHaveCount(4);
    await expect(inbox(page).getByRole('list', { name: 'Notifications Yesterday' }).getByRole('listitem')).toHaveText(/One day back/);
    await axe(page);

    // In Arabic: the same days in Arabic words and digits.
    await press(page, page.getByRole('button', { name: 'العربية' }));
    await expect(page.locator('html')).toHaveAttribute('dir', 'rtl');
    const arDate = intl('ar-u-nu-arab', ago(10), dateOptions(ago(10)));
    await expect(headings(page)).toHaveText(['اليوم', 'أمس', intl('ar', ago(3), { weekday: 'long' }), arDate]);
    expect(arDate).toMatch(/[٠-٩]/);
    await expect(headings(page).last()).not.toHaveText(/[0-9]/);
    await axe(page);
  });

  test('by transaction: one thread per transaction, newest first, opened and closed with the keyboard', async ({ page, backend }) => {
    await backend.control('trim', { username: 'finance1', keep: 0 });
    await signIn(page, backend);
    const far16 = { transaction_id: 861, code: 'FAR-0016' };
    await notify(backend, 'FAR-0016 created', { ...far16, type_of_action: 'List' });
    await notify(backend, 'Transfer 900 created', { transaction_id: 900, type_of_action: 'List' });
    await notify(backend, 'FAR-0016 approved', { ...far16, type_of_action: 'Approve' });
    await notify(backend, 'FAR-0016 uploaded', { ...far16, type_of_action: 'Oracle Upload' });
    await expect(items(page)).toHaveCount(4);

    const byTransaction = inbox(page).getByRole('button', { name: 'By transaction' });
    await press(page, byTransaction);
    await expect(byTransaction).toHaveAttribute('aria-pressed', 'true');
    // Newest first: FAR-0016's last step is the newest notification.
    await expect(headings(page)).toHaveText(['FAR-0016', 'Transaction 900']);
    const toggle = inbox(page).getByRole('button', { name: 'FAR-0016', exact: true });
    await expect(toggle).toHaveAttribute('aria-expanded', 'false');
    const thread = items(page).filter({ has: page.getByRole('button', { name: 'FAR-0016', exact: true }) });
    await expect(thread).toContainText('FAR-0016 uploaded');
    await expect(thread).toContainText(/List.*Approve.*Oracle Upload/);
    await expect(thread).toContainText('3 unread');
    await axe(page);

    // Open: the transaction's notifications in the order they happened.
    await press(page, toggle);
    await expect(toggle).toHaveAttribute('aria-expanded', 'true');
    const events = inbox(page).getByRole('list', { name: 'FAR-0016' }).getByRole('listitem');
    await expect(events).toHaveCount(3);
    await expect(events.nth(0)).toContainText('FAR-0016 created');
    await expect(events.nth(1)).toContainText('FAR-0016 approved');
    await expect(events.nth(2)).toContainText('FAR-0016 uploaded');
    // Each keeps its actions.
    await press(page, events.nth(0).getByRole('button', { name: 'Mark as read' }));
    await expect(thread).toContainText('2 unread');
    await expect(inbox(page).getByText('3 unread', { exact: true })).toBeVisible();
    await axe(page);

    // In Arabic, open, then closed with Space.
    await press(page, page.getByRole('button', { name: 'العربية' }));
    await expect(page.locator('html')).toHaveAttribute('dir', 'rtl');
    await expect(headings(page)).toHaveText(['FAR-0016', 'المعاملة ٩٠٠']);
    await axe(page);
    await press(page, toggle, ' ');
    await expect(toggle).toHaveAttribute('aria-expanded', 'false');
    await expect(inbox(page).getByRole('list', { name: 'FAR-0016' })).toHaveCount(0);
    await axe(page);

    // The view is the user's choice, kept across a reload.
    await page.reload();
    await expect(connection(page)).toHaveAttribute('data-connection', 'connected');
    await expect(inbox(page).getByRole('button', { name: 'حسب المعاملة' })).toHaveAttribute('aria-pressed', 'true');
    await expect(headings(page)).toHaveText(['FAR-0016', 'المعاملة ٩٠٠']);

    // Back to the list.
    const list = inbox(page).getByRole('button', { name: 'قائمة' });
    await press(page, list);
    await expect(list).toHaveAttribute('aria-pressed', 'true');
    await expect(items(page)).toHaveCount(4);
  });

  test("a search's hits stay painted on items that cross the divider", async ({ page, backend }) => {
    await signIn(page, backend);
    await expect(items(page)).toHaveCount(3);
    await twoArriveWhileAway(page, backend);
    await page.keyboard.press('/');
    await page.keyboard.type('away');
    await expect(items(page)).toHaveCount(2);
    await expect(newSince(page)).toBeVisible();
    await expect.poll(() => paintedHits(items(page).first())).toEqual(['Away']);
    // Away and back with nothing new: the two are no longer new, and are built again in the
    // list without the divider, with new texts for the hits to cover.
    await setVisibility(page, 'hidden');
    await setVisibility(page, 'visible');
    await expect(newSince(page)).toHaveCount(0);
    await expect.poll(() => paintedHits(items(page).first())).toEqual(['Away']);
    await expect.poll(() => paintedHits(items(page).nth(1))).toEqual(['Away']);
  });

  test('new since you last looked: above what arrived while away, kept per user, not moved by reading', async ({ page, backend }) => {
    const names = ['Away one', 'Away two', 'While looking', 'Signed out', 'FAR-0015', 'FAR-0014', 'FAR-0012'];
    await signIn(page, backend);
    await expect(items(page)).toHaveCount(3);
    // The first look ever: nothing to divide.
    await expect(newSince(page)).toHaveCount(0);

    // The user leaves (another tab): the mark is stored then, not before.
    expect(await storedMark(page)).toBeNull();
    await twoArriveWhileAway(page, backend);
    const expected = ['# Today', '# New since you last looked', 'Away two', 'Away one', '---', 'FAR-0015', 'FAR-0014', 'FAR-0012'];
    // (The seed is from the last 90 minutes: after midnight part of it is yesterday's.)
    const withoutDays = (rows: string[]) => rows.filter((r) => !r.startsWith('# ') || r === '# New since you last looked');
    expect(withoutDays(await outline(page, names))).toEqual(withoutDays(expected));
    await axe(page);

    // What arrives while the user looks joins the new ones: the divider stays where it was.
    await notify(backend, 'While looking');
    await expect(items(page)).toHaveCount(6);
    expect(withoutDays(await outline(page, names))).toEqual([
      '# New since you last looked', 'While looking', 'Away two', 'Away one', '---', 'FAR-0015', 'FAR-0014', 'FAR-0012',
    ]);
    // Reading is another matter: read, the items stay under the divider.
    await expect(unreadCount(page)).toHaveText('5 unread');
    await press(page, items(page).filter({ hasText: 'Away one' }).getByRole('button', { name: 'Mark as read' }));
    await expect(unreadCount(page)).toHaveText('4 unread');
    await press(page, inbox(page).getByRole('button', { name: 'Mark all as read' }));
    await expect(unreadCount(page)).toHaveText('0 unread');
    expect(withoutDays(await outline(page, names))).toEqual([
      '# New since you last looked', 'While looking', 'Away two', 'Away one', '---', 'FAR-0015', 'FAR-0014', 'FAR-0012',
    ]);

    // In Arabic too.
    await press(page, page.getByRole('button', { name: 'العربية' }));
    await expect(inbox(page).getByRole('heading', { name: 'جديد منذ آخر اطلاع لك' })).toBeVisible();
    await axe(page);
    await press(page, page.getByRole('button', { name: 'English' }));

    // A reload ends the look: everything was seen, nothing is new.
    await page.reload();
    await expect(connection(page)).toHaveAttribute('data-connection', 'connected');
    await expect(items(page)).toHaveCount(6);
    await expect(newSince(page)).toHaveCount(0);

    // Signing out ends it too; what arrives meanwhile is new at the next sign-in.
    await press(page, page.getByRole('button', { name: 'Sign out' }));
    await expect(page.getByRole('heading', { name: 'Sign in to Herald' })).toBeVisible();
    await notify(backend, 'Signed out');
    await signIn(page, backend);
    await expect(items(page)).toHaveCount(7);
    expect(withoutDays(await outline(page, names))).toEqual([
      '# New since you last looked', 'Signed out', '---', 'While looking', 'Away two', 'Away one', 'FAR-0015', 'FAR-0014', 'FAR-0012',
    ]);
  });
});
