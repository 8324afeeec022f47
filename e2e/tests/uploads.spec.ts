import { test, expect } from '../support/fixtures';
import type { Page } from '@playwright/test';
import type { Backend } from '../support/backend';
import { connection, signIn } from '../support/app';

const panel = (page: Page) => page.getByRole('region', { name: 'Oracle uploads' });
const bar = (page: Page, tx: number) => panel(page).getByRole('progressbar', { name: new RegExp(`Transaction ${tx}\\b`) });
const card = (page: Page, tx: number) => panel(page).getByRole('listitem').filter({ has: page.getByRole('heading', { name: new RegExp(`^Transaction ${tx}\\b`) }) });

const STEPS = ['Journal Upload to UCM', 'Interface Loader Submission', 'Journal Import Submission', 'Automatic Posting Submission', 'Close Period Check'];
const oracle = (backend: Backend, body: Record<string, unknown>) => backend.control('oracle', { username: 'finance1', ...body });
const emit = (backend: Backend, frame: Record<string, unknown>) => backend.control('emit', { username: 'finance1', frame });

/** Samples aria-valuenow every 50 ms until `done`, to prove the bar never goes backwards. */
async function sampleBar(page: Page, tx: number, done: () => Promise<boolean>): Promise<number[]> {
  const seen: number[] = [];
  while (!(await done())) {
    const v = await bar(page, tx).getAttribute('aria-valuenow').catch(() => null);
    if (v !== null) seen.push(Number(v));
    await page.waitForTimeout(50);
  }
  return seen;
}

test.describe('Oracle uploads', () => {
  test('a five-step job rises to 100 and says Completed', async ({ page, backend }) => {
    await signIn(page, backend);
    await oracle(backend, { transaction_id: 602, steps: STEPS, step_ms: 400 });
    await expect(bar(page, 602)).toHaveAttribute('aria-valuetext', /^Step \d of 5: /);
    await expect(page.getByRole('link', { name: '1 upload running' })).toBeVisible();
    const seen = await sampleBar(page, 602, async () => (await bar(page, 602).getAttribute('aria-valuenow')) === '100');
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
    await expect(bar(page, 602)).toHaveAttribute('aria-valuemin', '0');
    await expect(bar(page, 602)).toHaveAttribute('aria-valuemax', '100');
    await expect(card(page, 602)).toContainText('Completed');
    await expect(card(page, 602)).toContainText('/u01/oracle/fbdi/results/602.zip');
    await expect(page.getByRole('link', { name: /uploads? running/ })).toHaveCount(0);
    // Milestones are announced (not every step), and the inbox gets the persisted rows.
    await expect(page.getByRole('complementary', { name: 'New notifications' })).toContainText('Oracle upload completed for transaction 602');
    await expect(page.getByRole('region', { name: 'Notifications' }).getByText('Oracle upload completed for transaction 602')).toBeVisible();
    await card(page, 602).getByRole('button', { name: 'Dismiss' }).click();
    await expect(card(page, 602)).toHaveCount(0);
  });

  test('a job failing at step 3 shows the error and stays until acknowledged', async ({ page, backend }) => {
    await signIn(page, backend);
    await oracle(backend, { transaction_id: 603, steps: STEPS, step_ms: 200, fail_at: 3, error: 'Interface loader timeout' });
    await oracle(backend, { transaction_id: 613, step_ms: 50, with_progress: false });
    await expect(bar(page, 613)).toHaveAttribute('aria-valuenow', '100');
    await expect(card(page, 603)).toContainText('Failed', { timeout: 10_000 });
    await expect(card(page, 603)).toContainText('Interface loader timeout');
    // Issue #22 (one line per fact): the failed step is marked in the stepper, not named
    // again in the error line.
    await expect(card(page, 603).getByRole('list', { name: 'Steps' }).getByRole('listitem').filter({ hasText: 'Journal Import Submission' })).toHaveClass(/\bfailed\b/);
    await expect(bar(page, 603)).toHaveAttribute('aria-valuetext', 'Failed at Journal Import Submission');
    await page.getByRole('region', { name: 'Notifications' }).getByRole('button', { name: 'Mark all as read' }).click();
    await panel(page).getByRole('button', { name: 'Clear finished' }).click();
    await expect(card(page, 613)).toHaveCount(0);
    await expect(card(page, 603)).toBeVisible();
    await page.reload();
    await expect(card(page, 603)).toContainText('Interface loader timeout');
    await card(page, 603).getByRole('button', { name: 'Acknowledge' }).click();
    await expect(card(page, 603)).toHaveCount(0);
  });

  test('a job without progress frames ends at 100 with steps unknown', async ({ page, backend }) => {
    await signIn(page, backend);
    await oracle(backend, { transaction_id: 604, step_ms: 100, with_progress: false });
    await expect(bar(page, 604)).toHaveAttribute('aria-valuenow', '100');
    await expect(card(page, 604)).toContainText('Steps were not reported.');
  });

  test('a reload mid-job keeps the card, and it completes', async ({ page, backend }) => {
    await signIn(page, backend);
    await oracle(backend, { transaction_id: 605, steps: STEPS.slice(0, 4), step_ms: 1_500 });
    await expect(bar(page, 605)).toHaveAttribute('aria-valuetext', /Step 1 of 4/);
    await page.reload();
    await expect(card(page, 605)).toBeVisible();
    await expect(card(page, 605)).toContainText(/Waiting for updates|Running/);
    await expect(bar(page, 605)).toHaveAttribute('aria-valuenow', '100', { timeout: 15_000 });
    await expect(card(page, 605)).toContainText('Completed');
  });

  test('two jobs at once', async ({ page, backend }) => {
    await signIn(page, backend);
    await oracle(backend, { transaction_id: 701, steps: STEPS, step_ms: 500 });
    await oracle(backend, { transaction_id: 702, steps: STEPS.slice(0, 2), step_ms: 500 });
    await expect(page.getByRole('link', { name: '2 uploads running' })).toBeVisible();
    await expect(bar(page, 702)).toHaveAttribute('aria-valuenow', '100', { timeout: 10_000 });
    await expect(bar(page, 701)).toHaveAttribute('aria-valuenow', '100', { timeout: 10_000 });
  });

  test('duplicated, out-of-order and late frames never regress the bar', async ({ page, backend }) => {
    await signIn(page, backend);
    const p = (k: number | null, step: string, status = 'processing', extra = {}) =>
      emit(backend, { type: 'oracle_upload_progress', transaction_id: 900, step, step_number: k, total_steps: 4, status, timestamp: null, ...extra });
    // Joined mid-way: no started frame.
    await p(3, 'Journal Import Submission');
    await expect(bar(page, 900)).toHaveAttribute('aria-valuenow', '50');
    await p(3, 'Journal Import Submission');
    await p(1, 'Journal Upload to UCM');
    await p(2, 'Interface Loader Submission', 'completed');
    await p(null, 'Journal Import Submission', 'completed');
    await expect(bar(page, 900)).toHaveAttribute('aria-valuenow', '75');
    await expect(bar(page, 900)).toHaveAttribute('aria-valuetext', 'Step 3 of 4: Journal Import Submission');
    await emit(backend, { type: 'oracle_upload_completed', transaction_id: 900, success: true, result_path: null });
    await expect(bar(page, 900)).toHaveAttribute('aria-valuenow', '100');
    await p(4, 'Automatic Posting Submission');
    await emit(backend, { type: 'oracle_upload_failed', transaction_id: 900, error: 'late' });
    await expect(card(page, 900)).toContainText('Completed');
    await expect(bar(page, 900)).toHaveAttribute('aria-valuenow', '100');
    // A new start after the end is a new attempt.
    await emit(backend, { type: 'oracle_upload_started', transaction_id: 900, message: 'again' });
    await expect(card(page, 900)).toContainText('Attempt 2');
    await expect(bar(page, 900)).toHaveAttribute('aria-valuenow', '0');
  });
  test('a job whose worker died: stalled, not running; acknowledged; no ticking; let go after a day (issue #20, item 5)', async ({ page, backend }) => {
    // The fault is time passing without a frame. The page's clock is Playwright's: it runs as
    // usual until the test jumps it forward (timers that fall due fire once), so five
    // minutes or a day of silence take no real time.
    await page.clock.install();
    await signIn(page, backend);
    // The cards' clock ticks through a 1 s `setInterval`: the page's live ones are counted by
    // wrapping setInterval/clearInterval (the connection status has one only while it counts
    // down to a reconnect, so counts are read while connected).
    await page.evaluate(() => {
      const w = window as any;
      const live = new Set<unknown>();
      const set = window.setInterval.bind(window);
      const clear = window.clearInterval.bind(window);
      w.setInterval = (fn: TimerHandler, ms?: number, ...args: unknown[]) => {
        const id = set(fn, ms, ...args);
        if (ms === 1000) live.add(id);
        return id;
      };
      w.clearInterval = (id?: number) => {
        live.delete(id);
        clear(id);
      };
      w.__secondTickers = () => live.size;
    });
    const tickers = async () => {
      await expect(connection(page)).toHaveAttribute('data-connection', 'connected', { timeout: 15_000 });
      return page.evaluate(() => (window as any).__secondTickers() as number);
    };
    const badge = page.getByRole('link', { name: /uploads? (running|stalled)/ });
    const step = (k: number) =>
      emit(backend, { type: 'oracle_upload_progress', transaction_id: 7001, step: STEPS[k - 1], step_number: k, total_steps: 5, status: 'processing' });

    await emit(backend, { type: 'oracle_upload_started', transaction_id: 7001, message: 'started' });
    await step(1);
    await expect(card(page, 7001)).toContainText('Running');
    await expect(badge).toHaveAccessibleName('1 upload running');
    await expect.poll(tickers).toBe(1);

    // The worker dies: nothing more. Five minutes later the job is stalled, and counted so.
    await page.clock.fastForward('05:01');
    await expect(card(page, 7001)).toContainText('No update for 5 min');
    await expect(badge).toHaveAccessibleName('1 upload stalled');
    // Nothing on screen changes with time any more: the clock stops (no render a second).
    await expect.poll(tickers).toBe(0);

    // It was only slow: a frame brings it back to running, and the clock with it.
    await step(2);
    await expect(card(page, 7001)).toContainText('Running');
    await expect(badge).toHaveAccessibleName('1 upload running');
    await expect.poll(tickers).toBe(1);

    // Silent again: acknowledged like a failed job, and gone.
    await page.clock.fastForward('05:01');
    await expect(badge).toHaveAccessibleName('1 upload stalled');
    await card(page, 7001).getByRole('button', { name: 'Acknowledge' }).click();
    await expect(card(page, 7001)).toHaveCount(0);
    await expect(badge).toHaveCount(0);
    await expect.poll(tickers).toBe(0);

    // Nobody acknowledges: after a day without news the job goes by itself.
    await emit(backend, { type: 'oracle_upload_started', transaction_id: 7002, message: 'started' });
    await expect(card(page, 7002)).toContainText('Running');
    await page.clock.fastForward('24:00:01');
    await expect(card(page, 7002)).toHaveCount(0);
    await expect(badge).toHaveCount(0);
    await expect(panel(page)).toContainText('No upload jobs');

    // A reload a day later does not bring one back from the cache either.
    await emit(backend, { type: 'oracle_upload_started', transaction_id: 7003, message: 'started' });
    await expect(card(page, 7003)).toContainText('Running');
    // The cache is written at most every 2 s, and when the page is hidden or unloaded.
    await page.clock.setSystemTime((await page.evaluate(() => Date.now())) + 25 * 3_600_000);
    await expect(card(page, 7003)).toBeVisible(); // no timer ran: only the reload can judge it
    await page.reload();
    await expect(connection(page)).toHaveAttribute('data-connection', 'connected', { timeout: 15_000 });
    await expect(panel(page)).toContainText('No upload jobs');
    await expect(card(page, 7003)).toHaveCount(0);
    await expect(badge).toHaveCount(0);
  });
});
