// The upload panel as a finance user's workspace (issue #22, item 9): one line per fact, a
// stepper with each step's duration, the usual duration after three jobs, "Past jobs" kept
// across reloads, "Copy details" on a failure, the result path with Copy. Keyboard only, in
// both languages, axe-clean. Jobs are driven by the reference backend's /test/oracle/.
import { test, expect } from '../support/fixtures';
import type { BrowserContext, Locator, Page } from '@playwright/test';
import type { Backend } from '../support/backend';
import { axe } from '../support/axe';
import { signIn } from '../support/app';

const STEPS = ['Journal Upload to UCM', 'Interface Loader Submission', 'Journal Import Submission', 'Automatic Posting Submission', 'Close Period Check'];
const panel = (page: Page) => page.getByRole('region', { name: /^(Oracle uploads|عمليات الرفع إلى Oracle)$/ });
// By the heading's id: in Arabic its number is written in Arabic-Indic digits.
const card = (page: Page, tx: number) => panel(page).getByRole('listitem').filter({ has: page.locator(`h3#job-${tx}-title`) });
const bar = (page: Page, tx: number) => panel(page).getByRole('progressbar', { name: new RegExp(`Transaction ${tx}\\b`) });
const stepper = (page: Page, tx: number) => card(page, tx).getByRole('list', { name: /^(Steps|الخطوات)$/ });
const oracle = (backend: Backend, body: Record<string, unknown>) => backend.control('oracle', { username: 'finance1', ...body });
const pastJobs = (page: Page) => panel(page).locator('details.past-jobs');
const summary = (page: Page) => panel(page).getByText(/^(Past jobs|عمليات الرفع السابقة) \(/);

/** Presses Tab until `target` has focus (keyboard only). */
async function tabTo(page: Page, target: Locator, max = 300) {
  for (let i = 0; i < max; i++) {
    if (await target.evaluate((el) => el === document.activeElement).catch(() => false)) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`could not reach ${target} with Tab`);
}

async function arabic(page: Page) {
  await page.getByRole('button', { name: 'العربية' }).click();
  await expect(page.locator('html')).toHaveAttribute('dir', 'rtl');
}

async function allowClipboard(context: BrowserContext, backend: Backend) {
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: backend.url });
}

/** Three quick jobs that complete: enough for an estimate. */
async function threeQuickJobs(page: Page, backend: Backend, first = 850) {
  for (const tx of [first, first + 1, first + 2]) {
    await oracle(backend, { transaction_id: tx, steps: STEPS.slice(0, 2), step_ms: 100 });
  }
  for (const tx of [first, first + 1, first + 2]) {
    await expect(card(page, tx)).toContainText('Completed', { timeout: 10_000 });
  }
}

test.describe('upload panel', () => {
  test('a running card names its step once; the stepper shows each step with its duration, the running one ticking', async ({ page, backend }) => {
    await signIn(page, backend);
    await oracle(backend, { transaction_id: 801, steps: STEPS, step_ms: 6_000 });
    const step2 = 'Step 2 of 5: Interface Loader Submission';
    await expect(bar(page, 801)).toHaveAttribute('aria-valuetext', step2, { timeout: 15_000 });
    // One line per fact: while it runs, the step is named once (by the stepper), not three
    // times. Counted at once (a retrying count would pass once the next step starts), then
    // checked to have been counted while step 2 still ran.
    const named = await card(page, 801).getByText('Interface Loader Submission').count();
    const before = await card(page, 801).getByText('Journal Upload to UCM').count();
    await expect(bar(page, 801)).toHaveAttribute('aria-valuetext', step2);
    expect([named, before]).toEqual([1, 1]);
    await expect(card(page, 801)).toContainText(/\d+% · \d+ s/);
    // The state's mark is a character on the state's line, not an icon's mask (a square).
    const glyph = card(page, 801).locator('.job-state .glyph');
    await expect(glyph).toHaveText('●');
    expect(await glyph.evaluate((e) => getComputedStyle(e, '::before').content)).toBe('none');
    const rows = stepper(page, 801).getByRole('listitem');
    await expect(rows).toHaveCount(5);
    // The finished step has its duration; the running one is the current step, and its
    // duration grows with the panel's 1 s clock while it runs.
    await expect(rows.nth(0)).toHaveClass(/\bdone\b/);
    await expect(rows.nth(0).locator('.step-time')).toHaveText(/^[5-7] s$/);
    const running = stepper(page, 801).locator('[aria-current="step"]');
    await expect(running).toContainText('Interface Loader Submission');
    const first = await rows.nth(1).locator('.step-time').textContent();
    await expect.poll(() => rows.nth(1).locator('.step-time').textContent(), { timeout: 3_000 }).not.toBe(first);
    await expect(rows.nth(1)).toHaveAttribute('aria-current', 'step');
    // Pending steps are listed, without a duration.
    await expect(rows.nth(4)).toHaveClass(/\bpending\b/);
    await expect(rows.nth(4).locator('.step-time')).toHaveCount(0);
  });

  test('joined mid-way: the steps before the first one seen are over, with no made-up durations', async ({ page, backend }) => {
    // The job runs before this user signs in: the first frames go nowhere.
    // 4 s a step: signed in during step 3, with 10 s before the job ends (a finished job
    // lists only the steps it saw).
    await oracle(backend, { transaction_id: 806, steps: STEPS, step_ms: 4_000 });
    await page.waitForTimeout(8_500);
    await signIn(page, backend);
    const rows = stepper(page, 806).getByRole('listitem');
    await expect(rows).toHaveCount(5, { timeout: 10_000 });
    await expect(stepper(page, 806).locator('[aria-current="step"]')).toBeVisible();
    const current = await rows.evaluateAll((li) => li.findIndex((e) => e.getAttribute('aria-current') === 'step'));
    expect(current).toBeGreaterThan(0);
    for (let i = 0; i < current; i++) {
      await expect(rows.nth(i)).toHaveClass(/\bdone\b/);
      await expect(rows.nth(i).locator('.step-time')).toHaveCount(0);
    }
  });

  test('the usual duration shows after three finished jobs, rounded, in both languages', async ({ page, backend }) => {
    await signIn(page, backend);
    for (const tx of [861, 862]) await oracle(backend, { transaction_id: tx, steps: STEPS.slice(0, 2), step_ms: 100 });
    for (const tx of [861, 862]) await expect(card(page, tx)).toContainText('Completed', { timeout: 10_000 });
    // Two jobs: nothing is said.
    await oracle(backend, { transaction_id: 863, steps: STEPS.slice(0, 2), step_ms: 1_500 });
    await expect(card(page, 863)).toContainText('Running');
    await expect(card(page, 863)).not.toContainText('Usually');
    await expect(card(page, 863)).toContainText('Completed', { timeout: 10_000 });
    // Three: "usually under a minute" on a running card (never "about 0 min" or seconds).
    await oracle(backend, { transaction_id: 864, steps: STEPS.slice(0, 2), step_ms: 10_000 });
    await expect(card(page, 864)).toContainText('Usually under a minute');
    await expect(card(page, 863)).not.toContainText('Usually');
    // It comes from this browser's memory: it survives a reload.
    await page.reload();
    await expect(card(page, 864)).toContainText('Usually under a minute');
    await arabic(page);
    await expect(card(page, 864)).toContainText('عادةً أقل من دقيقة');
    // Arabic's percent sign and comma: a middle dot beside Arabic-Indic digits reads as ٠.
    const meta = card(page, 864).locator('.job-meta');
    await expect(meta).toHaveText(/^[٠-٩]+٪، [٠-٩]+ ث، عادةً أقل من دقيقة$/);
  });

  test('past jobs: kept across reloads, per user, opened and closed by keyboard', async ({ page, backend }) => {
    await signIn(page, backend);
    await expect(summary(page)).toHaveCount(0);
    await oracle(backend, { transaction_id: 871, steps: STEPS.slice(0, 2), step_ms: 100 });
    await oracle(backend, { transaction_id: 872, steps: STEPS, step_ms: 100, fail_at: 2, error: 'Interface loader timeout' });
    await expect(card(page, 871)).toContainText('Completed', { timeout: 10_000 });
    await expect(card(page, 872)).toContainText('Failed', { timeout: 10_000 });
    await tabTo(page, card(page, 871).getByRole('button', { name: 'Dismiss' }));
    await page.keyboard.press('Enter');
    await expect(card(page, 871)).toHaveCount(0);

    await page.reload();
    await expect(summary(page)).toHaveText('Past jobs (2)');
    // Collapsed: the list is not shown until the user opens it.
    const list = pastJobs(page).getByRole('list');
    await expect(list).toBeHidden();
    await tabTo(page, summary(page));
    await page.keyboard.press('Enter');
    await expect(pastJobs(page)).toHaveAttribute('open', '');
    await expect(list).toBeVisible();
    const items = list.getByRole('listitem');
    await expect(items).toHaveCount(2);
    await expect(items.filter({ hasText: 'Transaction 871' })).toContainText('Completed');
    await expect(items.filter({ hasText: 'Transaction 872' })).toContainText('Failed at Interface Loader Submission');
    await page.keyboard.press('Space');
    await expect(list).toBeHidden();

    // Another user of this browser sees none of them.
    await tabTo(page, page.getByRole('button', { name: 'Sign out' }));
    await page.keyboard.press('Enter');
    await expect(page.getByLabel('Username')).toBeVisible();
    await signIn(page, backend, 'finance2');
    await expect(panel(page)).toContainText('No upload jobs');
    await expect(summary(page)).toHaveCount(0);
  });

  test('Copy details on a failed job puts transaction, step, error and times on the clipboard, by keyboard', async ({ page, context, backend }) => {
    await allowClipboard(context, backend);
    await signIn(page, backend);
    await oracle(backend, { transaction_id: 881, steps: STEPS, step_ms: 100, fail_at: 3, error: 'Interface loader timeout' });
    await expect(card(page, 881)).toContainText('Failed', { timeout: 10_000 });
    // The error once; the failed step in the stepper (not again in the error line).
    await expect(card(page, 881).getByText('Journal Import Submission')).toHaveCount(1);
    await expect(stepper(page, 881).getByRole('listitem').nth(2)).toHaveClass(/\bfailed\b/);
    await expect(card(page, 881).getByText('Interface loader timeout')).toHaveCount(1);
    await tabTo(page, card(page, 881).getByRole('button', { name: 'Copy details' }));
    await page.keyboard.press('Enter');
    await expect(card(page, 881).getByText('Copied')).toBeVisible();
    const text: string = await page.evaluate(() => navigator.clipboard.readText());
    for (const line of [
      'Transaction: 881',
      'State: failed',
      'Failed step: Journal Import Submission (step 3 of 5)',
      'Error: Interface loader timeout',
    ]) {
      expect(text.split('\n')).toContain(line);
    }
    expect(text).toMatch(/^Started: \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/m);
    expect(text).toMatch(/^Ended: \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/m);
  });

  test('a refused clipboard shows the details to copy by hand', async ({ page, backend }) => {
    await page.addInitScript(() => {
      Object.defineProperty(Navigator.prototype, 'clipboard', {
        configurable: true,
        get: () => ({ writeText: () => Promise.reject(new DOMException('denied', 'NotAllowedError')) }),
      });
    });
    await signIn(page, backend);
    await oracle(backend, { transaction_id: 882, steps: STEPS, step_ms: 100, fail_at: 1, error: 'UCM refused the file' });
    await tabTo(page, card(page, 882).getByRole('button', { name: 'Copy details' }));
    await page.keyboard.press('Enter');
    await expect(card(page, 882)).toContainText('The browser did not allow copying');
    await expect(card(page, 882).getByRole('textbox', { name: 'Report for support' })).toHaveValue(/Error: UCM refused the file/);
  });

  test('the result path is shown with a Copy button, by keyboard', async ({ page, context, backend }) => {
    await allowClipboard(context, backend);
    await signIn(page, backend);
    await oracle(backend, { transaction_id: 891, steps: STEPS.slice(0, 2), step_ms: 100 });
    await expect(card(page, 891)).toContainText('Completed', { timeout: 10_000 });
    await expect(card(page, 891).locator('code')).toHaveText('/u01/oracle/fbdi/results/891.zip');
    await tabTo(page, card(page, 891).getByRole('button', { name: 'Copy path' }));
    await page.keyboard.press('Enter');
    await expect(card(page, 891).getByText('Copied')).toBeVisible();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe('/u01/oracle/fbdi/results/891.zip');
  });

  test('a transaction code is isolated for bidi in the card and in past jobs', async ({ page, backend }) => {
    await signIn(page, backend);
    await backend.control('notify', {
      username: 'finance1', eng_message: 'Budget transfer FAR-0015 approved', ara_message: 'تمت الموافقة على المناقلة FAR-0015',
      transaction_id: 895, code: 'FAR-0015',
    });
    await oracle(backend, { transaction_id: 895, steps: STEPS.slice(0, 2), step_ms: 100 });
    await expect(card(page, 895)).toContainText('Completed', { timeout: 10_000 });
    await arabic(page);
    await expect(card(page, 895).getByRole('heading').locator('bdi')).toHaveText('FAR-0015');
    await tabTo(page, summary(page));
    await page.keyboard.press('Enter');
    await expect(pastJobs(page).getByRole('listitem').locator('bdi')).toHaveText('FAR-0015');
  });

  for (const lang of ['en', 'ar'] as const) {
    test(`axe: running with stepper and estimate, failed after Copy, completed with path, past jobs open (${lang})`, async ({ page, context, backend }) => {
      await allowClipboard(context, backend);
      await signIn(page, backend);
      await threeQuickJobs(page, backend);
      await oracle(backend, { transaction_id: 896, steps: STEPS, step_ms: 100, fail_at: 2, error: 'Interface loader timeout' });
      await expect(card(page, 896)).toContainText('Failed', { timeout: 10_000 });
      await oracle(backend, { transaction_id: 897, steps: STEPS, step_ms: 5_000 });
      await expect(card(page, 897)).toContainText('Usually under a minute');
      if (lang === 'ar') await arabic(page);
      await tabTo(page, card(page, 896).getByRole('button', { name: lang === 'ar' ? 'نسخ التفاصيل' : 'Copy details' }));
      await page.keyboard.press('Enter');
      await expect(card(page, 896).getByText(lang === 'ar' ? 'تم النسخ' : 'Copied')).toBeVisible();
      await tabTo(page, summary(page));
      await page.keyboard.press('Enter');
      await expect(pastJobs(page).getByRole('listitem')).toHaveCount(4);
      await axe(page);
      // Dark theme too.
      await page.emulateMedia({ colorScheme: 'dark' });
      await axe(page);
    });
  }
});
