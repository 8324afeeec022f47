// Where the time goes: a CPU profile (CDP Profiler) of Herald during the in-page burst, top
// functions by self time. Not part of `cargo xtask bench`; run by hand against a build with
// names kept (see BENCHMARKS.md, "Finding why"):
//   HERALD_PROFILE=1 HERALD_DIST=/tmp/prof/dist npx playwright test --config bench.config.ts profile
import { test } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { Backend, DIST } from '../support/backend';
import { startStatic } from '../support/static-server';

const PROBE = readFileSync(new URL('./probe.js', import.meta.url), 'utf8');

test('profile the in-page burst', async ({ browser }) => {
  test.skip(!process.env.HERALD_PROFILE, 'set HERALD_PROFILE=1');
  const count = Number(process.env.HERALD_PROFILE_FRAMES ?? 300);
  const backend = new Backend();
  await backend.start(0);
  const site = await startStatic({ root: DIST, config: JSON.stringify({ api_base_url: backend.url }) });
  try {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.addInitScript({ content: PROBE });
    await page.goto(`${site.url}/`);
    await page.getByLabel('Username').fill('finance1');
    await page.getByLabel('Password').fill('Passw0rd!');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.locator('[data-connection="connected"]').waitFor();
    await page.waitForTimeout(500);
    const cdp = await context.newCDPSession(page);
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
    await cdp.send('Profiler.start');
    await page.evaluate((n) => {
      const B = (window as any).__bench;
      const ws = B.sockets[B.sockets.length - 1];
      const channel = new MessageChannel();
      let i = 0;
      channel.port1.onmessage = () => {
        i += 1;
        const message = `Burst message ${i}`;
        ws.dispatchEvent(new MessageEvent('message', {
          data: JSON.stringify({ type: 'notification', message, eng_message: message, id: 5_000_000 + i, is_read: false }),
        }));
        if (i < n) channel.port2.postMessage(0);
      };
      channel.port2.postMessage(0);
    }, count);
    await page.waitForFunction((n) => (window as any).__bench.seen.has(`Burst message:${n}`), count, { timeout: 600_000 });
    const { profile } = await cdp.send('Profiler.stop');
    const self = new Map<string, number>();
    const byId = new Map(profile.nodes.map((n: any) => [n.id, n]));
    const dt = profile.timeDeltas ?? [];
    profile.samples?.forEach((id: number, i: number) => {
      const node: any = byId.get(id);
      const name = `${node.callFrame.functionName || '(anonymous)'} ${node.callFrame.url.split('/').pop()}`;
      self.set(name, (self.get(name) ?? 0) + (dt[i] ?? 0) / 1000);
    });
    const total = [...self.values()].reduce((a, b) => a + b, 0);
    const top = [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, 40);
    console.log(`total ${total.toFixed(0)} ms over ${count} frames`);
    for (const [name, ms] of top) console.log(`${ms.toFixed(1).padStart(9)} ms  ${name.slice(0, 160)}`);
    await context.close();
  } finally {
    await site.close();
    await backend.dispose();
  }
});
