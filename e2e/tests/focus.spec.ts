// Where keyboard focus goes when the control that had it goes away (a review in the browser,
// 2026-12-06): never to the page. A row's "Mark as read" keeps it on the row, or, in the Unread
// view where the row leaves, on the next one; "Clear selection" hands it to "Select all
// matching"; a job card's Dismiss and Acknowledge to the next card; "Clear finished" to the
// panel's heading; a toast's × to the next toast; "Show in inbox" clears what hides the item. The dashboard has its one <h1>, a sign-out
// leaves focus in the sign-in form, and the Undo window is held by a pointer that moves on
// the Undo bar, not by a bar that moved under a resting pointer.
import { test, expect } from '../support/fixtures';
import type { Locator, Page } from '@playwright/test';
import type { Backend } from '../support/backend';
import { storedSession, signInWithKeyboard as signInAs, tabTo } from '../support/app';

const inbox = (page: Page) => page.getByRole('region', { name: /^(Notifications|الإشعارات)$/ });
const items = (page: Page) => inbox(page).getByRole('list', { name: /^(Notifications|الإشعارات)( |$)/ }).getByRole('listitem');
const uploads = (page: Page) => page.getByRole('region', { name: 'Oracle uploads' });
const card = (page: Page, tx: number) => uploads(page).getByRole('listitem').filter({ has: page.locator(`h3#job-${tx}-title`) });
const oracle = (backend: Backend, body: Record<string, unknown>) => backend.control('oracle', { username: 'finance1', ...body });
const notify = (backend: Backend, eng: string, transaction_id: number) =>
  backend.control('notify', { username: 'finance1', eng_message: eng, ara_message: 'نص عربي', transaction_id });
const toasts = (page: Page) => page.getByRole('complementary', { name: 'New notifications' });
const STEPS = ['Journal Upload to UCM', 'Interface Loader Submission'];

/** The element with focus, by id (empty: none, "BODY": the page). */
const focusedId = (page: Page) => page.evaluate(() => (document.activeElement === document.body ? 'BODY' : document.activeElement?.id ?? ''));

async function pressOn(page: Page, target: Locator) {
  await tabTo(page, target);
  await page.keyboard.press('Enter');
}

async function serverCount(backend: Backend, page: Page) {
  const access = (await storedSession(page)).access;
  const res = await fetch(`${backend.url}/api/auth/Notifications/`, { headers: { Authorization: `Bearer ${access}` } });
  return ((await res.json()).notifications as unknown[]).length;
}

test.describe('focus when its control goes', () => {
  test('Mark as read keeps focus on the row; in the Unread view it moves to the next row, by button and by e', async ({ page, backend }) => {
    await page.goto(`${backend.url}/login`);
    await signInAs(page);
    await expect(items(page)).toHaveCount(3);
    await expect(page.getByRole('heading', { level: 1 })).toHaveCount(1);
    const unread = await items(page).evaluateAll((rows) => rows.filter((r) => r.classList.contains('unread')).map((r) => r.id));
    expect(unread.length).toBeGreaterThanOrEqual(2);

    // All: the row stays, its button goes; focus is on the row.
    const first = page.locator(`[id="${unread[0]}"]`);
    await pressOn(page, first.getByRole('button', { name: /^Mark as read\b/ }));
    await expect(first).not.toHaveClass(/\bunread\b/);
    await expect(first).toBeFocused();

    // Unread: the row leaves the view; focus goes to the next one.
    await inbox(page).getByRole('button', { name: 'Unread', exact: true }).click();
    await expect(items(page)).toHaveCount(unread.length - 1);
    await notify(backend, 'Transfer FAR-0021 created', 921);
    await notify(backend, 'Transfer FAR-0022 created', 922);
    await expect(items(page)).toHaveCount(unread.length + 1);
    const before = await items(page).evaluateAll((rows) => rows.map((r) => r.id));
    await pressOn(page, items(page).nth(0).getByRole('button', { name: /^Mark as read\b/ }));
    await expect(items(page)).toHaveCount(before.length - 1);
    await expect.poll(() => focusedId(page)).toBe(before[1]);
    // And by the keyboard's e, from the row.
    await page.keyboard.press('e');
    await expect(items(page)).toHaveCount(before.length - 2);
    await expect.poll(() => focusedId(page)).toBe(before[2]);
  });

  test('Clear selection hands focus to Select all matching', async ({ page, backend }) => {
    await page.goto(`${backend.url}/login`);
    await signInAs(page);
    await expect(items(page)).toHaveCount(3);
    // A click, then the state (the box is the app's: it shows what the selection holds).
    const box = items(page).nth(0).getByRole('checkbox');
    await box.click();
    await expect(box).toBeChecked();
    await pressOn(page, inbox(page).getByRole('button', { name: 'Clear selection' }));
    await expect(box).not.toBeChecked();
    await expect(inbox(page).getByRole('button', { name: /^Select all matching/ })).toBeFocused();
  });

  test('a job card Dismissed or Acknowledged hands focus to the next card; Clear finished to the panel heading', async ({ page, backend }) => {
    await page.goto(`${backend.url}/login`);
    await signInAs(page);
    await oracle(backend, { transaction_id: 7001, steps: STEPS, step_ms: 100, fail_at: 2, error: 'Interface loader timeout' });
    await oracle(backend, { transaction_id: 7002, steps: STEPS, step_ms: 100 });
    await oracle(backend, { transaction_id: 7003, steps: STEPS, step_ms: 100 });
    await expect(card(page, 7001)).toContainText('Failed', { timeout: 10_000 });
    await expect(card(page, 7002)).toContainText('Completed', { timeout: 10_000 });
    await expect(card(page, 7003)).toContainText('Completed', { timeout: 10_000 });
    const order = await uploads(page).locator('.job-list h3[id]').evaluateAll((hs) => hs.map((h) => h.id));

    // Dismiss a completed card: the card after it (else before it) has focus.
    const dismissed = order.find((id) => id !== 'job-7001-title')!;
    const tx = Number(dismissed.match(/\d+/)![0]);
    const at = order.indexOf(dismissed);
    const expected = order[at + 1] ?? order[at - 1];
    await pressOn(page, card(page, tx).getByRole('button', { name: 'Dismiss' }));
    await expect(card(page, tx)).toHaveCount(0);
    await expect.poll(() => focusedId(page)).toBe(expected);

    // Acknowledge the failure: the other card remaining has focus.
    await pressOn(page, card(page, 7001).getByRole('button', { name: 'Acknowledge' }));
    await expect(card(page, 7001)).toHaveCount(0);
    const left = await uploads(page).locator('.job-list h3[id]').evaluateAll((hs) => hs.map((h) => h.id));
    expect(left).toHaveLength(1);
    await expect.poll(() => focusedId(page)).toBe(left[0]);

    // Clear finished: the button goes with the last completed job; the heading has focus.
    await pressOn(page, uploads(page).getByRole('button', { name: 'Clear finished' }));
    await expect(uploads(page).getByRole('button', { name: 'Clear finished' })).toHaveCount(0);
    await expect(uploads(page).getByRole('heading', { name: 'Oracle uploads' })).toBeFocused();
  });

  test('a toast closed by its × hands focus to the next toast, the last one to the inbox heading', async ({ page, backend }) => {
    await page.goto(`${backend.url}/login`);
    await signInAs(page);
    await notify(backend, 'Transfer FAR-0031 created', 931);
    await notify(backend, 'Transfer FAR-0032 created', 932);
    const close = toasts(page).getByRole('button', { name: 'Dismiss notification' });
    await expect(close).toHaveCount(2);
    const ids = await close.evaluateAll((bs) => bs.map((b) => b.id));
    await pressOn(page, close.first());
    await expect(close).toHaveCount(1);
    await expect.poll(() => focusedId(page)).toBe(ids[1]);
    await page.keyboard.press('Enter');
    await expect(close).toHaveCount(0);
    await expect(inbox(page).getByRole('heading', { name: 'Notifications', exact: true })).toBeFocused();
  });

  test('Show in inbox finds the job\'s notification under a search, a filter or the view by transaction', async ({ page, backend }) => {
    await page.goto(`${backend.url}/login`);
    await signInAs(page);
    await notify(backend, 'Transfer FAR-0041 created', 941);
    await expect(items(page)).toHaveCount(4);
    await oracle(backend, { transaction_id: 941, steps: STEPS, step_ms: 30_000 });
    const show = card(page, 941).getByRole('button', { name: 'Show in inbox' });
    await expect(show).toBeVisible();
    const id = await items(page).filter({ hasText: 'FAR-0041' }).getAttribute('id');
    expect(id).toBeTruthy();
    // Hidden by a search.
    const search = inbox(page).getByRole('searchbox');
    await search.fill('nothing matches this');
    await expect(items(page)).toHaveCount(0);
    await show.click();
    await expect(search).toHaveValue('');
    await expect.poll(() => focusedId(page)).toBe(id);
    // Hidden by the Unread view once read.
    await page.keyboard.press('e');
    await inbox(page).getByRole('button', { name: 'Unread', exact: true }).click();
    await expect(inbox(page).locator(`[id="${id}"]`)).toHaveCount(0);
    await show.click();
    await expect(inbox(page).getByRole('button', { name: 'All', exact: true })).toHaveAttribute('aria-pressed', 'true');
    await expect.poll(() => focusedId(page)).toBe(id);
    // Folded into its transaction.
    await inbox(page).getByRole('button', { name: 'By transaction' }).click();
    await expect(inbox(page).locator(`[id="${id}"]`)).toHaveCount(0);
    await show.click();
    await expect(inbox(page).getByRole('button', { name: 'List', exact: true })).toHaveAttribute('aria-pressed', 'true');
    await expect.poll(() => focusedId(page)).toBe(id);
  });

  test('signing out leaves focus in the sign-in form', async ({ page, backend }) => {
    await page.goto(`${backend.url}/login`);
    await signInAs(page);
    await pressOn(page, page.getByRole('button', { name: 'Sign out' }));
    await expect(page.getByLabel('Username')).toBeFocused();
  });

  test('the Undo window runs out under a pointer resting where the bar moved to; a pointer moving on the bar holds it', async ({ page, backend }) => {
    await page.goto(`${backend.url}/login`);
    await signInAs(page);
    await expect(items(page)).toHaveCount(3);
    const before = await serverCount(backend, page);
    const bar = inbox(page).locator('.undo-bar');
    const undo = bar.getByRole('button', { name: 'Undo' });
    const onBar = (x: number, y: number) =>
      page.evaluate(([px, py]) => !!document.elementFromPoint(px, py)?.closest('.undo-bar'), [x, y]);
    // Where the bar shows: a delete by the keyboard, undone.
    await page.keyboard.press('j');
    await page.keyboard.press('Delete');
    await expect(undo).toBeVisible();
    const box = (await bar.boundingBox())!;
    const [x, y] = [box.x + box.width / 2, box.y + box.height / 2];
    await page.keyboard.press('z');
    await expect(undo).toBeHidden();
    await expect(items(page)).toHaveCount(3);
    // The pointer rests there (on the list: the bar is empty and flat), and the next delete
    // brings the bar under it without the pointer moving.
    await page.mouse.move(x, y);
    expect(await onBar(x, y)).toBe(false);
    await page.keyboard.press('Delete');
    await expect(undo).toBeVisible();
    expect(await onBar(x, y)).toBe(true);
    // Not held: the delete is sent once the 5 s window closes.
    await expect.poll(() => serverCount(backend, page), { timeout: 9_000 }).toBe(before - 1);
    await expect(undo).toBeHidden();

    // A pointer moving on the bar holds the window for as long as it stays.
    await page.mouse.move(0, 0);
    await items(page).nth(0).focus();
    await page.keyboard.press('Delete');
    await expect(undo).toBeVisible();
    const held = (await bar.boundingBox())!;
    await page.mouse.move(held.x + 4, held.y + held.height / 2);
    await page.mouse.move(held.x + 8, held.y + held.height / 2);
    await page.waitForTimeout(6_500);
    expect(await serverCount(backend, page)).toBe(before - 1);
    await page.mouse.move(0, 0);
    await expect.poll(() => serverCount(backend, page), { timeout: 9_000 }).toBe(before - 2);
  });
});
