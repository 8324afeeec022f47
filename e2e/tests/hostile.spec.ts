import { test, expect } from '../support/fixtures';
import type { Page } from '@playwright/test';
import type { Backend } from '../support/backend';
import { connection, signIn, storedSession } from '../support/app';

// Issue #12, items 9 and 10: hostile but valid frames, sent as raw text through the real
// socket. Nothing may throw, no bar may leave 0–100 %, repeated text is capped, and the page
// stays connected and answers clicks.

const inbox = (page: Page) => page.getByRole('region', { name: 'Notifications' });
const items = (page: Page) => inbox(page).getByRole('listitem');
const toasts = (page: Page) => page.getByRole('complementary', { name: 'New notifications' });
const uploads = (page: Page) => page.getByRole('region', { name: 'Oracle uploads' });
// The new-notification announcement: the live region beside the toasts (the inbox has others:
// the count of matches, the shortcuts', the bulk actions').
const announcement = (page: Page) => page.locator('[aria-live="polite"]:has(+ aside.toasts)');

const raw = (backend: Backend, text: string) => backend.control('raw', { username: 'finance1', text });
const frame = (backend: Backend, value: unknown) => raw(backend, JSON.stringify(value));
const notify = (backend: Backend, eng: string) =>
  backend.control('notify', { username: 'finance1', eng_message: eng, ara_message: 'نص عربي', transaction_id: 860, code: 'FAR-0016' });

/** Toasts, announcements and desktop notifications show at most this many characters. */
const SHORT_TEXT_MAX = 1_000;

/** Collects uncaught exceptions and console errors of the page. */
function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' && /panicked|RuntimeError|unreachable/i.test(m.text())) errors.push(`console: ${m.text()}`);
  });
  return errors;
}

/** Every progress bar's value: `aria-valuenow`, or a native `<progress>`'s value. */
async function barValues(page: Page): Promise<number[]> {
  const bars = uploads(page).getByRole('progressbar');
  const values: number[] = [];
  for (const bar of await bars.all()) {
    values.push(await bar.evaluate((el) => {
      const now = el.getAttribute('aria-valuenow');
      if (now !== null) return Number(now);
      return el instanceof HTMLProgressElement ? (el.value / el.max) * 100 : NaN;
    }));
  }
  return values;
}

/** Dismisses every toast (the clicks answer, or this waits in vain). */
async function clearToasts(page: Page) {
  const all = toasts(page).getByRole('button', { name: 'Dismiss all' });
  if (await all.isVisible()) await all.click();
  const one = toasts(page).getByRole('button', { name: 'Dismiss notification' });
  while ((await one.count()) > 0) await one.first().click();
}

/** The page is alive: still connected, a normal notification still arrives, clicks answer. */
async function stillAlive(page: Page, backend: Backend, errors: string[]) {
  await expect(connection(page)).toHaveAttribute('data-connection', 'connected');
  await clearToasts(page);
  await notify(backend, 'After the storm: a normal notification');
  await expect(items(page).filter({ hasText: 'After the storm: a normal notification' })).toHaveCount(1);
  await expect(toasts(page)).toContainText('After the storm');
  await inbox(page).getByRole('button', { name: 'Mark all as read' }).click();
  await expect(inbox(page).getByText(/^0 unread$/)).toBeVisible();
  await inbox(page).getByRole('button', { name: 'Unread' }).click();
  await expect(inbox(page).getByRole('button', { name: 'Unread' })).toHaveAttribute('aria-pressed', 'true');
  await expect(connection(page)).toHaveAttribute('data-connection', 'connected');
  expect(errors).toEqual([]);
}

test.describe('hostile but valid frames', () => {
  test('a 200 KB message: capped in the toast and the announcement, whole in the inbox', async ({ page, backend }) => {
    const errors = watchErrors(page);
    await signIn(page, backend);
    // 200 KB of text and a 20 KB code in one frame (the app reads frames up to 256 KB).
    const huge = 'W'.repeat(200 * 1024 - 200) + ' THE END';
    await frame(backend, { type: 'notification', id: 9001, message: 'm', eng_message: huge, is_read: false,
      created_at: '2025-12-30T12:40:49.474292+00:00', code: 'C'.repeat(20_000) });
    const item = items(page).filter({ hasText: 'THE END' });
    await expect(item).toHaveCount(1);
    // The inbox keeps the text whole (it wraps and scrolls inside its item).
    expect((await item.textContent())!.length).toBeGreaterThan(200 * 1024 - 200);
    const box = await item.boundingBox();
    expect(box!.height).toBeLessThan(page.viewportSize()!.height * 2);
    // Nor does anything widen the page.
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    // The toast: a clipped start, an ellipsis, never the 200 KB.
    await expect(toasts(page)).toContainText('WWWW');
    const toastText = (await toasts(page).textContent())!;
    expect(toastText).toContain('…');
    expect(toastText).not.toContain('THE END');
    expect(toastText.length).toBeLessThan(SHORT_TEXT_MAX + 400);
    // The polite announcement, batched: capped too.
    await expect.poll(async () => (await announcement(page).textContent())!.length).toBeGreaterThan(0);
    const said = (await announcement(page).textContent())!;
    expect(said).toContain('WWWW');
    expect(said.length).toBeLessThan(SHORT_TEXT_MAX + 100);
    await stillAlive(page, backend, errors);
  });

  test('absurd numbers, wrong-typed ids, impossible times, HTML, deep nesting: no error, bars within 0–100', async ({ page, backend }) => {
    const errors = watchErrors(page);
    let dialogs = 0;
    page.on('dialog', (d) => { dialogs++; void d.dismiss(); });
    await signIn(page, backend);
    const when = { timestamp: '+99999-01-01T00:00:00', created_at: '+99999-12-31T23:59:59+00:00' };
    // Notifications: wrong-typed ids, impossible timestamps, HTML.
    const hostileNotifications: unknown[] = [
      { type: 'notification', id: 'abc', message: 'string id', ...when },
      { type: 'notification', id: 1.5, message: 'float id', timestamp: -5 },
      { type: 'notification', id: 1e300, message: 'absurd id', created_at: '0000-00-00T00:00:00Z' },
      { type: 'notification', id: '9100', message: 'numeric string id', created_at: '+99999-01-01T00:00:00+00:00' },
      { type: 'notification', message: '<img src=x onerror="window.__pwned=1;alert(1)">', ...when },
      { type: 'notification', message: 'nested data', data: { transaction_id: 1e300, code: { deep: [[[['x']]]] } } },
    ];
    for (const f of hostileNotifications) await frame(backend, f);
    // An integer beyond any JSON number type, as text on the wire.
    await raw(backend, '{"type":"notification","id":18446744073709551616,"message":"huge id","created_at":"garbage"}');
    // Deep nesting: past the parser's limit (skipped) and within it (extra field ignored).
    await raw(backend, `{"type":"notification","message":"too deep","x":${'['.repeat(100_000)}${']'.repeat(100_000)}}`);
    await raw(backend, `{"type":"notification","message":"deep but fine","x":${'['.repeat(100)}1${']'.repeat(100)}}`);
    await raw(backend, `{"type":${'{"a":'.repeat(5_000)}1${'}'.repeat(5_000)}}`);

    await expect(items(page).filter({ hasText: 'deep but fine' })).toHaveCount(1);
    await expect(items(page).filter({ hasText: 'too deep' })).toHaveCount(0);
    for (const text of ['string id', 'float id', 'absurd id', 'numeric string id', 'nested data', 'huge id']) {
      await expect(items(page).filter({ has: page.getByText(text, { exact: true }) })).toHaveCount(1);
    }
    // HTML is text.
    await expect(items(page).filter({ hasText: '<img src=x onerror="window.__pwned=1;alert(1)">' })).toHaveCount(1);
    await expect(page.locator('main img, aside img')).toHaveCount(0);
    expect(await page.evaluate(() => (window as any).__pwned)).toBeUndefined();
    expect(dialogs).toBe(0);
    // No date from the year 99999: impossible times fall back to the arrival time.
    const years = await inbox(page).locator('time').evaluateAll((els) => els.map((e) => e.getAttribute('datetime') ?? ''));
    expect(years.length).toBeGreaterThan(0);
    for (const y of years) expect(y).toMatch(/^\d{4}-/);

    // Upload milestones make the inbox re-read the history (after which ids the server
    // never stored are gone, as REST is the truth): the notifications were checked first.
    // Upload jobs: absurd step numbers and totals, ids of every type.
    const hostileUploads: unknown[] = [
      { type: 'oracle_upload_started', transaction_id: 701, message: 'started', ...when },
      { type: 'oracle_upload_progress', transaction_id: 701, step: 'Absurd', step_number: 1e300, total_steps: 0, status: 'processing', ...when },
      { type: 'oracle_upload_progress', transaction_id: 701, step: 'Beyond', step_number: 7, total_steps: 5, status: 'processing', ...when },
      { type: 'oracle_upload_progress', transaction_id: 701, step: 'Negative', step_number: -5, total_steps: -5, status: 'completed', ...when },
      { type: 'oracle_upload_progress', transaction_id: 701, step: 'NaN', step_number: 'NaN', total_steps: 'NaN', status: 'processing', ...when },
      { type: 'oracle_upload_progress', transaction_id: 701, step: 'Max', step_number: 4294967295, total_steps: 4294967296, status: 'completed', ...when },
      { type: 'oracle_upload_started', transaction_id: '702', ...when },
      { type: 'oracle_upload_progress', transaction_id: '702', step: 'Zero', step_number: 0, total_steps: 0, status: 'completed', ...when },
      { type: 'oracle_upload_started', transaction_id: 703.0, ...when },
      { type: 'oracle_upload_progress', transaction_id: 703, step: 'Big total', step_number: 2, total_steps: 1e300, status: 'completed', ...when },
      { type: 'oracle_upload_failed', transaction_id: 703, error: 'E'.repeat(100_000), ...when },
      { type: 'oracle_upload_started', transaction_id: 1.5 },
      { type: 'oracle_upload_started', transaction_id: 1e300 },
      { type: 'oracle_upload_started', transaction_id: 'abc' },
      { type: 'oracle_upload_started', transaction_id: { nested: [1, 2, 3] } },
    ];
    for (const f of hostileUploads) await frame(backend, f);
    // A whole number written as a float (JSON.stringify would drop the ".0").
    await raw(backend, '{"type":"oracle_upload_started","transaction_id":704.0,"timestamp":"+99999-01-01T00:00:00"}');
    await raw(backend, '{"type":"oracle_upload_started","transaction_id":99999999999999999999999}');
    // Four jobs (701, "702", 703, 704.0), every bar within 0–100; the running one is not full.
    await expect(uploads(page).getByRole('progressbar')).toHaveCount(4);
    const running = uploads(page).getByRole('progressbar', { name: /Transaction 701\b/ });
    await expect(running).toHaveAttribute('aria-valuetext', /^Step \d+ of \d+: /);
    const values = await barValues(page);
    expect(values.length).toBe(4);
    for (const v of values) {
      expect(Number.isFinite(v)).toBe(true);
      expect(v).toBeGreaterThanOrEqual(0);
      expect(v).toBeLessThanOrEqual(100);
    }
    expect(Number(await running.getAttribute('aria-valuenow'))).toBeLessThan(100);
    // The 100 KB error is clipped in the card and in the milestone toast.
    const failed = uploads(page).getByRole('listitem').filter({ has: page.getByRole('heading', { name: /^Transaction 703\b/ }) });
    await expect(failed).toContainText('Failed');
    expect((await failed.textContent())!.length).toBeLessThan(5_000);
    expect((await toasts(page).textContent())!.length).toBeLessThan(3 * (SHORT_TEXT_MAX + 200));
    await stillAlive(page, backend, errors);
  });

  test('a tampered upload cache cannot push a bar outside 0–100', async ({ page, backend }) => {
    const errors = watchErrors(page);
    // Written before the app starts on the reload (after the old page saved its own cache).
    await page.addInitScript(() => {
      const tamper = sessionStorage.getItem('tamper');
      if (!tamper) return;
      sessionStorage.removeItem('tamper');
      localStorage.setItem(`herald.cache.uploads.${tamper}@${location.origin}`, JSON.stringify([800, 801, 801].map((tx, i) => ({
        transaction_id: tx, attempt: 4294967295, state: i === 0 ? 'Running' : 'Failed',
        percent: i === 0 ? 1e300 : -1e300, total_steps: 0,
        steps: [{ number: 4294967295, name: 'S'.repeat(10_000), state: 'Running', started_ms: null, ended_ms: null }],
        message: null, eng_message: null, ara_message: null, error: 'x', result_path: null,
        started_ms: -1e300, ended_ms: null, last_frame_ms: 1e300, joined_midway: true, restored: false,
      }))));
    });
    await signIn(page, backend);
    const userId = (await storedSession(page)).user.id;
    await page.evaluate((id) => sessionStorage.setItem('tamper', String(id)), userId);
    await page.reload();
    await expect(connection(page)).toHaveAttribute('data-connection', 'connected');
    await expect(uploads(page).getByRole('progressbar')).toHaveCount(2);
    for (const v of await barValues(page)) {
      expect(v).toBeGreaterThanOrEqual(0);
      expect(v).toBeLessThanOrEqual(100);
    }
    // The restored job continues from frames like any other.
    await frame(backend, { type: 'oracle_upload_completed', transaction_id: 800, success: true });
    await expect(uploads(page).getByRole('progressbar', { name: /Transaction 800\b/ })).toHaveAttribute('aria-valuetext', 'Completed');
    await stillAlive(page, backend, errors);
  });

  test('a browser without Notification: hidden tab, live notifications, no exception', async ({ page, backend }) => {
    const errors = watchErrors(page);
    await page.addInitScript(() => {
      // As in an insecure context or a browser without the API, with the tab in the
      // background (where desktop notifications would be shown).
      delete (window as any).Notification;
      Object.defineProperty(Document.prototype, 'hidden', { get: () => true, configurable: true });
    });
    await signIn(page, backend);
    expect(await page.evaluate(() => 'Notification' in window)).toBe(false);
    await expect(inbox(page).getByRole('button', { name: /desktop notifications/i })).toHaveCount(0);
    await notify(backend, 'First while hidden');
    await expect(items(page).filter({ hasText: 'First while hidden' })).toHaveCount(1);
    await frame(backend, { type: 'oracle_upload_started', transaction_id: 900 });
    await frame(backend, { type: 'oracle_upload_failed', transaction_id: 900, error: 'boom' });
    await expect(toasts(page)).toContainText('Oracle upload failed for transaction 900: boom');
    await stillAlive(page, backend, errors);
  });
});
