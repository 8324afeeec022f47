import { test, expect } from '../support/fixtures';
import type { BrowserContext, Page } from '@playwright/test';
import type { Backend } from '../support/backend';
import { acceptedAttempts, connection, openSockets, peakSockets, retryNowWhenBack, signIn, storedSession } from '../support/app';

// One socket per browser and user, shared by all of its tabs (issue #15).

const inbox = (page: Page) => page.getByRole('region', { name: 'Notifications' });
const unreadCount = (page: Page) => inbox(page).getByText(/\d+ unread/);
const signInHeading = (page: Page) => page.getByRole('heading', { name: 'Sign in to Herald' });

/** `count` tabs of `context`, the first signed in through the form, all live. */
async function openTabs(context: BrowserContext, backend: Backend, count: number, username = 'finance1') {
  const tabs: Page[] = [];
  for (let i = 0; i < count; i++) tabs.push(await context.newPage());
  await signIn(tabs[0], backend, username);
  for (const tab of tabs.slice(1)) {
    await tab.goto(`${backend.url}/`);
    await expect(connection(tab)).toHaveAttribute('data-connection', 'connected');
  }
  return tabs;
}

async function roles(tabs: Page[]) {
  return Promise.all(tabs.map((t) => connection(t).getAttribute('data-socket-role')));
}

/** The tab holding the socket: exactly one leader among `tabs`, the rest followers. */
async function leaderOf(tabs: Page[]): Promise<Page> {
  await expect.poll(async () => (await roles(tabs)).filter((r) => r === 'leader').length).toBe(1);
  const r = await roles(tabs);
  expect(r.filter((x) => x === 'follower').length).toBe(tabs.length - 1);
  return tabs[r.indexOf('leader')];
}

async function notifyAll(backend: Backend, tabs: Page[], text: string) {
  await backend.control('notify', { username: 'finance1', eng_message: text });
  for (const tab of tabs) await expect(inbox(tab).getByText(text)).toBeVisible({ timeout: 1_000 });
}

test.describe('one socket shared by the tabs of a browser', () => {
  test('three tabs hold one socket; as each closes another takes over within 1 s; sign-out closes it', async ({ context, backend }) => {
    const tabs = await openTabs(context, backend, 3);
    const leader = await leaderOf(tabs);
    expect(leader).toBe(tabs[0]);
    // The status says which tab holds the socket, as a tooltip.
    await expect(connection(tabs[0])).toHaveAttribute('title', /holds the live connection/);
    await expect(connection(tabs[1])).toHaveAttribute('title', /through another Herald tab/);
    // After the first second: one socket, peak included.
    await tabs[0].waitForTimeout(1_000);
    await backend.control('peak-reset', {});
    await notifyAll(backend, tabs, 'For every tab 1');
    expect(await openSockets(backend)).toBe(1);
    expect(await peakSockets(backend)).toBe(1);

    let open = [...tabs];
    for (let round = 2; open.length > 1; round++) {
      const closing = await leaderOf(open);
      const before = await acceptedAttempts(backend);
      await closing.close();
      open = open.filter((t) => t !== closing);
      // Another tab opened the socket, and only one is open.
      await expect.poll(() => acceptedAttempts(backend), { timeout: 1_000, intervals: [50] }).toBe(before + 1);
      await expect.poll(() => openSockets(backend), { timeout: 1_000, intervals: [50] }).toBe(1);
      await leaderOf(open);
      for (const tab of open) await expect(connection(tab)).toHaveAttribute('data-connection', 'connected');
      await notifyAll(backend, open, `For every tab ${round}`);
    }
    // Every notification of the session is in the last tab's inbox.
    for (const n of [1, 2, 3]) await expect(inbox(open[0]).getByText(`For every tab ${n}`)).toBeVisible();
    await open[0].getByRole('button', { name: 'Sign out' }).click();
    await expect(signInHeading(open[0])).toBeVisible();
    await expect.poll(() => openSockets(backend), { timeout: 2_000, intervals: [50] }).toBe(0);
  });

  test('the language switched in one tab is the other tabs\' language too', async ({ context, backend }) => {
    const a = await context.newPage();
    await signIn(a, backend);
    const b = await context.newPage();
    await b.goto(`${backend.url}/`);
    await expect(connection(b)).toHaveAttribute('data-connection', 'connected');
    await a.getByRole('button', { name: 'العربية' }).click();
    await expect(a.locator('html')).toHaveAttribute('lang', 'ar');
    await expect(b.locator('html')).toHaveAttribute('lang', 'ar');
    await expect(b.locator('html')).toHaveAttribute('dir', 'rtl');
    await expect(b.getByRole('heading', { name: 'الإشعارات', exact: true })).toBeVisible();
    await b.getByRole('button', { name: 'English' }).click();
    await expect(a.locator('html')).toHaveAttribute('lang', 'en');
  });

  test('two users in two browser contexts: one socket each', async ({ browser, backend }) => {
    const one = await browser.newContext();
    const two = await browser.newContext();
    try {
      const a = await openTabs(one, backend, 2, 'finance1');
      const b = await openTabs(two, backend, 2, 'finance2');
      await leaderOf(a);
      await leaderOf(b);
      await a[0].waitForTimeout(1_000);
      await backend.control('peak-reset', {});
      await backend.control('notify', { username: 'finance2', eng_message: 'Only for finance2' });
      for (const tab of b) await expect(inbox(tab).getByText('Only for finance2')).toBeVisible();
      for (const tab of a) await expect(inbox(tab).getByText('Only for finance2')).toHaveCount(0);
      expect(await openSockets(backend, 'finance1')).toBe(1);
      expect(await openSockets(backend, 'finance2')).toBe(1);
      expect(await peakSockets(backend, 'finance1')).toBe(1);
      expect(await peakSockets(backend, 'finance2')).toBe(1);
    } finally {
      await one.close();
      await two.close();
    }
  });

  test('reloading the leader during a 2,000-frame flood: every tab ends with the server\'s unread count', async ({ context, backend }) => {
    test.setTimeout(90_000);
    const tabs = await openTabs(context, backend, 3);
    const leader = await leaderOf(tabs);
    for (const tab of tabs) await expect(unreadCount(tab)).toHaveText('2 unread');
    await backend.control('peak-reset', {});
    const flood = backend.control('flood', { username: 'finance1', count: 2000 });
    await tabs[1].waitForTimeout(50);
    await leader.reload();
    await flood;
    // The server's own count, through the API.
    const access = (await storedSession(tabs[1])).access;
    const res = await fetch(`${backend.url}/api/auth/Notifications/unread`, { headers: { Authorization: `Bearer ${access}` } });
    const serverUnread = (await res.json()).count;
    expect(serverUnread).toBe(2002);
    for (const tab of tabs) await expect(unreadCount(tab)).toHaveText(`${serverUnread} unread`, { timeout: 30_000 });
    await leaderOf(tabs);
    await expect.poll(() => openSockets(backend)).toBe(1);
    // The reloaded page closed its socket before letting go of the lock.
    expect(await peakSockets(backend)).toBe(1);
  });

  test('a frozen leader hands the socket over; back, it follows', async ({ context, backend }) => {
    const tabs = await openTabs(context, backend, 2);
    const leader = await leaderOf(tabs);
    const follower = tabs.find((t) => t !== leader)!;
    // Headless Chromium never freezes a visible page (CDP's setWebLifecycleState does nothing
    // then), so the page gets the lifecycle events the browser sends before and after a freeze.
    const lifecycle = (page: Page, type: 'freeze' | 'resume') =>
      page.evaluate((t) => document.dispatchEvent(new Event(t)), type);
    const before = await acceptedAttempts(backend);
    await lifecycle(leader, 'freeze');
    await expect.poll(() => acceptedAttempts(backend), { timeout: 1_000, intervals: [50] }).toBe(before + 1);
    await expect(connection(follower)).toHaveAttribute('data-socket-role', 'leader');
    await expect.poll(() => openSockets(backend), { timeout: 1_000, intervals: [50] }).toBe(1);
    await backend.control('notify', { username: 'finance1', eng_message: 'While the other tab sleeps' });
    await expect(inbox(follower).getByText('While the other tab sleeps')).toBeVisible({ timeout: 1_000 });
    await lifecycle(leader, 'resume');
    await expect(connection(leader)).toHaveAttribute('data-socket-role', 'follower');
    await expect(connection(leader)).toHaveAttribute('data-connection', 'connected');
    await notifyAll(backend, tabs, 'Both awake');
    expect(await openSockets(backend)).toBe(1);
  });

  test('read and delete in one tab show in the others; Retry now in a follower asks the leader', async ({ context, backend }) => {
    const tabs = await openTabs(context, backend, 2);
    const leader = await leaderOf(tabs);
    const follower = tabs.find((t) => t !== leader)!;
    for (const tab of tabs) await expect(unreadCount(tab)).toHaveText('2 unread');
    await notifyAll(backend, tabs, 'Read me elsewhere');
    await notifyAll(backend, tabs, 'Delete me elsewhere');
    for (const tab of tabs) await expect(unreadCount(tab)).toHaveText('4 unread');
    const item = (page: Page, text: string) => inbox(page).getByRole('listitem').filter({ hasText: text });
    await item(follower, 'Read me elsewhere').getByRole('button', { name: 'Mark as read' }).click();
    for (const tab of tabs) await expect(unreadCount(tab)).toHaveText('3 unread');
    await item(leader, 'Delete me elsewhere').getByRole('button', { name: 'Delete' }).click();
    for (const tab of tabs) await expect(item(tab, 'Delete me elsewhere')).toHaveCount(0);
    for (const tab of tabs) await expect(unreadCount(tab)).toHaveText('2 unread');
    await follower.getByRole('button', { name: 'Mark all as read' }).click();
    for (const tab of tabs) await expect(unreadCount(tab)).toHaveText('0 unread');

    // The server goes away: every tab shows the leader's countdown; "Retry now" in the
    // follower makes the leader try at once.
    await backend.stop();
    for (const tab of tabs) await expect(tab.getByRole('button', { name: 'Retry now' })).toBeVisible({ timeout: 10_000 });
    await retryNowWhenBack(leader, backend, follower);
    for (const tab of tabs) await expect(connection(tab)).toHaveAttribute('data-connection', 'connected', { timeout: 2_000 });
    expect(await openSockets(backend)).toBe(1);
  });

  test('sign-out in a follower: the socket closes within 2 s and every tab shows the sign-in page', async ({ context, backend }) => {
    const tabs = await openTabs(context, backend, 3);
    const leader = await leaderOf(tabs);
    const follower = tabs.find((t) => t !== leader)!;
    await follower.getByRole('button', { name: 'Sign out' }).click();
    await expect.poll(() => openSockets(backend), { timeout: 2_000, intervals: [50] }).toBe(0);
    for (const tab of tabs) await expect(signInHeading(tab)).toBeVisible();
  });

  test('without navigator.locks each tab keeps its own socket, as before', async ({ context, backend }) => {
    await context.addInitScript(() => {
      Object.defineProperty(Navigator.prototype, 'locks', { get: () => undefined, configurable: true });
    });
    const tabs = await openTabs(context, backend, 2);
    expect(await roles(tabs)).toEqual(['own', 'own']);
    await expect(connection(tabs[0])).not.toHaveAttribute('title', /./);
    await expect.poll(() => openSockets(backend)).toBe(2);
    await notifyAll(backend, tabs, 'Each on its own');
  });
});
