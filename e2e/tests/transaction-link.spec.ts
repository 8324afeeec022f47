// Open the transaction (issue #22, item 1): with `transaction_url` in config.json, the text of
// every notification and the heading of every job card with a transaction is a real link to
// it (expanded, percent-encoded, opening in a new tab); following it marks the notification
// read. Without the key, no link; a bad template stops the app on the configuration screen.
import { test, expect } from '../support/fixtures';
import type { Page } from '@playwright/test';
import type { Backend } from '../support/backend';
import { axe } from '../support/axe';
import { connection, tabTo } from '../support/app';
import { startStatic } from '../support/static-server';

const TEMPLATE = 'https://budget.example.org/transfers/{id}?code={code}';
const CODE = 'FAR 00/16 تحويل';
const EXPANDED = 'https://budget.example.org/transfers/861?code=FAR%2000%2F16%20%D8%AA%D8%AD%D9%88%D9%8A%D9%84';

const inbox = (page: Page) => page.getByRole('region', { name: /^(Notifications|الإشعارات)$/ });
const items = (page: Page) => inbox(page).getByRole('listitem');
const unreadCount = (page: Page) => inbox(page).getByText(/\d+ unread/);
const uploads = (page: Page) => page.getByRole('region', { name: /^(Oracle uploads|عمليات الرفع إلى Oracle)$/ });

const notify = (backend: Backend, eng: string, extra: Record<string, unknown> = {}) =>
  backend.control('notify', { username: 'finance1', eng_message: eng, ara_message: 'نص عربي', transaction_id: 861, code: CODE, ...extra });

/** Serves the app with `config` and signs in through the form, with the keyboard. */
async function signInWith(page: Page, config: Record<string, unknown>) {
  const host = await startStatic({ config: JSON.stringify(config) });
  await page.goto(`${host.url}/login`);
  await page.getByLabel('Username').fill('finance1');
  await page.keyboard.press('Tab');
  await page.keyboard.type('Passw0rd!');
  await page.keyboard.press('Enter');
  await expect(connection(page)).toHaveAttribute('data-connection', 'connected');
  return host;
}

test.describe('transaction link', () => {
  test.beforeEach(async ({ context }) => {
    // The budget system is not reachable from the test machine: stand in for its page.
    await context.route('https://budget.example.org/**', (route) =>
      route.fulfill({ status: 200, contentType: 'text/html', body: '<!doctype html><title>Transfer</title><p>Transfer</p>' }));
  });

  test('the text is a link to the transaction; Enter opens it in a new tab and marks it read', async ({ page, context, backend }) => {
    const host = await signInWith(page, { api_base_url: backend.url, transaction_url: TEMPLATE });
    try {
      await expect(items(page)).toHaveCount(3);
      await expect(unreadCount(page)).toHaveText('2 unread');
      await notify(backend, 'Transfer created with code FAR-0016');
      await expect(unreadCount(page)).toHaveText('3 unread');
      const item = items(page).first();
      const link = item.getByRole('link', { name: 'Transfer created with code FAR-0016 (opens in a new tab)' });
      await expect(link).toHaveAttribute('href', EXPANDED);
      await expect(link).toHaveAttribute('target', '_blank');
      await expect(link).toHaveAttribute('rel', 'noopener noreferrer');
      // The actions stay buttons of their own.
      await expect(item.getByRole('button', { name: 'Mark as read' })).toBeVisible();
      await expect(item.getByRole('button', { name: 'Delete' })).toBeVisible();
      await axe(page);

      await tabTo(page, link);
      const opened = context.waitForEvent('page');
      await page.keyboard.press('Enter');
      const tab = await opened;
      await expect.poll(() => tab.url()).toBe(EXPANDED);
      await expect(unreadCount(page)).toHaveText('2 unread');
      await expect(item).not.toHaveClass(/unread/);
      await expect(item.getByRole('button', { name: 'Mark as read' })).toHaveCount(0);
      await tab.close();
    } finally {
      await host.close();
    }
  });

  test('a middle-click opens it too and marks it read; a job card links its transaction', async ({ page, context, backend }) => {
    const host = await signInWith(page, { api_base_url: backend.url, transaction_url: 'https://budget.example.org/t/{id}' });
    try {
      await notify(backend, 'Transfer approved');
      await expect(unreadCount(page)).toHaveText('3 unread');
      const link = items(page).first().getByRole('link', { name: /^Transfer approved/ });
      await expect(link).toHaveAttribute('href', 'https://budget.example.org/t/861');
      const opened = context.waitForEvent('page');
      await link.click({ button: 'middle' });
      await opened;
      await expect(unreadCount(page)).toHaveText('2 unread');

      await backend.control('oracle', { username: 'finance1', transaction_id: 861, steps: ['Journal Upload to UCM'], step_ms: 60_000 });
      const heading = uploads(page).locator('h3#job-861-title');
      await expect(heading.getByRole('link')).toHaveAttribute('href', 'https://budget.example.org/t/861', { timeout: 10_000 });
      await axe(page);
      // In Arabic: the same links, named in Arabic, axe-clean.
      await page.getByRole('button', { name: 'العربية' }).click();
      await expect(page.locator('html')).toHaveAttribute('dir', 'rtl');
      const newTab = /\(يُفتح في علامة تبويب جديدة\)$/;
      await expect(inbox(page).getByRole('listitem').first().getByRole('link')).toHaveAccessibleName(newTab);
      await expect(heading.getByRole('link')).toHaveAccessibleName(newTab);
      await axe(page);
    } finally {
      await host.close();
    }
  });

  test('without transaction_url there is no link', async ({ page, backend }) => {
    const host = await signInWith(page, { api_base_url: backend.url });
    try {
      await notify(backend, 'Transfer created with code FAR-0016');
      await expect(items(page).first()).toContainText('Transfer created with code FAR-0016');
      await expect(inbox(page).getByRole('link')).toHaveCount(0);
      await backend.control('oracle', { username: 'finance1', transaction_id: 861, steps: ['Journal Upload to UCM'], step_ms: 60_000 });
      await expect(uploads(page).locator('h3#job-861-title')).toBeVisible({ timeout: 10_000 });
      await expect(uploads(page).getByRole('link')).toHaveCount(0);
    } finally {
      await host.close();
    }
  });

  test('a template with an unknown placeholder stops the app on the configuration screen', async ({ page, backend }) => {
    const host = await startStatic({ config: JSON.stringify({ api_base_url: backend.url, transaction_url: 'https://budget.example.org/{transaction}' }) });
    try {
      await page.goto(`${host.url}/login`);
      const alert = page.getByRole('alert');
      await expect(alert.getByRole('heading', { name: 'Herald cannot start' })).toBeVisible();
      await expect(alert).toContainText('"transaction_url" has an unknown placeholder {transaction}');
      await expect(page.getByRole('button', { name: 'Sign in' })).toHaveCount(0);
      await axe(page);
    } finally {
      await host.close();
    }
  });
});
