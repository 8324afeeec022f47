import { test, expect } from '../support/fixtures';
import type { Page } from '@playwright/test';
import { connection, signIn } from '../support/app';

const banner = (page: Page, text = 'Something went wrong.') => page.getByRole('alert').filter({ hasText: text });

/** `(module (func (export "f") unreachable))`: a real engine trap, a WebAssembly.RuntimeError. */
const TRAP_MODULE = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x04, 0x01, 0x60, 0x00, 0x00, 0x03, 0x02, 0x01, 0x00, 0x07, 0x05, 0x01, 0x01, 0x66, 0x00, 0x00, 0x0a, 0x05, 0x01, 0x03, 0x00, 0x00, 0x0b];

async function reloadsBackToWork(page: Page) {
  await banner(page).getByRole('button', { name: 'Reload' }).click();
  await expect(banner(page)).toHaveCount(0);
  await expect(connection(page)).toHaveAttribute('data-connection', 'connected');
}

test.describe('panics and traps', () => {
  test('a real panic inside Herald shows the banner and logs the panic', async ({ page, backend }) => {
    const consoleErrors: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') consoleErrors.push(m.text());
    });
    await signIn(page, backend);
    // The page's DOM refuses one `class` attribute, as a broken extension or polyfill might:
    // Yew's renderer `expect`s setAttribute to succeed, so Herald's own wasm panics.
    await page.evaluate(() => {
      const real = Element.prototype.setAttribute;
      Element.prototype.setAttribute = function (name: string, value: string) {
        if (name === 'class') {
          Element.prototype.setAttribute = real;
          throw new DOMException('refused', 'InvalidCharacterError');
        }
        return real.call(this, name, value);
      };
    });
    await backend.control('notify', { username: 'finance1', eng_message: 'Rendered into a broken DOM' });
    await expect(banner(page)).toBeVisible();
    await expect(banner(page).getByRole('button', { name: 'Reload' })).toBeVisible();
    expect(consoleErrors.join('\n')).toContain('invalid attribute key');
    await reloadsBackToWork(page);
  });

  test('a WebAssembly.RuntimeError that is not a panic shows the banner', async ({ page, backend }) => {
    await signIn(page, backend);
    await page.evaluate(() => {
      const error = new WebAssembly.RuntimeError('memory access out of bounds');
      window.dispatchEvent(new ErrorEvent('error', { error, message: String(error) }));
    });
    await expect(banner(page)).toBeVisible();
    await reloadsBackToWork(page);
  });

  test('a real engine trap, uncaught or in a promise, shows the banner; other errors do not', async ({ page, backend }) => {
    await signIn(page, backend);
    // Another script's ordinary error is not Herald's crash.
    await page.evaluate(() => {
      setTimeout(() => {
        throw new Error('some other script failed');
      });
    });
    await page.evaluate(() => Promise.reject(new TypeError('unrelated')).catch(() => {}));
    await backend.control('notify', { username: 'finance1', eng_message: 'Still fine' });
    await expect(page.getByRole('list', { name: 'Notifications' }).getByText('Still fine')).toBeVisible();
    await expect(banner(page)).toHaveCount(0);
    // An unhandled rejection carrying a real trap.
    await page.evaluate(async (bytes) => {
      const { instance } = await WebAssembly.instantiate(new Uint8Array(bytes));
      void Promise.resolve().then(() => (instance.exports.f as () => void)());
    }, TRAP_MODULE);
    await expect(banner(page)).toBeVisible();
    await page.reload();
    await expect(connection(page)).toHaveAttribute('data-connection', 'connected');
    // An uncaught trap.
    await page.evaluate(async (bytes) => {
      const { instance } = await WebAssembly.instantiate(new Uint8Array(bytes));
      setTimeout(() => (instance.exports.f as () => void)());
    }, TRAP_MODULE);
    await expect(banner(page)).toBeVisible();
  });

  test('the banner speaks the user\'s language', async ({ page, backend }) => {
    await signIn(page, backend);
    await page.getByRole('button', { name: 'العربية' }).click();
    await expect(page.locator('html')).toHaveAttribute('dir', 'rtl');
    await page.evaluate(() => {
      const error = new WebAssembly.RuntimeError('unreachable');
      window.dispatchEvent(new ErrorEvent('error', { error }));
    });
    const arabic = banner(page, 'حدث خطأ ما.');
    await expect(arabic).toBeVisible();
    await expect(arabic.getByRole('button', { name: 'إعادة التحميل' })).toBeVisible();
  });
});
