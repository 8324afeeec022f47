import { test, expect } from '../support/fixtures';
import { resolve } from 'node:path';
import { signIn } from '../support/app';

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
