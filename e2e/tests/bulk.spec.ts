// Act on many (issue #22, item 6), keyboard only: a checkbox per item named after it, Shift for
// a range (Shift+x on an item, Shift+Space on a checkbox), "Select all matching" (the current
// filter); the selection marked read or deleted item by item, at most 4 requests in flight,
// with progress and each failure named; every delete, single or bulk, waits 5 s with Undo
// before anything is sent, and is sent at once if the user signs out or closes the tab meanwhile.
import { test, expect } from '../support/fixtures';
import type { Locator, Page, Route } from '@playwright/test';
import type { Backend } from '../support/backend';
import { axe } from '../support/axe';
import { connection, storedSession, tabTo } from '../support/app';

const inbox = (page: Page) => page.getByRole('region', { name: /^(Notifications|الإشعارات)$/ });
// The list's items (a failure report in the region has a list of its own).
const items = (page: Page) => inbox(page).getByRole('list', { name: /^(Notifications|الإشعارات)( |$)/ }).getByRole('listitem');
const boxes = (page: Page) => inbox(page).getByRole('checkbox', { name: /^(Select: |تحديد: )/ });
const checkedBoxes = (page: Page) => inbox(page).getByRole('checkbox', { name: /^(Select: |تحديد: )/, checked: true });
const unreadCount = (page: Page) => inbox(page).getByText(/^\d+ unread$/);

async function rest(backend: Backend, page: Page, path: string) {
  const access = (await storedSession(page)).access;
  const res = await fetch(`${backend.url}${path}`, { headers: { Authorization: `Bearer ${access}` } });
  return res.json();
}
const FAR_0014 = 'Budget transfer request FAR-0014 is waiting for your review';
/** The server's items, read with an access token kept (the page may be gone). */
async function itemsWith(backend: Backend, access: string) {
  const res = await fetch(`${backend.url}/api/auth/Notifications/`, { headers: { Authorization: `Bearer ${access}` } });
  return (await res.json()).notifications as { id: number; eng_message: string }[];
}
const serverItems = async (backend: Backend, page: Page) =>
  (await rest(backend, page, '/api/auth/Notifications/')).notifications as { id: number; eng_message: string; is_read: boolean }[];

/** Signs in through the form with the keyboard. */
async function signIn(page: Page, backend: Backend, username = 'finance1') {
  await page.goto(`${backend.url}/login`);
  await tabTo(page, page.getByLabel('Username'));
  await page.keyboard.type(username);
  await page.keyboard.press('Tab');
  await page.keyboard.type('Passw0rd!');
  await page.keyboard.press('Enter');
  await expect(connection(page)).toHaveAttribute('data-connection', 'connected');
}

/**
 * Holds every request matching `pattern` until released, counting how many were in flight at
 * once at most.
 */
function gate(page: Page, pattern: string) {
  const waiting: Route[] = [];
  let inFlight = 0;
  let max = 0;
  let sent = 0;
  let open = false;
  const pass = async (route: Route) => {
    await route.continue();
    inFlight--;
  };
  const ready = page.route(pattern, async (route) => {
    sent++;
    inFlight++;
    max = Math.max(max, inFlight);
    if (open) await pass(route);
    else waiting.push(route);
  });
  return {
    ready,
    inFlight: () => inFlight,
    max: () => max,
    sent: () => sent,
    /** Lets the waiting requests through, and every later one. */
    async openAll() {
      open = true;
      while (waiting.length) await pass(waiting.shift()!);
    },
  };
}

test.describe('act on many', () => {
  test('select with x, Shift+x and Shift+Space; mark the selection read, four at a time, with progress', async ({ page, backend }) => {
    await backend.control('history', { username: 'finance1', count: 12 });
    await signIn(page, backend);
    await expect(items(page)).toHaveCount(15);
    await expect(unreadCount(page)).toHaveText('14 unread');
    // Each checkbox is named after its item.
    await expect(boxes(page).first()).toHaveAccessibleName('Select: Archived budget transfer FAR-00012 was posted');

    // j focuses the first item, x selects it; two down, Shift+x selects the range.
    await page.keyboard.press('j');
    await expect(items(page).nth(0)).toBeFocused();
    await page.keyboard.press('x');
    await expect(boxes(page).nth(0)).toBeChecked();
    await expect(inbox(page).getByText('1 selected', { exact: true })).toBeVisible();
    // Announced: the focused row's checkbox changed without focus on it.
    await expect(inbox(page).getByText('Selected. 1 selected', { exact: true })).toBeAttached();
    await page.keyboard.press('j');
    await page.keyboard.press('j');
    await page.keyboard.press('Shift+X');
    await expect(inbox(page).getByText('3 selected', { exact: true })).toBeVisible();
    for (const i of [0, 1, 2]) await expect(boxes(page).nth(i)).toBeChecked();
    // On the fifth item's checkbox, Shift+Space extends the range from the third.
    await page.keyboard.press('j');
    await page.keyboard.press('j');
    await expect(items(page).nth(4)).toBeFocused();
    await page.keyboard.press('Tab');
    await expect(boxes(page).nth(4)).toBeFocused();
    await page.keyboard.press('Shift+Space');
    await expect(inbox(page).getByText('5 selected', { exact: true })).toBeVisible();
    for (const i of [0, 1, 2, 3, 4]) await expect(boxes(page).nth(i)).toBeChecked();
    await expect(boxes(page).nth(5)).not.toBeChecked();
    await axe(page);

    // Mark the selection read: the view at once, the server four requests at a time.
    const reads = gate(page, '**/api/auth/Notifications/read_one*');
    await reads.ready;
    const markSelected = inbox(page).getByRole('button', { name: 'Mark selected as read' });
    await tabTo(page, markSelected, 'Shift+Tab');
    await page.keyboard.press('Enter');
    await expect(unreadCount(page)).toHaveText('9 unread');
    await expect(inbox(page).getByText('Marking as read: 0 of 5')).toBeVisible();
    await expect(inbox(page).getByRole('progressbar', { name: 'Marking as read: 0 of 5' })).toBeVisible();
    await expect.poll(reads.inFlight).toBe(4);
    await axe(page);
    await reads.openAll();
    await expect(inbox(page).getByRole('progressbar')).toHaveCount(0);
    await expect(page.getByText('5 notifications marked as read', { exact: true })).toBeAttached();
    expect(reads.max(), 'never more than 4 in flight').toBe(4);
    expect(reads.sent()).toBe(5);
    await expect.poll(async () => (await rest(backend, page, '/api/auth/Notifications/unread')).count).toBe(9);
    // The selection is cleared; focus is on "Select all matching".
    await expect(checkedBoxes(page)).toHaveCount(0);
    await expect(inbox(page).getByRole('button', { name: 'Select all matching (15)' })).toBeFocused();
  });

  test('select all matching follows the filter; a bulk delete waits for Undo, then fails item by item', async ({ page, backend }) => {
    await backend.control('history', { username: 'finance1', count: 6 });
    await signIn(page, backend);
    await expect(items(page)).toHaveCount(9);
    const rows = await serverItems(backend, page);
    const refused = rows.filter((r) => /FAR-0014|FAR-00003/.test(r.eng_message)).map((r) => r.id);
    expect(refused).toHaveLength(2);
    const deletes = { sent: 0 };
    await page.route('**/api/auth/Notifications/delete*', async (route) => {
      deletes.sent++;
      const id = Number(new URL(route.request().url()).searchParams.get('notification_id'));
      if (refused.includes(id)) {
        await route.fulfill({ status: 403, contentType: 'application/json', body: '{"message":"Locked by the budget office."}' });
      } else {
        await route.continue();
      }
    });

    // Unread only: "Select all matching" selects the 8 unread, not the read one.
    await tabTo(page, inbox(page).getByRole('button', { name: 'Unread', exact: true }));
    await page.keyboard.press('Enter');
    await expect(items(page)).toHaveCount(8);
    await tabTo(page, inbox(page).getByRole('button', { name: 'Select all matching (8)' }));
    await page.keyboard.press('Enter');
    await expect(inbox(page).getByText('8 selected', { exact: true })).toBeVisible();
    await expect(checkedBoxes(page)).toHaveCount(8);

    // Delete: gone from view at once, nothing sent; Undo (z) brings them back.
    await tabTo(page, inbox(page).getByRole('button', { name: 'Delete selected' }));
    await page.keyboard.press('Enter');
    await expect(items(page)).toHaveCount(0);
    await expect(inbox(page).getByText('8 notifications deleted')).toBeVisible();
    const undo = inbox(page).getByRole('button', { name: 'Undo' });
    await expect(undo).toHaveAttribute('aria-keyshortcuts', 'Z');
    await axe(page);
    await page.keyboard.press('z');
    await expect(items(page)).toHaveCount(8);
    await expect(undo).toHaveCount(0);
    await expect(page.getByText('Restored', { exact: true })).toBeAttached();
    await expect(items(page).first()).toBeFocused();
    expect(deletes.sent, 'nothing was sent before Undo').toBe(0);
    expect(await serverItems(backend, page)).toHaveLength(9);

    // Again, and this time let the window pass: sent item by item, two refused.
    await tabTo(page, inbox(page).getByRole('button', { name: 'Select all matching (8)' }), 'Shift+Tab');
    await page.keyboard.press('Enter');
    await tabTo(page, inbox(page).getByRole('button', { name: 'Delete selected' }));
    await page.keyboard.press('Enter');
    await expect(items(page)).toHaveCount(0);
    // "Select all matching (0)" is disabled: the focus is on the panel's heading, not lost.
    await expect(inbox(page).getByRole('heading', { name: 'Notifications' })).toBeFocused();
    const alert = inbox(page).getByRole('alert');
    await expect(alert).toContainText('2 could not be deleted:', { timeout: 20_000 });
    await expect(alert.getByRole('listitem')).toHaveText([
      /^(Budget transfer request FAR-0014 is waiting for your review|Archived budget transfer FAR-00003 was posted): Locked by the budget office\.$/,
      /^(Budget transfer request FAR-0014 is waiting for your review|Archived budget transfer FAR-00003 was posted): Locked by the budget office\.$/,
    ]);
    expect(deletes.sent).toBe(8);
    // The refused two are back; the server kept them (and the read one).
    await expect(items(page)).toHaveCount(2);
    await expect.poll(async () => (await serverItems(backend, page)).length).toBe(3);
    await axe(page);

    // In Arabic: the same report, worded in Arabic, axe-clean.
    await page.getByRole('button', { name: 'العربية' }).click();
    await expect(page.locator('html')).toHaveAttribute('dir', 'rtl');
    await expect(alert).toContainText('تعذّر حذف ٢:');
    await expect(inbox(page).getByRole('button', { name: 'تحديد كل المطابقة (٢)' })).toBeVisible();
    await axe(page);
    await tabTo(page, alert.getByRole('button', { name: 'إغلاق التقرير' }));
    await page.keyboard.press('Enter');
    await expect(alert).toHaveCount(0);
  });

  test('a single delete waits for Undo too; signing out meanwhile sends it at once', async ({ page, backend }) => {
    await signIn(page, backend);
    await expect(items(page)).toHaveCount(3);
    const deletes = { sent: 0 };
    await page.route('**/api/auth/Notifications/delete*', async (route) => {
      deletes.sent++;
      await route.continue();
    });
    const item = items(page).filter({ hasText: 'FAR-0014' });
    await tabTo(page, item.getByRole('button', { name: /^Delete: / }));
    await page.keyboard.press('Enter');
    await expect(items(page)).toHaveCount(2);
    await expect(inbox(page).getByText('1 notification deleted')).toBeVisible();
    await expect(inbox(page).getByRole('button', { name: 'Undo' })).toBeVisible();
    expect(deletes.sent).toBe(0);
    const access = (await storedSession(page)).access;
    // Sign out within the window: what the user did is not lost; it is sent at once.
    await tabTo(page, page.getByRole('button', { name: 'Sign out' }));
    await page.keyboard.press('Enter');
    await expect(page.getByRole('heading', { name: 'Sign in to Herald' })).toBeVisible();
    await expect.poll(() => deletes.sent).toBe(1);
    await expect.poll(async () => (await itemsWith(backend, access)).map((r) => r.eng_message)).not.toContain(FAR_0014);
    await signIn(page, backend);
    await expect(items(page)).toHaveCount(2);
    await expect(items(page).filter({ hasText: 'FAR-0014' })).toHaveCount(0);
    // Sent once (the history read since came after it).
    expect(deletes.sent).toBe(1);
  });

  test('a delete in its window is sent all the same when the tab closes, and the other tabs drop it', async ({ page, context, backend }) => {
    await signIn(page, backend);
    const other = await context.newPage();
    await other.goto(`${backend.url}/`);
    await expect(items(other)).toHaveCount(3);
    await page.bringToFront();
    await expect(items(page)).toHaveCount(3);
    const item = items(page).filter({ hasText: 'FAR-0014' });
    await tabTo(page, item.getByRole('button', { name: /^Delete: / }));
    await page.keyboard.press('Enter');
    await expect(inbox(page).getByRole('button', { name: 'Undo' })).toBeVisible();
    const access = (await storedSession(page)).access;
    await page.close({ runBeforeUnload: true });
    await expect.poll(async () => (await itemsWith(backend, access)).map((r) => r.eng_message)).not.toContain(FAR_0014);
    await expect(items(other)).toHaveCount(2);
    await expect(items(other).filter({ hasText: 'FAR-0014' })).toHaveCount(0);
  });
});
