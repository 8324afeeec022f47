import { test, expect } from '../support/fixtures';
import { axe } from '../support/axe';
import type { Page } from '@playwright/test';
import { signIn, signInWithKeyboard, tabTo } from '../support/app';

async function arabic(page: Page) {
  await page.getByRole('button', { name: 'العربية' }).click();
  await expect(page.locator('html')).toHaveAttribute('dir', 'rtl');
}

async function richDashboard(page: Page, backend: any) {
  await signIn(page, backend);
  await backend.control('notify', { username: 'finance1', eng_message: 'New budget transfer request created with code FAR-0016', ara_message: 'تم إنشاء طلب مناقلة ميزانية جديد بالرمز FAR-0016', transaction_id: 860, code: 'FAR-0016' });
  await backend.control('oracle', { username: 'finance1', transaction_id: 603, step_ms: 50, fail_at: 2, error: 'Interface loader timeout' });
  await backend.control('oracle', { username: 'finance1', transaction_id: 604, step_ms: 5_000 });
  await expect(page.getByRole('region', { name: /Oracle uploads|عمليات الرفع/ }).getByRole('progressbar')).toHaveCount(2);
  await expect(page.getByRole('complementary').first()).toBeVisible();
}

test.describe('accessibility', () => {
  for (const lang of ['en', 'ar'] as const) {
    test(`axe: login page (${lang})`, async ({ page, backend }) => {
      await page.goto(`${backend.url}/login`);
      if (lang === 'ar') await arabic(page);
      await expect(page.getByRole('button', { name: lang === 'ar' ? 'تسجيل الدخول' : 'Sign in' })).toBeVisible();
      await axe(page);
      // With an error shown.
      await page.getByRole('button', { name: lang === 'ar' ? 'تسجيل الدخول' : 'Sign in' }).click();
      await expect(page.getByLabel(lang === 'ar' ? 'اسم المستخدم' : 'Username')).toHaveAttribute('aria-invalid', 'true');
      await axe(page);
    });

    test(`axe: dashboard with items, a failed upload and toasts (${lang})`, async ({ page, backend }) => {
      await richDashboard(page, backend);
      if (lang === 'ar') await arabic(page);
      await axe(page);
    });
  }

  test('dark theme passes too', async ({ page, backend }) => {
    await page.emulateMedia({ colorScheme: 'dark' });
    await richDashboard(page, backend);
    await axe(page);
  });

  test('keyboard only: sign in, mark read, acknowledge a failed upload, sign out', async ({ page, backend }) => {
    await page.goto(`${backend.url}/login`);
    await signInWithKeyboard(page);
    // The skip link lands on the inbox.
    await tabTo(page, page.getByRole('link', { name: 'Skip to notifications' }));
    await page.keyboard.press('Enter');
    await expect(page.getByRole('heading', { name: 'Notifications' })).toBeFocused();
    const item = page.getByRole('listitem').filter({ hasText: 'FAR-0015' });
    await tabTo(page, item.getByRole('button', { name: 'Mark as read' }));
    await page.keyboard.press('Enter');
    await expect(page.getByText('1 unread')).toBeVisible();
    await backend.control('oracle', { username: 'finance1', transaction_id: 605, step_ms: 50, fail_at: 1 });
    const ack = page.getByRole('button', { name: 'Acknowledge' });
    await expect(ack).toBeVisible();
    await tabTo(page, ack);
    await page.keyboard.press('Enter');
    await expect(ack).toHaveCount(0);
    await tabTo(page, page.getByRole('button', { name: 'Sign out' }));
    await page.keyboard.press('Enter');
    await expect(page.getByRole('heading', { name: 'Sign in to Herald' })).toBeVisible();
  });

  test('toasts never steal focus', async ({ page, backend }) => {
    await signIn(page, backend);
    await page.getByRole('button', { name: 'Unread' }).focus();
    await backend.control('notify', { username: 'finance1', eng_message: 'Focus test', ara_message: 'اختبار' });
    await expect(page.getByRole('complementary', { name: 'New notifications' })).toContainText('Focus test');
    await expect(page.getByRole('button', { name: 'Unread' })).toBeFocused();
  });
});

test.describe('languages', () => {
  test('Arabic mirrors the layout: the inbox is on the right', async ({ page, backend }) => {
    await page.setViewportSize({ width: 1280, height: 800 });
    await signIn(page, backend);
    const inboxEn = await page.getByRole('region', { name: 'Notifications' }).boundingBox();
    const uploadsEn = await page.getByRole('region', { name: 'Oracle uploads' }).boundingBox();
    expect(inboxEn!.x).toBeLessThan(uploadsEn!.x);
    await arabic(page);
    await expect(page.locator('html')).toHaveAttribute('lang', 'ar');
    const inbox = await page.getByRole('region', { name: 'الإشعارات' }).boundingBox();
    const uploads = await page.getByRole('region', { name: 'عمليات الرفع إلى Oracle' }).boundingBox();
    expect(inbox!.x).toBeGreaterThan(uploads!.x);
    // Messages in Arabic, digits in Arabic-Indic.
    await expect(page.getByText('تمت إعادة مناقلة الميزانية FAR-0015 لإجراء تعديلات')).toBeVisible();
    await expect(page.getByText('٢ غير مقروء')).toBeVisible();
    await expect(page.getByRole('status')).toHaveText('متصل');
  });

  test('the language choice survives a reload and a sign-out', async ({ page, backend }) => {
    await signIn(page, backend);
    await arabic(page);
    await page.reload();
    await expect(page.locator('html')).toHaveAttribute('dir', 'rtl');
    await expect(page.getByRole('heading', { name: 'الإشعارات' })).toBeVisible();
    await page.getByRole('button', { name: 'تسجيل الخروج' }).click();
    await expect(page.getByRole('heading', { name: 'تسجيل الدخول إلى هيرالد' })).toBeVisible();
    await page.getByRole('button', { name: 'English' }).click();
    await expect(page.locator('html')).toHaveAttribute('dir', 'ltr');
  });

  test('works at 360 px wide', async ({ page, backend }) => {
    await page.setViewportSize({ width: 360, height: 740 });
    await signIn(page, backend);
    const inbox = await page.getByRole('region', { name: 'Notifications' }).boundingBox();
    const uploads = await page.getByRole('region', { name: 'Oracle uploads' }).boundingBox();
    expect(uploads!.y).toBeGreaterThan(inbox!.y);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
  });
});
