// Key presses the find bench and the profiler share: the filter switches and the typing.
import type { Page } from '@playwright/test';

/** Presses `key` by name ("Escape", "a"); a character beyond ASCII (an Arabic-Indic digit,
 *  which Playwright's keyboard has no key for) is typed as an input method does. */
export async function pressOrType(page: Page, key: string) {
  if (/^[\x20-\x7e]$/.test(key) || key.length > 1) await page.keyboard.press(key);
  else await page.keyboard.insertText(key);
}

/** The find bench's filter switches: ArrowDown, ArrowDown, ArrowUp, ArrowUp on the type and
 *  the action filters, then Enter on Unread and on All. `press` presses one key where focus
 *  is; what it returns for each is returned in order. */
export async function filterSwitches<T>(page: Page, press: (key: string) => Promise<T>): Promise<T[]> {
  const out: T[] = [];
  for (const select of ['#filter-type', '#filter-action']) {
    await page.focus(select);
    for (const k of ['ArrowDown', 'ArrowDown', 'ArrowUp', 'ArrowUp']) out.push(await press(k));
  }
  for (const name of ['Unread', 'All']) {
    await page.getByRole('button', { name, exact: true }).focus();
    out.push(await press('Enter'));
  }
  return out;
}
