import { test, expect } from '../../support/fixtures';
import { signIn } from '../../support/app';
test('dbg', async ({ page, backend }) => {
  page.on('console', (m) => console.log('console:', m.text()));
  await signIn(page, backend);
  await expect(page.getByRole('region', { name: 'Notifications' }).getByRole('listitem')).toHaveCount(3);
  console.log('active before', await page.evaluate(() => document.activeElement?.outerHTML.slice(0, 80)));
  await page.evaluate(() => document.addEventListener('keydown', (e) => console.log('keydown', e.key, 'prevented', e.defaultPrevented, (e.target as any)?.tagName), false));
  await page.keyboard.press('/');
  console.log('active after', await page.evaluate(() => document.activeElement?.outerHTML.slice(0, 80)));
  console.log('value', await page.locator('#inbox-search').inputValue());
});
