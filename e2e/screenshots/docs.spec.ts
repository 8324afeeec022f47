import { test, expect } from '../support/fixtures';
import { resolve } from 'node:path';
import { paintedHits, signIn } from '../support/app';
import type { Page } from '@playwright/test';
import type { Backend } from '../support/backend';

const DOCS = resolve(process.cwd(), '../docs');

for (const scheme of ['light', 'dark'] as const) {
  for (const lang of ['en', 'ar'] as const) {
    test(`dashboard ${lang} ${scheme}`, async ({ page, backend }) => {
      await page.setViewportSize({ width: 1280, height: 860 });
      await page.emulateMedia({ colorScheme: scheme, reducedMotion: 'reduce' });
      await signIn(page, backend);
      if (lang === 'ar') await page.getByRole('button', { name: 'العربية' }).click();
      await backend.control('notify', { username: 'finance1', eng_message: 'New budget transfer request created with code FAR-0016', ara_message: 'تم إنشاء طلب مناقلة ميزانية جديد بالرمز FAR-0016', transaction_id: 860, code: 'FAR-0016' });
      await backend.control('oracle', { username: 'finance1', transaction_id: 603, step_ms: 50, fail_at: 3, error: 'Interface loader timeout' });
      await backend.control('oracle', { username: 'finance1', transaction_id: 604, step_ms: 60_000 });
      await expect(page.getByRole('progressbar')).toHaveCount(2);
      await page.waitForTimeout(500);
      await page.screenshot({ path: `${DOCS}/dashboard-${lang}-${scheme}.png` });
    });
  }
  test(`login ${scheme}`, async ({ page, backend }) => {
    await page.setViewportSize({ width: 900, height: 600 });
    await page.emulateMedia({ colorScheme: scheme });
    await page.goto(`${backend.url}/login`);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByLabel('Username')).toHaveAttribute('aria-invalid', 'true');
    await page.screenshot({ path: `${DOCS}/login-${scheme}.png` });
  });
}

test('narrow arabic', async ({ page, backend }) => {
  await page.setViewportSize({ width: 360, height: 740 });
  await signIn(page, backend);
  await page.getByRole('button', { name: 'العربية' }).click();
  await page.screenshot({ path: `${DOCS}/dashboard-ar-360.png` });
});

// Connection details (issue #20, item 8): after a forced drop, in both languages and themes,
// and at 360 px.
for (const scheme of ['light', 'dark'] as const) {
  for (const lang of ['en', 'ar'] as const) {
    test(`connection details ${lang} ${scheme}`, async ({ page, backend }) => {
      await page.setViewportSize({ width: 1280, height: 860 });
      await page.emulateMedia({ colorScheme: scheme, reducedMotion: 'reduce' });
      await signIn(page, backend);
      if (lang === 'ar') await page.getByRole('button', { name: 'العربية' }).click();
      await backend.control('drop', { code: 1011 });
      await expect(page.getByRole('status')).toHaveAttribute('data-connection', 'connected', { timeout: 15_000 });
      const name = lang === 'ar' ? 'تفاصيل الاتصال' : 'Connection details';
      await page.getByRole('button', { name }).click();
      await expect(page.getByRole('dialog', { name })).toBeVisible();
      await page.waitForTimeout(300);
      await page.screenshot({ path: `${DOCS}/connection-details-${lang}-${scheme}.png` });
    });
  }
}

test('connection details narrow', async ({ page, backend }) => {
  await page.setViewportSize({ width: 360, height: 740 });
  await signIn(page, backend);
  await page.getByRole('button', { name: 'Connection details' }).click();
  await expect(page.getByRole('dialog', { name: 'Connection details' })).toBeVisible();
  await page.screenshot({ path: `${DOCS}/connection-details-360.png` });
});

// A job whose worker died (issue #20, item 5): stalled, with its Acknowledge button.
for (const lang of ['en', 'ar'] as const) {
  test(`stalled job ${lang}`, async ({ page, backend }) => {
    await page.clock.install();
    await page.setViewportSize({ width: 1280, height: 860 });
    await page.emulateMedia({ reducedMotion: 'reduce' });
    await signIn(page, backend);
    if (lang === 'ar') await page.getByRole('button', { name: 'العربية' }).click();
    await backend.control('oracle', { username: 'finance1', transaction_id: 605, step_ms: 3_600_000 });
    await expect(page.getByRole('progressbar')).toHaveCount(1);
    await page.clock.fastForward('06:00');
    await expect(page.getByRole('status')).toHaveAttribute('data-connection', 'connected', { timeout: 15_000 });
    await page.waitForTimeout(500);
    await page.screenshot({ path: `${DOCS}/stalled-job-${lang}.png` });
  });
}

// The upload panel (issue #22, item 9): a running job with its stepper and usual duration, a
// failed one after "Copy details", a completed one with its path, "Past jobs" open; the panel
// element alone, in both languages and themes, and in Arabic at 360 px.
for (const [lang, scheme, width] of [['en', 'light', 1280], ['ar', 'dark', 1280], ['en', 'dark', 1280], ['ar', 'light', 360]] as const) {
  test(`upload panel ${lang} ${scheme} ${width}`, async ({ page, context, backend }) => {
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: backend.url });
    await page.setViewportSize({ width, height: 1400 });
    await page.emulateMedia({ colorScheme: scheme, reducedMotion: 'reduce' });
    await signIn(page, backend);
    if (lang === 'ar') await page.getByRole('button', { name: 'العربية' }).click();
    await backend.control('notify', { username: 'finance1', eng_message: 'Budget transfer FAR-0015 approved', ara_message: 'تمت الموافقة على المناقلة FAR-0015', transaction_id: 611, code: 'FAR-0015' });
    for (const tx of [607, 608, 609]) await backend.control('oracle', { username: 'finance1', transaction_id: tx, step_ms: 100 });
    const panel = page.locator('#uploads');
    await expect(panel.locator('li.job.completed')).toHaveCount(3, { timeout: 10_000 });
    await panel.getByRole('button', { name: lang === 'ar' ? 'مسح المكتملة' : 'Clear finished' }).click();
    await backend.control('oracle', { username: 'finance1', transaction_id: 610, step_ms: 100, fail_at: 3, error: 'Interface loader timeout' });
    await backend.control('oracle', { username: 'finance1', transaction_id: 612, step_ms: 100 });
    await expect(panel.locator('li.job.failed')).toHaveCount(1, { timeout: 10_000 });
    await expect(panel.locator('li.job.completed')).toHaveCount(1, { timeout: 10_000 });
    await backend.control('oracle', { username: 'finance1', transaction_id: 611, step_ms: 60_000 });
    await expect(panel.locator('li.job.running')).toHaveCount(1);
    await panel.locator('li.job.failed').getByRole('button', { name: lang === 'ar' ? 'نسخ التفاصيل' : 'Copy details' }).click();
    await panel.locator('summary').click();
    await page.waitForTimeout(2_500);
    await panel.screenshot({ path: `${DOCS}/upload-panel-${lang}-${scheme}${width === 360 ? '-360' : ''}.png` });
  });
}

// Design (issue #22, item 8): the compact inbox with an icon per kind of action, a row whose
// exact time and actions show on keyboard focus; in both languages and themes, and at 360 px.
const KINDS: [string, string, string][] = [
  ['List', 'New budget transfer request created with code FAR-0021', 'تم إنشاء طلب مناقلة ميزانية جديد بالرمز FAR-0021'],
  ['Approved', 'Budget transfer FAR-0020 was approved by the finance director', 'وافق المدير المالي على مناقلة الميزانية FAR-0020'],
  ['Reject', 'Budget transfer FAR-0019 was returned for changes', 'أعيدت مناقلة الميزانية FAR-0019 لإجراء تعديلات'],
  ['Rejected', 'Budget transfer FAR-0018 was rejected', 'رُفضت مناقلة الميزانية FAR-0018'],
  ['Oracle Upload Completed', 'Oracle upload completed for transaction 870', 'اكتمل الرفع إلى Oracle للمعاملة 870'],
];
/** Signed in at `width` in `lang` and `scheme`, a notification of each kind in, the toasts
 *  gone and the pointer away: the inbox region, 8 items. */
async function inboxOfKinds(page: Page, backend: Backend, lang: 'en' | 'ar', scheme: 'light' | 'dark', width: number) {
  await page.setViewportSize({ width, height: 900 });
  await page.emulateMedia({ colorScheme: scheme, reducedMotion: 'reduce' });
  await signIn(page, backend);
  if (lang === 'ar') await page.getByRole('button', { name: 'العربية' }).click();
  for (const [i, [action, eng, ara]] of KINDS.entries()) {
    await backend.control('notify', { username: 'finance1', eng_message: eng, ara_message: ara, type_of_action: action,
      transaction_id: action.startsWith('Oracle') ? 870 : 865 - i, code: action.startsWith('Oracle') ? undefined : `FAR-00${21 - i}` });
  }
  const inbox = page.getByRole('region', { name: lang === 'ar' ? 'الإشعارات' : 'Notifications' });
  await expect(inbox.getByRole('listitem')).toHaveCount(8);
  // Let the toasts go: the picture is of the inbox.
  const toastButtons = page.getByRole('complementary').getByRole('button');
  while (await toastButtons.count()) await toastButtons.first().click();
  await page.mouse.move(0, 0);
  return inbox;
}
for (const [lang, scheme, width] of [['en', 'light', 1280], ['ar', 'light', 1280], ['en', 'dark', 1280], ['ar', 'dark', 1280], ['ar', 'light', 360], ['en', 'dark', 360]] as const) {
  test(`inbox ${lang} ${scheme} ${width}`, async ({ page, backend }) => {
    const inbox = await inboxOfKinds(page, backend, lang, scheme, width);
    // Keyboard focus on the second row's time: its exact time and its actions show.
    const time = inbox.getByRole('listitem').nth(1).locator('time');
    await time.focus();
    await page.waitForTimeout(300);
    await inbox.screenshot({ path: `${DOCS}/inbox-${lang}-${scheme}${width === 360 ? '-360' : ''}.png` });
  });
}

// Find (issue #22, item 2): a search's hits painted over the items (the browser's custom
// highlights), in both languages and themes.
for (const [lang, scheme] of [['en', 'light'], ['en', 'dark'], ['ar', 'light'], ['ar', 'dark']] as const) {
  test(`inbox search ${lang} ${scheme}`, async ({ page, backend }) => {
    const inbox = await inboxOfKinds(page, backend, lang, scheme, 1280);
    await page.keyboard.press('/');
    await page.keyboard.type(lang === 'ar' ? 'مناقلة far-00' : 'budget far-00');
    await expect(inbox.getByRole('listitem')).not.toHaveCount(8);
    // The hits painted (after the render that showed the results), not a guessed wait.
    await expect.poll(() => paintedHits(inbox.getByRole('listitem').first())).not.toEqual([]);
    await inbox.screenshot({ path: `${DOCS}/inbox-search-${lang}-${scheme}.png` });
  });
}

// Toasts never cover a control (issue #22, item 8): the case at 1024 × 700, a failed
// job's Acknowledge with toasts arriving; the stack takes a place clear of every control.
for (const lang of ['en', 'ar'] as const) {
  test(`toasts clear of controls ${lang}`, async ({ page, backend }) => {
    await page.setViewportSize({ width: 1024, height: 700 });
    await page.emulateMedia({ reducedMotion: 'reduce' });
    await signIn(page, backend);
    if (lang === 'ar') await page.getByRole('button', { name: 'العربية' }).click();
    await backend.control('oracle', { username: 'finance1', transaction_id: 603, step_ms: 50, fail_at: 3, error: 'Interface loader timeout' });
    await expect(page.getByRole('button', { name: lang === 'ar' ? 'تأكيد الاطلاع' : 'Acknowledge' })).toBeVisible();
    await backend.control('notify', { username: 'finance1', eng_message: 'New budget transfer request created with code FAR-0016', ara_message: 'تم إنشاء طلب مناقلة ميزانية جديد بالرمز FAR-0016', transaction_id: 860, code: 'FAR-0016' });
    await backend.control('notify', { username: 'finance1', eng_message: 'Budget transfer FAR-0016 is waiting for your approval', ara_message: 'مناقلة الميزانية FAR-0016 بانتظار موافقتك', transaction_id: 860, code: 'FAR-0016', type_of_action: 'Approve' });
    await page.mouse.move(0, 0);
    await page.waitForTimeout(800);
    await page.screenshot({ path: `${DOCS}/toasts-1024-${lang}.png` });
  });
}
