// Keyboard shortcuts on the inbox (issue #22, item 7), keyboard only: j/k and the arrows move
// between items, Enter opens the transaction (and marks it read), e marks read, Delete deletes
// with Undo (z), x selects, ? lists them in a modal dialog (Esc closes it, focus comes back).
// They never act while the user types in a field, they are announced politely and exposed
// with aria-keyshortcuts, and the dialog's switch turns them off for this user (kept across
// reloads, not for another user). Axe finds nothing in these states, in either language.
import { test, expect } from '../support/fixtures';
import type { Page } from '@playwright/test';
import type { Backend } from '../support/backend';
import { axe } from '../support/axe';
import { signInWithKeyboard as signInAs, tabTo } from '../support/app';
import { startStatic } from '../support/static-server';

const inbox = (page: Page) => page.getByRole('region', { name: /^(Notifications|الإشعارات)$/ });
const items = (page: Page) => inbox(page).getByRole('list', { name: /^(Notifications|الإشعارات)( |$)/ }).getByRole('listitem');
const unreadCount = (page: Page) => inbox(page).getByText(/^\d+ unread$/);
const search = (page: Page) => inbox(page).getByRole('searchbox');
const dialog = (page: Page) => page.getByRole('dialog', { name: /^(Keyboard shortcuts|اختصارات لوحة المفاتيح)$/ });
/** What a shortcut said (a polite live region). */
const said = (page: Page, text: string) => inbox(page).getByText(text, { exact: true });

const notify = (backend: Backend, eng: string, extra: Record<string, unknown> = {}) =>
  backend.control('notify', { username: 'finance1', eng_message: eng, ara_message: 'نص عربي', transaction_id: 861, code: 'FAR-0016', ...extra });

test.describe('keyboard shortcuts', () => {
  test.beforeEach(async ({ context }) => {
    await context.route('https://budget.example.org/**', (route) =>
      route.fulfill({ status: 200, contentType: 'text/html', body: '<!doctype html><title>Transfer</title><p>Transfer</p>' }));
  });

  test('j/k and the arrows move, Enter opens, e marks read, Delete deletes with Undo, x selects; each is announced', async ({ page, context, backend }) => {
    const host = await startStatic({ config: JSON.stringify({ api_base_url: backend.url, transaction_url: 'https://budget.example.org/t/{id}' }) });
    try {
      await page.goto(`${host.url}/login`);
      await signInAs(page);
      await notify(backend, 'Transfer FAR-0016 created');
      await expect(items(page)).toHaveCount(4);
      await expect(unreadCount(page)).toHaveText('3 unread');
      // The keys are exposed where they act.
      const first = items(page).nth(0);
      await expect(first.getByRole('button', { name: 'Mark as read' })).toHaveAttribute('aria-keyshortcuts', 'E');
      await expect(first.getByRole('button', { name: /^Delete\b/ })).toHaveAttribute('aria-keyshortcuts', 'Delete');
      await expect(first.getByRole('checkbox')).toHaveAttribute('aria-keyshortcuts', 'X Space');
      await expect(inbox(page).getByRole('button', { name: 'Keyboard shortcuts' })).toHaveAttribute('aria-keyshortcuts', 'Shift+?');
      // With transaction links, the dialog lists Enter (without, it does not: the next test).
      await page.keyboard.press('Shift+?');
      await expect(dialog(page).getByRole('row', { name: /Open the transaction/ })).toHaveCount(1);
      await page.keyboard.press('Escape');
      await expect(dialog(page)).toBeHidden();

      // From nowhere, j goes to the first item; then down and up, by letter and by arrow.
      await page.keyboard.press('j');
      await expect(items(page).nth(0)).toBeFocused();
      await page.keyboard.press('j');
      await expect(items(page).nth(1)).toBeFocused();
      await page.keyboard.press('ArrowDown');
      await expect(items(page).nth(2)).toBeFocused();
      await page.keyboard.press('k');
      await expect(items(page).nth(1)).toBeFocused();
      await page.keyboard.press('ArrowUp');
      await expect(items(page).nth(0)).toBeFocused();
      await page.keyboard.press('k');
      await expect(items(page).nth(0)).toBeFocused();

      // Enter opens the transaction in a new tab, and the item is read.
      const opened = context.waitForEvent('page');
      await page.keyboard.press('Enter');
      const tab = await opened;
      await expect.poll(() => tab.url()).toBe('https://budget.example.org/t/861');
      await tab.close();
      await expect(unreadCount(page)).toHaveText('2 unread');
      await page.bringToFront();

      // e on the next unread item: read, and said.
      await expect(items(page).nth(0)).toBeFocused();
      await page.keyboard.press('j');
      await expect(items(page).nth(1)).toBeFocused();
      await page.keyboard.press('e');
      await expect(unreadCount(page)).toHaveText('1 unread');
      await expect(said(page, 'Marked as read')).toBeAttached();
      await page.keyboard.press('e');
      await expect(said(page, 'Already read')).toBeAttached();
      // x selects and says so (the box changes where focus is not).
      await page.keyboard.press('x');
      await expect(items(page).nth(1).getByRole('checkbox')).toBeChecked();
      await expect(said(page, 'Selected. 1 selected')).toBeAttached();
      await page.keyboard.press('x');
      await expect(items(page).nth(1).getByRole('checkbox')).not.toBeChecked();
      await expect(said(page, 'Not selected. 0 selected')).toBeAttached();

      // Delete: gone, focus on the next one, Undo offered; z brings it back and focuses it.
      const text = await items(page).nth(1).locator('.message').innerText();
      await page.keyboard.press('Delete');
      await expect(items(page)).toHaveCount(3);
      await expect(items(page).nth(1)).toBeFocused();
      await expect(inbox(page).getByText('1 notification deleted', { exact: true })).toBeVisible();
      await axe(page);
      await page.keyboard.press('z');
      await expect(items(page)).toHaveCount(4);
      await expect(items(page).nth(1)).toContainText(text);
      await expect(items(page).nth(1)).toBeFocused();
      await expect(said(page, 'Restored')).toBeAttached();
      await page.keyboard.press('z');
      await expect(said(page, 'Nothing to undo')).toBeAttached();
    } finally {
      await host.close();
    }
  });

  test('? lists the shortcuts in a dialog; Esc closes it; nothing acts while typing; the switch turns them off for this user', async ({ page, backend }) => {
    await page.goto(`${backend.url}/login`);
    await signInAs(page);
    await expect(items(page)).toHaveCount(3);
    await page.keyboard.press('j');
    await expect(items(page).nth(0)).toBeFocused();

    // ?: a modal dialog with focus inside; Esc closes it and focus comes back.
    await page.keyboard.press('Shift+?');
    await expect(dialog(page)).toBeVisible();
    // No transaction links in this deployment: Enter is not listed (it would do nothing).
    await expect(dialog(page).getByRole('row')).toHaveCount(9);
    await expect(dialog(page).getByRole('row', { name: /Open the transaction/ })).toHaveCount(0);
    await expect(dialog(page).getByRole('row', { name: /Next notification/ })).toContainText('j or ↓');
    const toggle = dialog(page).getByRole('switch', { name: 'Use keyboard shortcuts' });
    await expect(toggle).toBeFocused();
    await expect(toggle).toBeChecked();
    await axe(page);
    // Keys inside the dialog are the dialog's: j does not move the list behind it.
    await page.keyboard.press('j');
    await expect(toggle).toBeFocused();
    await page.keyboard.press('Escape');
    await expect(dialog(page)).toBeHidden();
    await expect(items(page).nth(0)).toBeFocused();

    // Typing in a field: the letters are text, not shortcuts.
    await page.keyboard.press('/');
    await expect(search(page)).toBeFocused();
    await page.keyboard.type('jkex');
    await expect(search(page)).toHaveValue('jkex');
    await expect(search(page)).toBeFocused();
    await page.keyboard.press('Escape');
    await expect(search(page)).toHaveValue('');

    // Off: through the button (? is off too once they are), Space on the switch, Esc.
    await tabTo(page, inbox(page).getByRole('button', { name: 'Keyboard shortcuts' }));
    await page.keyboard.press('Enter');
    await expect(toggle).toBeFocused();
    await page.keyboard.press('Space');
    await expect(toggle).not.toBeChecked();
    await page.keyboard.press('Escape');
    await expect(dialog(page)).toBeHidden();
    await expect(inbox(page).getByRole('button', { name: 'Keyboard shortcuts' })).toBeFocused();
    await expect(inbox(page).getByRole('button', { name: 'Keyboard shortcuts' })).not.toHaveAttribute('aria-keyshortcuts', /./);
    await expect(items(page).nth(0).getByRole('button', { name: /^Delete\b/ })).not.toHaveAttribute('aria-keyshortcuts', /./);
    await expect(search(page)).not.toHaveAttribute('aria-keyshortcuts', /./);
    await page.keyboard.press('j');
    await page.keyboard.press('Shift+?');
    await page.keyboard.press('/');
    await expect(inbox(page).getByRole('button', { name: 'Keyboard shortcuts' })).toBeFocused();
    await expect(dialog(page)).toBeHidden();
    await expect(search(page)).toHaveValue('');

    // Kept across a reload, for this user only.
    await page.reload();
    await expect(items(page)).toHaveCount(3);
    await page.keyboard.press('j');
    await expect(items(page).nth(0)).not.toBeFocused();
    await tabTo(page, page.getByRole('button', { name: 'Sign out' }));
    await page.keyboard.press('Enter');
    await signInAs(page, 'finance2');
    await page.keyboard.press('Shift+?');
    await expect(dialog(page)).toBeVisible();
    await expect(toggle).toBeChecked();
    await page.keyboard.press('Escape');
  });

  test('the dialog and the announcements in Arabic', async ({ page, backend }) => {
    await page.goto(`${backend.url}/login`);
    await signInAs(page);
    await page.getByRole('button', { name: 'العربية' }).click();
    await expect(page.locator('html')).toHaveAttribute('dir', 'rtl');
    await expect(items(page)).toHaveCount(3);
    await page.keyboard.press('j');
    await page.keyboard.press('x');
    await expect(said(page, 'محدد. المحدد: ١')).toBeAttached();
    await page.keyboard.press('Shift+?');
    await expect(dialog(page)).toBeVisible();
    await expect(dialog(page).getByRole('switch', { name: 'استخدام اختصارات لوحة المفاتيح' })).toBeChecked();
    await expect(dialog(page).getByRole('row', { name: /الإشعار التالي/ })).toContainText('j أو ↓');
    await axe(page);
    await page.keyboard.press('Escape');
    await expect(dialog(page)).toBeHidden();
    await expect(items(page).nth(0)).toBeFocused();
    await axe(page);
  });
});
