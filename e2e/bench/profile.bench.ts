// Where the time goes: a CPU profile (CDP Profiler) of Herald during the in-page burst, top
// functions by self time. Not part of `cargo xtask bench`; run by hand against a build with
// names kept (see BENCHMARKS.md, "Finding why"):
//   HERALD_PROFILE=1 HERALD_DIST=/tmp/prof/dist npx playwright test --config bench.config.ts profile
// HERALD_PROFILE_DUMP=/tmp/p.json keeps the CPU profile and the timeline events for later analysis.
// HERALD_PROFILE_FRAMES=N (default 300); HERALD_PROFILE_GAP_MS=20 spaces frames (a stream).
import { test } from '@playwright/test';
import { readFileSync, writeFileSync } from 'node:fs';
import { Backend, DIST } from '../support/backend';
import { startStatic } from '../support/static-server';
import { filterSwitches, pressOrType } from './keys';

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
    if (process.env.HERALD_PROFILE_CONSOLE) page.on('console', (m) => console.log(`[page] ${m.text()}`));
    const history = Number(process.env.HERALD_PROFILE_HISTORY ?? 0);
    // HERALD_PROFILE_TYPE=text (with HERALD_PROFILE_HISTORY=N): typing into the inbox's search
    // box, once the N rows are in (the sign-in is not profiled); "p,Escape,a" presses keys by name.
    const typed = process.env.HERALD_PROFILE_TYPE;
    // HERALD_PROFILE_SCROLL=1 (with HERALD_PROFILE_HISTORY=N): the big inbox bench's scroll
    // (500 items shown, 60 wheel steps of 400 px), once the N rows are in.
    const scroll = !!process.env.HERALD_PROFILE_SCROLL;
    if (history) await backend.control('history', { username: 'finance1', count: history });
    await page.goto(`${site.url}/`);
    // Herald's own form (not the early one index.html draws while the wasm is on its way).
    await page.waitForFunction(() => (window as any).__bench.preds.heraldStarted());
    await page.getByLabel('Username').fill('finance1');
    await page.getByLabel('Password').fill('Passw0rd!');
    const signIn = () => page.getByRole('button', { name: 'Sign in' }).click();
    if (!history || typed || scroll) {
      await signIn();
      await page.locator('[data-connection="connected"]').waitFor();
      if (history) await page.waitForFunction((k) => (window as any).__bench.seen.has(k), `FAR-:${history}`, { timeout: 60_000 });
      await page.waitForTimeout(Number(process.env.HERALD_PROFILE_WAIT_MS ?? 500));
    }
    if (scroll) {
      // Not profiled: showing the 500 items and placing the pointer over the list.
      for (let i = 0; i < 4; i++) await page.getByRole('button', { name: 'Show 100 more' }).click();
      await page.evaluate(() => window.scrollTo(0, 0));
      const list = await page.locator('.inbox-days').boundingBox();
      await page.mouse.move(list!.x + list!.width / 2, Math.min(list!.y + 200, 600));
      await page.waitForTimeout(1000);
    }
    const cdp = await context.newCDPSession(page);
    await cdp.send('Performance.enable');
    const metrics = async () =>
      Object.fromEntries((await cdp.send('Performance.getMetrics')).metrics.map((m: any) => [m.name, m.value]));
    const before = await metrics();
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
    await cdp.send('Profiler.start');
    // Timeline events too: where the main thread's time goes (script, style, layout, paint...).
    const events: any[] = [];
    cdp.on('Tracing.dataCollected', (e: any) => events.push(...e.value));
    const traced = new Promise<void>((done) => cdp.once('Tracing.tracingComplete', () => done()));
    await cdp.send('Tracing.start', { categories: 'devtools.timeline,v8', transferMode: 'ReportEvents' });
    const gap = Number(process.env.HERALD_PROFILE_GAP_MS ?? 0);
    const flood = Number(process.env.HERALD_PROFILE_FLOOD ?? 0);
    if (flood) {
      // HERALD_PROFILE_FLOOD=N: a network flood of N frames with a click on "Unread" a quarter in.
      const tab = await page.getByRole('button', { name: 'Unread' }).boundingBox();
      const sent = backend.control('flood', { username: 'finance1', count: flood });
      await page.waitForFunction((n) => (window as any).__bench.received.has(`Flood notification:${n}`), Math.floor(flood / 4), { polling: 5 });
      await page.mouse.click(tab!.x + tab!.width / 2, tab!.y + tab!.height / 2);
      await sent;
      await page.waitForFunction((n) => (window as any).__bench.seen.has(`Flood notification:${n}`) && (window as any).__bench.click?.effect != null, flood, { timeout: 120_000 });
      console.log('click → effect', await page.evaluate(() => (window as any).__bench.click.effect - (window as any).__bench.click.at));
    } else if (scroll) {
      for (let i = 0; i < 60; i++) {
        await page.mouse.wheel(0, 400);
        await page.waitForTimeout(30);
      }
    } else if (typed) {
      // HERALD_PROFILE_SWITCHES=1: the find bench's filter switches first.
      if (process.env.HERALD_PROFILE_SWITCHES) {
        await filterSwitches(page, async (k) => {
          await page.keyboard.press(k);
          await page.waitForTimeout(100);
        });
      }
      await page.focus('#inbox-search');
      // Keys by name when comma-separated ("p,o,Escape"), else each character.
      for (const key of typed.includes(',') ? typed.split(',') : typed) {
        await pressOrType(page, key);
        await page.waitForTimeout(100);
      }
    } else if (history) {
      // HERALD_PROFILE_HISTORY=N: profile the sign-in until the newest of N history rows shows.
      await signIn();
      await page.waitForFunction((k) => (window as any).__bench.seen.has(k), `FAR-:${history}`, { timeout: 60_000 });
    } else await page.evaluate(([n, gap]) => {
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
        // One per task (a burst), or one every `gap` ms (a steady stream).
        if (i < n) {
          if (gap > 0) setTimeout(() => channel.port2.postMessage(0), gap);
          else channel.port2.postMessage(0);
        }
      };
      channel.port2.postMessage(0);
    }, [count, gap]);
    if (!history && !flood && !typed && !scroll) {
      await page.waitForFunction((n) => (window as any).__bench.seen.has(`Burst message:${n}`), count, { timeout: 600_000 });
    }
    const { profile } = await cdp.send('Profiler.stop');
    // HERALD_PROFILE_DUMP=/tmp/p.json: the CPU profile there, the timeline events in p.json.trace
    // (for inclusive times by function, or long tasks by kind, worked out afterwards).
    const dump = process.env.HERALD_PROFILE_DUMP;
    if (dump) {
      writeFileSync(dump, JSON.stringify(profile));
      cdp.once('Tracing.tracingComplete', () => writeFileSync(`${dump}.trace`, JSON.stringify(events)));
    }
    const after = await metrics();
    await cdp.send('Tracing.end');
    await traced;
    const main = events.find((e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain');
    const byName = new Map<string, { ms: number; n: number }>();
    for (const e of events) {
      if (e.ph !== 'X' || !main || e.tid !== main.tid || e.pid !== main.pid) continue;
      const r = byName.get(e.name) ?? { ms: 0, n: 0 };
      r.ms += (e.dur ?? 0) / 1000;
      r.n += 1;
      byName.set(e.name, r);
    }
    const byId = new Map(profile.nodes.map((n: any) => [n.id, n]));
    if (process.env.HERALD_PROFILE_LONG) {
      // The longest main-thread events of a kind, e.g. TimerFire or FunctionCall.
      const kind = process.env.HERALD_PROFILE_LONG;
      const long = events
        .filter((e) => e.ph === 'X' && main && e.tid === main.tid && e.name === kind)
        .sort((a, b) => b.dur - a.dur)
        .slice(0, 12);
      // Samples inside each long event: which Rust functions were on the stack.
      const parent = new Map<number, number>();
      for (const n of profile.nodes as any[]) for (const c of n.children ?? []) parent.set(c, n.id);
      const times: number[] = [];
      let t = profile.startTime;
      for (const d of profile.timeDeltas ?? []) times.push((t += d));
      for (const e of long.slice(0, 3)) {
        console.log(`long ${kind} ${(e.dur / 1000).toFixed(1)} ms ${JSON.stringify(e.args?.data ?? {}).slice(0, 100)}`);
        const onStack = new Map<string, number>();
        profile.samples?.forEach((id: number, i: number) => {
          if (times[i] < e.ts || times[i] > e.ts + e.dur) return;
          const names = new Set<string>();
          for (let n: number | undefined = id; n !== undefined; n = parent.get(n)) {
            const f = (byId.get(n) as any).callFrame.functionName as string;
            // Demangled (`herald::components::inbox::InboxPanel`) or mangled names.
            const m = f.match(/herald::[A-Za-z_:]+|herald\.\.[a-z_:.]+|herald[0-9]+[a-z_0-9]+/g);
            if (m) for (const x of m) names.add(x);
          }
          for (const x of names) onStack.set(x, (onStack.get(x) ?? 0) + 1);
        });
        for (const [x, c] of [...onStack.entries()].sort((a, b) => b[1] - a[1]).slice(0, 8)) console.log(`    ${c} ${x}`);
      }
    }
    for (const [name, r] of [...byName.entries()].sort((a, b) => b[1].ms - a[1].ms).slice(0, 18)) {
      console.log(`trace ${name.padEnd(34)} ${r.ms.toFixed(0).padStart(6)} ms  ×${r.n}`);
    }
    for (const k of ['TaskDuration', 'ScriptDuration', 'RecalcStyleDuration', 'LayoutDuration', 'LayoutCount', 'RecalcStyleCount', 'Nodes']) {
      const d = after[k] - (k === 'Nodes' ? 0 : before[k]);
      console.log(`${k.padEnd(22)} ${k.endsWith('Duration') ? `${(d * 1000).toFixed(0)} ms` : d}`);
    }
    const self = new Map<string, number>();
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
