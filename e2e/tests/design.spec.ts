// Design (issue #22, item 8), keyboard only: a compact item whose actions sit at the row's end
// and show as Tab reaches them; an icon and a word per kind of action; the relative time with
// the exact local time on focus; codes like "FAR-0015" isolated and never cut across two lines
// in Arabic; toasts that never cover a control (the case: a failed job's Acknowledge at
// 1024 × 700); axe in both languages and both themes.
import { test, expect } from '../support/fixtures';
import type { Locator, Page } from '@playwright/test';
import type { Backend } from '../support/backend';
import { axe } from '../support/axe';
import { signIn, tabTo } from '../support/app';

const inbox = (page: Page) => page.getByRole('region', { name: /^(Notifications|الإشعارات)$/ });
const items = (page: Page) => inbox(page).getByRole('listitem');
const uploads = (page: Page) => page.getByRole('region', { name: /^(Oracle uploads|عمليات الرفع إلى Oracle)$/ });
const toasts = (page: Page) => page.getByRole('complementary', { name: /^(New notifications|إشعارات جديدة)$/ });

const notify = (backend: Backend, extra: Record<string, unknown>) =>
  backend.control('notify', { username: 'finance1', transaction_id: 860, code: 'FAR-0016', ...extra });

async function arabic(page: Page) {
  await page.getByRole('button', { name: 'العربية' }).click();
  await expect(page.locator('html')).toHaveAttribute('dir', 'rtl');
}

/** Whether an item's action shows: its colour, which draws its icon, is not transparent (it
 * is until its row is hovered or holds focus). */
const actionShown = (button: Locator) => button.evaluate((b) => getComputedStyle(b).color !== 'rgba(0, 0, 0, 0)');

/** The rectangles of a box, as plain numbers. */
const box = (l: Locator) => l.evaluate((e) => { const r = e.getBoundingClientRect(); return { x: r.x, y: r.y, w: r.width, h: r.height }; });
const overlap = (a: { x: number; y: number; w: number; h: number }, b: typeof a) =>
  a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;

/** Every control on screen (outside the toasts) that a visible toast overlaps, by its text. */
function coveredControls(page: Page) {
  return page.evaluate(() => {
    const stack = document.querySelector('aside.toasts') as HTMLElement | null;
    if (!stack || getComputedStyle(stack).visibility === 'hidden') return [];
    // The toasts shown: folded, the list is laid out but hidden, and unfolded the summary is.
    const toasts = [...stack.querySelectorAll('.toast')]
      .filter((t) => t.checkVisibility({ visibilityProperty: true }))
      .map((t) => t.getBoundingClientRect());
    const hit = (a: DOMRect, b: DOMRect) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
    return [...document.querySelectorAll("a[href], button, input, select, textarea, summary, [tabindex]:not([tabindex='-1'])")]
      .filter((c) => !stack.contains(c))
      .filter((c) => { const r = c.getBoundingClientRect(); return r.width > 0 && r.height > 0 && toasts.some((t) => hit(t, r)); })
      .map((c) => c.getAttribute('aria-label') ?? c.textContent ?? c.tagName);
  });
}

/** Each code's text: how many lines it is on, its bidi isolation and wrapping, and where it is. */
function codeLines(els: Element[]) {
  return els.map((el) => {
    const range = document.createRange();
    range.selectNodeContents(el);
    // One rectangle per line the code's text is on.
    const rects = [...range.getClientRects()].filter((r) => r.width > 0);
    const tops = new Set(rects.map((r) => Math.round(r.top)));
    const style = getComputedStyle(el);
    return { text: el.textContent, lines: tops.size, isolated: style.unicodeBidi, wraps: style.whiteSpace, where: el.closest('li, aside')?.tagName };
  });
}

test.describe('design', () => {
  test('the actions sit at the row end, appear as Tab reaches them and name their item', async ({ page, backend }) => {
    await page.setViewportSize({ width: 1280, height: 800 });
    await signIn(page, backend);
    await page.mouse.move(0, 0);
    const returned = items(page).filter({ hasText: 'FAR-0015' });
    const markRead = returned.getByRole('button', { name: 'Mark as read' });
    const remove = returned.getByRole('button', { name: 'Delete' });
    // Names that say which item: its transaction and the kind of action.
    await expect(markRead).toHaveAccessibleName('Mark as read: Transaction 857, Returned');
    await expect(remove).toHaveAccessibleName('Delete: Transaction 857, Returned');
    // Hidden (not removed) until the row is hovered or holds focus.
    expect(await actionShown(markRead)).toBe(false);
    // At the row's end, on the meta line (the item is two lines: no row of buttons under it).
    const row = await box(returned);
    const message = await box(returned.getByText('Budget transfer FAR-0015 was returned for changes'));
    const meta = await box(returned.getByText('30 min ago').locator('..'));
    const buttons = await box(remove);
    expect(buttons.x + buttons.w).toBeGreaterThan(row.x + row.w - 48);
    expect(buttons.x).toBeGreaterThan(meta.x + meta.w - 1);
    expect(buttons.y).toBeGreaterThanOrEqual(message.y + message.h - 1);
    expect(buttons.y + buttons.h).toBeLessThanOrEqual(row.y + row.h);

    await tabTo(page, markRead);
    expect(await actionShown(markRead)).toBe(true);
    // Another row's stay hidden meanwhile.
    const other = items(page).filter({ hasText: 'FAR-0014' }).getByRole('button', { name: 'Delete' });
    expect(await actionShown(other)).toBe(false);
    await page.keyboard.press('Enter');
    await expect(inbox(page).getByText('1 unread')).toBeVisible();
    await expect(markRead).toHaveCount(0);
    // Delete by keyboard: focus moves to a neighbour, whose actions then show too.
    await tabTo(page, remove);
    expect(await actionShown(remove)).toBe(true);
    await page.keyboard.press('Enter');
    await expect(items(page)).toHaveCount(2);
    await expect(page.locator(':focus')).toHaveAttribute('id', /^notification-/);
  });

  test('an icon and a word for each kind of action', async ({ page, backend }) => {
    await signIn(page, backend);
    const kinds: [string, string][] = [
      ['List', 'Created'], ['Reject', 'Returned'], ['Approved', 'Approved'], ['Rejected', 'Rejected'], ['Oracle Upload', 'Upload'],
    ];
    for (const [action] of kinds) {
      await notify(backend, { eng_message: `Kind ${action}.`, ara_message: `نوع ${action}.`, type_of_action: action });
    }
    for (const [action, word] of kinds) {
      const item = items(page).filter({ hasText: `Kind ${action}.` });
      await expect(item).toContainText(`FAR · ${word}`);
      // The icon: drawn, hidden from screen readers (the word says it).
      const icon = item.locator('.item-icon.icon[aria-hidden="true"]');
      await expect(icon).toBeVisible();
    }
    // Five different drawings (each a shape masked over the kind's colour).
    const drawings = await Promise.all(kinds.map(([action]) =>
      items(page).filter({ hasText: `Kind ${action}.` }).locator('.item-icon.icon').evaluate((e) => getComputedStyle(e, '::before').maskImage)));
    for (const d of drawings) expect(d).toMatch(/^url\("data:image\/svg\+xml,.*<path d=/);
    expect(new Set(drawings).size).toBe(5);
    await arabic(page);
    await expect(items(page).filter({ hasText: 'نوع Reject.' })).toContainText('FAR · إعادة');
  });

  test('the exact local time shows on keyboard focus and hover, and Escape hides it', async ({ page, backend }) => {
    await signIn(page, backend);
    const item = items(page).filter({ hasText: 'FAR-0014' });
    const time = item.locator('time');
    const exact = await time.evaluate((t) => new Intl.DateTimeFormat('en', { dateStyle: 'medium', timeStyle: 'medium' })
      .format(new Date(t.getAttribute('datetime')!)));
    // Shown to the eye (and hidden from screen readers, which hear it after the relative time).
    const tip = time.locator('[aria-hidden="true"]');
    await expect(tip).toHaveText(exact);
    await expect(time).toContainText(`1 h ago, ${exact}`);
    await page.mouse.move(0, 0);
    await expect(tip).toBeHidden();
    await tabTo(page, time);
    await expect(tip).toBeVisible();
    // Inside its row, above the relative time, not clipped.
    const t = await box(time);
    const shown = await box(tip);
    const row = await box(item);
    expect(shown.y + shown.h).toBeLessThanOrEqual(t.y + 1);
    expect(shown.y).toBeGreaterThanOrEqual(row.y);
    await page.keyboard.press('Escape');
    await expect(tip).toBeHidden();
    await expect(time).toBeFocused();
    // Back when focus comes back.
    await page.keyboard.press('Tab');
    await page.keyboard.press('Shift+Tab');
    await expect(tip).toBeVisible();
    await page.keyboard.press('Tab');
    await expect(tip).toBeHidden();
    await time.hover();
    await expect(tip).toBeVisible();
  });

  test('codes stay whole and isolated in Arabic at 360 px: inbox, toasts, upload cards', async ({ page, backend }) => {
    await page.setViewportSize({ width: 360, height: 740 });
    await signIn(page, backend);
    await arabic(page);
    // The code at every place along the line: one of them falls at a line's end.
    for (let k = 0; k < 14; k++) {
      await notify(backend, {
        eng_message: `Code test ${k}`,
        ara_message: `${'كلمة '.repeat(k)}مناقلة FAR-0015 ${'تم '.repeat(k % 3)}للمراجعة`,
        code: 'FAR-0015', transaction_id: 857,
      });
    }
    await expect(items(page)).toHaveCount(17);
    await backend.control('oracle', { username: 'finance1', transaction_id: 857, step_ms: 50, fail_at: 1, error: 'Journal Import ended in error: period FEB-26 is closed' });
    await expect(uploads(page).getByRole('listitem').first()).toBeVisible();
    const codes = page.locator('bdi', { hasText: /^(FAR-0015|FEB-26)$/ });
    expect(await codes.count()).toBeGreaterThan(28);
    const found = await codes.evaluateAll(codeLines);
    for (const l of found) {
      expect(l.isolated, JSON.stringify(l)).toBe('isolate');
      expect(l.wraps, JSON.stringify(l)).toBe('nowrap');
      // On screen: on one line (a toast folded away has no lines to count).
      if (l.where !== 'ASIDE') expect(l.lines, JSON.stringify(l)).toBe(1);
    }
    // Every row's codes were on screen and counted, and the toasts have theirs isolated too.
    expect(found.filter((l) => l.where === 'LI' && l.lines === 1).length).toBeGreaterThan(28);
    expect(found.some((l) => l.where === 'ASIDE')).toBe(true);
    // Without the rule, some of these codes would break: the test can fail.
    await codes.evaluateAll((els) => els.forEach((el) => { (el as HTMLElement).style.whiteSpace = 'normal'; (el as HTMLElement).style.display = 'inline'; }));
    expect((await codes.evaluateAll(codeLines)).some((l) => l.lines > 1)).toBe(true);
    await expect(uploads(page).locator('bdi', { hasText: 'FEB-26' })).toHaveCount(1);
    // The row's end is the left in Arabic: the actions are left of the message.
    const row = items(page).filter({ hasText: 'كلمة كلمة مناقلة' }).first();
    const meta = await box(row.locator('time').locator('..'));
    const actions = await box(row.getByRole('button', { name: 'حذف' }));
    expect(actions.x + actions.w).toBeLessThanOrEqual(meta.x + 1);
    // Nothing widens the page.
    expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(0);
  });

  test('at 1024 × 700 the toasts never cover the failed job\'s Acknowledge, and it works by keyboard', async ({ page, backend }) => {
    await page.setViewportSize({ width: 1024, height: 700 });
    await signIn(page, backend);
    // The case: a failed job, then two toasts.
    await backend.control('oracle', { username: 'finance1', transaction_id: 603, step_ms: 50, fail_at: 3, error: 'Interface loader timeout' });
    const acknowledge = uploads(page).getByRole('button', { name: 'Acknowledge' });
    await expect(acknowledge).toBeVisible();
    await notify(backend, { eng_message: 'New budget transfer request created with code FAR-0016' });
    await notify(backend, { eng_message: 'Budget transfer FAR-0016 is waiting for your approval', type_of_action: 'Approve' });
    await expect(toasts(page)).toContainText('waiting for your approval');
    await page.mouse.move(0, 0);
    // Never over it, nor over any other control on screen (the stack moves once it has placed).
    await expect.poll(() => coveredControls(page)).toEqual([]);
    const ack = await box(acknowledge);
    for (const toast of await toasts(page).getByRole('button').all()) {
      if (await toast.isVisible()) expect(overlap(await box(toast), ack)).toBe(false);
    }
    // A toast is on screen all the same.
    await expect(toasts(page).getByText('waiting for your approval')).toBeVisible();
    // Scrolled, the page still keeps its controls clear of the toasts.
    await page.mouse.wheel(0, 200);
    await expect.poll(() => coveredControls(page)).toEqual([]);
    await tabTo(page, acknowledge);
    await page.keyboard.press('Enter');
    await expect(acknowledge).toHaveCount(0);
  });

  test('where the whole stack has no room it folds into its summary line, and unfolds once there is room', async ({ page, backend }) => {
    await page.setViewportSize({ width: 1024, height: 700 });
    await signIn(page, backend);
    // A control over all but the viewport's lowest 110 px: room for the summary line, not for
    // two toasts.
    await page.evaluate(() => {
      const wall = document.createElement('button');
      wall.id = 'wall';
      wall.textContent = 'Wall';
      wall.style.cssText = 'position: fixed; inset: 0 0 110px 0; z-index: 1';
      document.body.append(wall);
    });
    await page.mouse.move(0, 0);
    await notify(backend, { eng_message: 'New budget transfer request created with code FAR-0016' });
    await notify(backend, { eng_message: 'Budget transfer FAR-0016 is waiting for your approval', type_of_action: 'Approve' });
    const summary = toasts(page).getByText('2 new notifications');
    await expect(summary).toBeVisible();
    await expect(toasts(page).getByText('waiting for your approval')).toBeHidden();
    await expect(toasts(page).getByRole('button', { name: 'Dismiss all' })).toHaveCount(1);
    await expect.poll(() => coveredControls(page)).toEqual([]);
    // Room again: the stack unfolds by itself (the page changing under it is followed).
    await page.evaluate(() => document.getElementById('wall')!.remove());
    await expect(toasts(page).getByText('waiting for your approval')).toBeVisible();
    await expect(summary).toBeHidden();
    await expect.poll(() => coveredControls(page)).toEqual([]);
  });

  for (const scheme of ['light', 'dark'] as const) {
    for (const lang of ['en', 'ar'] as const) {
      test(`axe: compact items, the exact time and the actions on focus, kinds and toasts (${lang}, ${scheme})`, async ({ page, backend }) => {
        await page.emulateMedia({ colorScheme: scheme });
        await signIn(page, backend);
        if (lang === 'ar') await arabic(page);
        for (const action of ['List', 'Approved', 'Reject', 'Rejected', 'Oracle Upload']) {
          await notify(backend, { eng_message: `Kind ${action} for FAR-0016`, ara_message: `النوع ${action} للرمز FAR-0016`, type_of_action: action });
        }
        await backend.control('oracle', { username: 'finance1', transaction_id: 603, step_ms: 50, fail_at: 2, error: 'Interface loader timeout' });
        await expect(uploads(page).getByRole('button', { name: lang === 'ar' ? 'تأكيد الاطلاع' : 'Acknowledge' })).toBeVisible();
        await expect(toasts(page)).toBeVisible();
        // The exact time on focus, and the actions of its row shown (a row that stays put while
        // the upload's notifications arrive above it).
        const time = items(page).filter({ hasText: 'FAR-0014' }).locator('time');
        await tabTo(page, time);
        await expect(time.locator('[aria-hidden="true"]')).toBeVisible();
        await axe(page);
        // An action button focused.
        await page.keyboard.press('Tab');
        await axe(page);
      });
    }
  }
});
