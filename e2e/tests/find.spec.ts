// Find and filter (issue #22, items 2 and 3), with the keyboard only: `/` focuses the search
// box, typing narrows the list (the message in either language, the code, the transaction
// number, whatever the digits' script), the hits are marked, the count is announced politely,
// Esc clears. The transfer type and action filters offer what the data holds, with counts,
// combine with All/Unread and the search, and are kept per user across reloads. Axe finds
// nothing in these states, in either language.
import { test, expect } from '../support/fixtures';
import type { Locator, Page } from '@playwright/test';
import type { Backend } from '../support/backend';
import { axe } from '../support/axe';
import { connection, paintedHits as hits, signIn, signInWithKeyboard as signInAs, storedSession, tabTo } from '../support/app';

const inbox = (page: Page) => page.getByRole('region', { name: /^(Notifications|الإشعارات)$/ });
const items = (page: Page) => inbox(page).getByRole('listitem');
const search = (page: Page) => inbox(page).getByRole('searchbox', { name: /^(Search notifications|البحث في الإشعارات)$/ });
const typeFilter = (page: Page) => inbox(page).getByRole('combobox', { name: /^(Transfer type|نوع المناقلة)$/ });
const actionFilter = (page: Page) => inbox(page).getByRole('combobox', { name: /^(Action|الإجراء)$/ });
const unreadButton = (page: Page) => inbox(page).getByRole('button', { name: /^(Unread|غير المقروءة)$/ });
/** The polite count of matches (visually hidden, read by screen readers). */
const said = (page: Page, text: string) => inbox(page).getByText(text, { exact: true });
const notify = (backend: Backend, eng: string, extra: Record<string, unknown> = {}) =>
  backend.control('notify', { username: 'finance1', eng_message: eng, ara_message: 'نص عربي', transaction_id: 860, code: 'FAR-0016', ...extra });

test.describe('find', () => {
  test('"/" focuses the search; typing finds either language, the code, the transaction number and any digits; hits are marked and counted; Esc clears', async ({ page, backend }) => {
    await signIn(page, backend);
    await expect(items(page)).toHaveCount(3);

    await page.keyboard.press('/');
    await expect(search(page)).toBeFocused();
    await page.keyboard.type('RETURNED');
    await expect(items(page)).toHaveCount(1);
    await expect(items(page).first()).toContainText('FAR-0015');
    await expect.poll(() => hits(items(page).first())).toEqual(['returned']);
    await expect(said(page, '1 notification matches')).toBeAttached();
    await axe(page);

    await page.keyboard.press('Escape');
    await expect(search(page)).toHaveValue('');
    await expect(search(page)).toBeFocused();
    await expect(items(page)).toHaveCount(3);
    await expect.poll(() => hits(items(page).first())).toEqual([]);

    // The Arabic text, with the English interface.
    await page.keyboard.type('مراجعتك');
    await expect(items(page)).toHaveCount(1);
    await expect(items(page).first()).toContainText('FAR-0014');
    await page.keyboard.press('Escape');

    // The transaction number in Arabic-Indic digits matches ASCII ones; the hit is marked.
    await page.keyboard.type('٨٥٧');
    await expect(items(page)).toHaveCount(1);
    await expect(items(page).first()).toContainText('FAR-0015');
    await expect.poll(() => hits(items(page).first())).toEqual(['857']);
    await page.keyboard.press('Escape');
    // As the row names it (text copied from the row).
    await page.keyboard.type('Transaction 857');
    await expect(items(page)).toHaveCount(1);
    await expect(items(page).first()).toContainText('FAR-0015');
    await page.keyboard.press('Escape');

    // Every word, in any order and any text; a live arrival joins the search.
    await page.keyboard.type('0012 far');
    await expect(items(page)).toHaveCount(1);
    await expect(items(page).first()).toContainText('FAR-0012');
    await page.keyboard.press('Escape');
    await page.keyboard.type('approved');
    await expect(items(page)).toHaveCount(1);
    await notify(backend, 'Transfer FAR-0016 approved');
    await expect(items(page)).toHaveCount(2);
    await expect.poll(() => hits(items(page).first())).toEqual(['approved']);
    await expect(said(page, '2 notifications match')).toBeAttached();
    // By transaction, an opened thread's notifications show the hits too.
    const view = (name: string) => inbox(page).getByRole('button', { name, exact: true });
    await tabTo(page, view('By transaction'));
    await page.keyboard.press('Enter');
    await tabTo(page, view('FAR-0016'));
    await page.keyboard.press('Enter');
    const events = inbox(page).getByRole('list', { name: 'FAR-0016' }).getByRole('listitem');
    await expect(events).toHaveCount(1);
    await expect.poll(() => hits(events.first())).toEqual(['approved']);
    await tabTo(page, view('List'), 'Shift+Tab');
    await page.keyboard.press('Enter');
    await page.keyboard.press('/');
    await expect(search(page)).toBeFocused();
    await page.keyboard.press('Escape');

    // In the box, "/" is a character; nothing matching says so and offers to clear.
    await page.keyboard.type('a/b');
    await expect(search(page)).toHaveValue('a/b');
    await expect(items(page)).toHaveCount(0);
    await expect(inbox(page).getByText('No notifications match the search and filters.')).toBeVisible();
    await expect(said(page, 'No notifications match')).toBeAttached();
    await axe(page);
    const clear = inbox(page).getByRole('button', { name: 'Clear search and filters' });
    await tabTo(page, clear);
    await page.keyboard.press('Enter');
    await expect(search(page)).toHaveValue('');
    await expect(search(page)).toBeFocused();
    await expect(items(page)).toHaveCount(4);

    // In Arabic: the same search, the count in Arabic words and digits, axe-clean. A search
    // for English words still finds the item, whose Arabic text then shows no hit (the hits
    // are painted again over the texts in the new language).
    await page.keyboard.type('returned');
    await expect.poll(() => hits(items(page).first())).toEqual(['returned']);
    await tabTo(page, page.getByRole('button', { name: 'العربية' }));
    await page.keyboard.press('Enter');
    await expect(page.locator('html')).toHaveAttribute('dir', 'rtl');
    await expect(items(page)).toHaveCount(1);
    await expect(items(page).first()).toContainText('إعادة');
    await expect.poll(() => hits(items(page).first())).toEqual([]);
    await page.keyboard.press('/');
    await expect(search(page)).toBeFocused();
    await expect(search(page)).toHaveValue('returned');
    await page.keyboard.press('Escape');
    await page.keyboard.type('0015');
    await expect(items(page)).toHaveCount(1);
    await expect.poll(() => hits(items(page).first())).toEqual(['0015']);
    await expect(said(page, 'إشعار واحد مطابق')).toBeAttached();
    await axe(page);
    await page.keyboard.press('Escape');
    await page.keyboard.type('zzz');
    await expect(inbox(page).getByRole('button', { name: 'مسح البحث وعوامل التصفية' })).toBeVisible();
    await axe(page);
  });

  test('type and action filters: built from the data with counts, combined with Unread and the search, kept per user across reloads', async ({ page, backend }) => {
    await signIn(page, backend);
    await notify(backend, 'Transfer AFR-0001 approved', { type_of_transaction: 'AFR', type_of_action: 'Approve', code: 'AFR-0001', transaction_id: 901 });
    await expect(items(page)).toHaveCount(4);
    await expect(typeFilter(page).getByRole('option')).toHaveText(['All types (4)', 'AFR (1)', 'FAR (3)']);
    await expect(actionFilter(page).getByRole('option')).toHaveText(['All actions (4)', 'Approved · Approve (2)', 'Created · List (1)', 'Returned · Reject (1)']);

    // A type: the list and the other filter's counts follow.
    await tabTo(page, typeFilter(page));
    await page.keyboard.press('ArrowDown');
    await expect(typeFilter(page)).toHaveValue('AFR');
    await expect(items(page)).toHaveCount(1);
    await expect(items(page).first()).toContainText('AFR-0001');
    await expect(actionFilter(page).getByRole('option')).toHaveText(['All actions (1)', 'Approved · Approve (1)', 'Created · List (0)', 'Returned · Reject (0)']);
    await expect(said(page, '1 notification matches')).toBeAttached();
    await page.keyboard.press('ArrowUp');
    await expect(typeFilter(page)).toHaveValue('');
    await expect(items(page)).toHaveCount(4);

    // An action, then Unread with it.
    await tabTo(page, actionFilter(page));
    await page.keyboard.press('ArrowDown');
    await expect(actionFilter(page)).toHaveValue('Approve');
    await expect(items(page)).toHaveCount(2);
    await expect(typeFilter(page).getByRole('option')).toHaveText(['All types (2)', 'AFR (1)', 'FAR (1)']);
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Shift+Tab');
    await expect(unreadButton(page)).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(unreadButton(page)).toHaveAttribute('aria-pressed', 'true');
    await expect(items(page)).toHaveCount(1);
    await expect(items(page).first()).toContainText('AFR-0001');
    await expect(typeFilter(page).getByRole('option')).toHaveText(['All types (1)', 'AFR (1)', 'FAR (0)']);
    await axe(page);

    // And the search: the read FAR-0012 is filtered out.
    await page.keyboard.press('/');
    await page.keyboard.type('FAR-0012');
    await expect(items(page)).toHaveCount(0);
    await expect(inbox(page).getByText('No notifications match the search and filters.')).toBeVisible();
    await page.keyboard.press('Escape');
    await expect(items(page)).toHaveCount(1);

    // Kept across a reload (the search is not).
    await page.reload();
    await expect(connection(page)).toHaveAttribute('data-connection', 'connected');
    await expect(actionFilter(page)).toHaveValue('Approve');
    await expect(unreadButton(page)).toHaveAttribute('aria-pressed', 'true');
    await expect(items(page)).toHaveCount(1);
    await expect(search(page)).toHaveValue('');

    // In Arabic: the choices in Arabic words and digits, axe-clean.
    await tabTo(page, page.getByRole('button', { name: 'العربية' }));
    await page.keyboard.press('Enter');
    await expect(page.locator('html')).toHaveAttribute('dir', 'rtl');
    await expect(typeFilter(page).getByRole('option')).toHaveText(['كل الأنواع (١)', 'AFR (١)', 'FAR (٠)']);
    await expect(said(page, 'إشعار واحد مطابق')).toBeAttached();
    await axe(page);
    await tabTo(page, page.getByRole('button', { name: 'English' }));
    await page.keyboard.press('Enter');

    // Per user: another user starts from no filter; the first finds theirs again.
    await tabTo(page, page.getByRole('button', { name: 'Sign out' }));
    await page.keyboard.press('Enter');
    await signInAs(page, 'finance2');
    await expect(actionFilter(page)).toHaveValue('');
    await expect(unreadButton(page)).toHaveAttribute('aria-pressed', 'false');
    await tabTo(page, page.getByRole('button', { name: 'Sign out' }));
    await page.keyboard.press('Enter');
    await signInAs(page, 'finance1');
    await expect(actionFilter(page)).toHaveValue('Approve');
    await expect(unreadButton(page)).toHaveAttribute('aria-pressed', 'true');
    await expect(items(page)).toHaveCount(1);
  });

  test('under a search, "Mark all shown as read" reads what it shows, not what it hides', async ({ page, backend }) => {
    await signIn(page, backend);
    await expect(items(page)).toHaveCount(3);
    await notify(backend, 'Transfer FAR-0051 created', { transaction_id: 951, code: 'FAR-0051' });
    await notify(backend, 'Transfer FAR-0052 created', { transaction_id: 952, code: 'FAR-0052' });
    await expect(items(page)).toHaveCount(5);
    const unread = async () => {
      const access = (await storedSession(page)).access;
      const res = await fetch(`${backend.url}/api/auth/Notifications/`, { headers: { Authorization: `Bearer ${access}` } });
      const rows = (await res.json()).notifications as { eng_message: string; is_read: boolean }[];
      return rows.filter((r) => !r.is_read).map((r) => r.eng_message).sort();
    };
    const before = await unread();
    expect(before).toContain('Transfer FAR-0051 created');
    await search(page).fill('FAR-0051');
    await expect(items(page)).toHaveCount(1);
    const markShown = inbox(page).getByRole('button', { name: 'Mark all shown as read' });
    await expect(inbox(page).getByRole('button', { name: 'Mark all as read' })).toHaveCount(0);
    await markShown.click();
    await expect.poll(unread).toEqual(before.filter((m) => m !== 'Transfer FAR-0051 created'));
    // Nothing shown is unread now: nothing to mark.
    await expect(markShown).toBeDisabled();
    // Without a search it is the whole inbox again.
    await search(page).fill('');
    await expect(inbox(page).getByRole('button', { name: 'Mark all as read' })).toBeEnabled();
  });
});
