import { expect, type Locator, type Page } from '@playwright/test';
import type { Backend } from './backend';

/** The connection status element (role=status on signed-in pages). */
export const connection = (page: Page) => page.getByRole('status');

/** Signs in through the form and waits until the socket is live. */
export async function signIn(page: Page, backend: Backend, username = 'finance1', password = 'Passw0rd!') {
  await page.goto(`${backend.url}/login`);
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(connection(page)).toHaveAttribute('data-connection', 'connected');
}

/**
 * The server comes back while the socket waits out its backoff, and the user presses "Retry now"
 * (in `pressIn`, `page` unless given). Full jitter can pick a delay near zero, and then the
 * socket's own timer, not the press, reconnects and the button vanishes under the click: so this
 * first waits until the countdown in `page` says the next attempt is at least 5 s away (more
 * than 3 s in truth: it is rounded up and redrawn each second). The caller then expects
 * "connected" within 2 s, before that attempt was due.
 */
export async function retryNowWhenBack(page: Page, backend: Backend, pressIn: Page = page) {
  await expect
    .poll(async () => Number((await connection(page).textContent())?.match(/ in (\d+) s/)?.[1] ?? 0), {
      timeout: 40_000,
      intervals: [200],
    })
    .toBeGreaterThanOrEqual(5);
  await backend.start();
  await pressIn.getByRole('button', { name: 'Retry now' }).click({ timeout: 2_000 });
}

/** Signs in on the sign-in page open in `page` while something the sign-in needs is held (the
 *  wasm, the login call): the press shows "Signing in…", disabled, until `release()`; then the
 *  socket comes up. */
export async function signInWhileHeld(page: Page, release: () => void) {
  await page.getByLabel('Username').fill('finance1');
  await page.getByLabel('Password').fill('Passw0rd!');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('button', { name: 'Signing in…' })).toBeDisabled();
  release();
  await expect(connection(page)).toHaveAttribute('data-connection', 'connected');
}

/** Signs in through the form on the current page (/login) with the keyboard only, in either
 *  language, and waits until the socket is live. */
export async function signInWithKeyboard(page: Page, username = 'finance1') {
  await tabTo(page, page.getByLabel(/^(Username|اسم المستخدم)$/));
  await page.keyboard.type(username);
  await page.keyboard.press('Tab');
  await page.keyboard.type('Passw0rd!');
  await page.keyboard.press('Enter');
  await expect(connection(page)).toHaveAttribute('data-connection', 'connected');
}

/** The session Herald stored (its key is scoped to the deployment's backend,
 *  `herald.session@<api base>`), or null. */
export async function storedSession(page: Page): Promise<any> {
  return page.evaluate(() => {
    const key = Object.keys(localStorage).find((k) => k.startsWith('herald.session'));
    return key ? JSON.parse(localStorage.getItem(key)!) : null;
  });
}

/** Open sockets per user, as the backend counts them. */
export async function openSockets(backend: Backend, username = 'finance1'): Promise<number> {
  const c = await backend.control('connections');
  return c.open[username] ?? 0;
}

export async function peakSockets(backend: Backend, username = 'finance1'): Promise<number> {
  const c = await backend.control('connections');
  return c.peak[username] ?? 0;
}

export async function acceptedAttempts(backend: Backend): Promise<number> {
  const a = await backend.control('attempts');
  return a.attempts.filter((x: any) => x.accepted).length;
}

/** Presses `key` (Tab, or Shift+Tab) until `target` has the focus: how a keyboard user gets
 *  there. Fails after `max` presses. */
export async function tabTo(page: Page, target: Locator, key = 'Tab', max = 300) {
  for (let i = 0; i < max; i++) {
    if (await target.evaluate((el) => el === document.activeElement).catch(() => false)) return;
    await page.keyboard.press(key);
  }
  throw new Error(`could not reach ${target} with ${key}`);
}

/** The search's hits painted in `item` (CSS custom highlights: `CSS.highlights.get('find')`),
 *  as the texts they cover, in order. A range whose text node left `item` is not counted. */
export const paintedHits = (item: Locator) =>
  item.evaluate((el) => {
    const painted = [...((CSS as any).highlights.get('find') ?? [])] as StaticRange[];
    return painted
      .filter((r) => el.contains(r.startContainer))
      .map((r) => {
        const range = document.createRange();
        range.setStart(r.startContainer, r.startOffset);
        range.setEnd(r.endContainer, r.endOffset);
        return range.toString();
      });
  });

/** Holds Herald's wasm until `release()`: the page as a slow link shows it before the code has come. */
export async function holdWasm(page: Page) {
  let release = () => {};
  const released = new Promise<void>((r) => (release = r));
  await page.route('**/*_bg.wasm', async (route) => {
    await released;
    await route.continue();
  });
  return release;
}
