// Soak (issue 20, item 7, "nothing grows with time"): one Herald tab (real Chromium, the real
// reference backend) through token refreshes, reconnects, frames with the inbox at its cap and
// deletes. Before each phase, after its first cycle, then every `every` cycles: a forced garbage
// collection, then the JS heap in use, the wasm linear memory and the DOM counters (documents,
// nodes, JS event listeners). Writes the readings as JSON to HERALD_SOAK_OUT; `cargo xtask bench`
// turns them into BENCHMARKS.md's table (slopes, thresholds, verdicts: xtask/src/soak.rs).
//
// Alone: cd e2e && HERALD_DIST=../dist HERALD_BACKEND_BIN=../target/backend/dev-backend \
//   npx playwright test --config bench.config.ts soak.bench.ts   (HERALD_BENCH_QUICK=1 shortens)
import { test, type CDPSession, type Page } from '@playwright/test';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { Backend, DIST } from '../support/backend';
import { startPrecompressed } from './serve';

const QUICK = !!process.env.HERALD_BENCH_QUICK;
const OUT = resolve(process.env.HERALD_SOAK_OUT ?? 'test-results/bench-soak.json');
const PROBE = readFileSync(new URL('./probe.js', import.meta.url), 'utf8');
const USER = 'finance1';
/** Items the inbox keeps in memory (`MEMORY_BOUND` in src/state/inbox.rs). */
const INBOX_CAP = 20_000;
/**
 * Access-token lifetime for the refresh phase. The app refreshes at half the lifetime, never
 * twice within 5 s (src/state/session.rs): with 10 s tokens, one refresh every ~5 s and the
 * token is never expired in between (no 401 or socket rejection takes part).
 */
const SHORT_TTL_S = 10;
/** Quiet time before each reading: the app's short timers (the 250 ms stats flush) have fired. */
const SETTLE_MS = 300;

/** HERALD_SOAK_PHASES=frames,deletes runs only those (to look into one; the report needs all four). */
const ONLY = process.env.HERALD_SOAK_PHASES?.split(',');
const want = (phase: string) => !ONLY || ONLY.includes(phase);

/** Cycles per phase and the reading interval (a reading also before the phase and after cycle 1). */
const PLAN: Record<'refreshes' | 'reconnects' | 'frames' | 'deletes', number[]> = {
  ...(QUICK
    ? { refreshes: [4, 2], reconnects: [6, 2], frames: [500, 50], deletes: [4, 2] }
    : { refreshes: [100, 10], reconnects: [200, 10], frames: [20_000, 50], deletes: [100, 10] }),
  // HERALD_SOAK_PLAN='{"refreshes":[40,5]}' changes a phase's cycles and interval (to look into one).
  ...JSON.parse(process.env.HERALD_SOAK_PLAN ?? '{}'),
};

interface Reading {
  cycle: number;
  /** Seconds since the phase started. */
  t: number;
  /** JS heap in use after GC, bytes (CDP `Runtime.getHeapUsage`). */
  heap: number;
  /** The wasm module's `memory.buffer.byteLength`, bytes. */
  wasm: number;
  /** CDP `Memory.getDOMCounters` after GC. */
  documents: number;
  nodes: number;
  listeners: number;
  /** From a heap snapshot (some readings only): see `heapParts`. */
  code?: number;
  objects?: number;
  closures?: number;
  functions?: number;
  optimised?: number;
}

interface Phase {
  name: string;
  /** What one cycle is ("refresh", "frame"...), and its plural. */
  unit: string;
  units: string;
  cycles: number;
  every: number;
  /** Cycles run between two looks (frames come in batches). */
  step: number;
  seconds: number;
  note: string;
  readings: Reading[];
}

const phases: Phase[] = [];
let failed: { phase: string; cycle: number; error: string; readings: Reading[] } | undefined;
const meta: Record<string, unknown> = {};

/** HERALD_SOAK_SNAPSHOTS=DIR: keeps the heap snapshots, for `node bench/heapdiff.mjs A B`. */
const SNAPSHOTS = process.env.HERALD_SOAK_SNAPSHOTS;

/** A V8 heap snapshot of the page, as its JSON text. */
async function snapshot(cdp: CDPSession): Promise<string> {
  const chunks: string[] = [];
  const collect = (c: { chunk: string }) => chunks.push(c.chunk);
  cdp.on('HeapProfiler.addHeapSnapshotChunk', collect);
  await cdp.send('HeapProfiler.takeHeapSnapshot', { reportProgress: false });
  cdp.off('HeapProfiler.addHeapSnapshotChunk', collect);
  return chunks.join('');
}

/**
 * What the JS heap is made of, from a heap snapshot: bytes of V8's compilation (its `code`
 * nodes: machine code, bytecode, feedback; and the wasm module's feedback vectors, which
 * V8 files as arrays under `WasmTrustedInstanceData.feedback_vectors`), bytes of everything else
 * V8 holds (objects, strings, arrays, closures, contexts; Blink's native objects left out), and
 * the number of closures. Also the number of functions V8 knows (its `SharedFunctionInfo`s:
 * the page's code, not its data) and of machine-code objects (`InstructionStream`s: a function
 * V8 compiled to machine code, one per tier it reached): compiled code that grows while both
 * stay put is V8 optimising the same functions, not new code.
 */
function heapParts(text: string): { code: number; objects: number; closures: number; functions: number; optimised: number } {
  const s = JSON.parse(text);
  const fields: string[] = s.snapshot.meta.node_fields;
  const edgeFields: string[] = s.snapshot.meta.edge_fields;
  const types: string[] = s.snapshot.meta.node_types[0];
  const edgeTypes: string[] = s.snapshot.meta.edge_types[0];
  const [ti, si, ci] = [fields.indexOf('type'), fields.indexOf('self_size'), fields.indexOf('edge_count')];
  const [eti, eni, eto] = [edgeFields.indexOf('type'), edgeFields.indexOf('name_or_index'), edgeFields.indexOf('to_node')];
  const [N, E] = [fields.length, edgeFields.length];
  // Each node's first edge, and the wasm feedback: the targets of `feedback_vectors` edges and
  // the nodes these hold.
  const firstEdge = new Uint32Array(s.nodes.length / N + 1);
  for (let i = 0, e = 0; i < s.nodes.length; i += N) {
    firstEdge[i / N] = e;
    e += s.nodes[i + ci] * E;
  }
  const feedback = new Set<number>();
  for (let e = 0; e < s.edges.length; e += E) {
    const named = ['context', 'property', 'internal', 'shortcut', 'weak'].includes(edgeTypes[s.edges[e + eti]]);
    if (!named || s.strings[s.edges[e + eni]] !== 'feedback_vectors') continue;
    const list = s.edges[e + eto];
    feedback.add(list);
    const n = list / N;
    for (let k = firstEdge[n]; k < firstEdge[n] + s.nodes[list + ci] * E; k += E) feedback.add(s.edges[k + eto]);
  }
  const ni = fields.indexOf('name');
  let code = 0;
  let objects = 0;
  let closures = 0;
  let functions = 0;
  let optimised = 0;
  for (let i = 0; i < s.nodes.length; i += N) {
    const type = types[s.nodes[i + ti]];
    const size = s.nodes[i + si];
    if (type === 'native' || type === 'synthetic') continue;
    if (type === 'code' || feedback.has(i)) code += size;
    else objects += size;
    if (type === 'closure') closures += 1;
    if (type === 'code') {
      // A function's SharedFunctionInfo is named after it ("system / SharedFunctionInfo" when
      // anonymous); V8's other code nodes are "system / <kind>".
      const name: string = s.strings[s.nodes[i + ni]];
      if (!name.startsWith('system / ') || name.startsWith('system / SharedFunctionInfo')) functions += 1;
      else if (name === 'system / InstructionStream') optimised += 1;
    }
  }
  return { code, objects, closures, functions, optimised };
}

/**
 * One reading. The probe's own records (sockets, seen texts, the last click's target) are let
 * go first: they are the bench's, not Herald's. With `parts`, also a heap snapshot's breakdown.
 */
async function read(page: Page, cdp: CDPSession, cycle: number, started: number, parts: boolean): Promise<Reading> {
  await page.waitForTimeout(SETTLE_MS);
  const wasm = await page.evaluate(() => {
    const B = (window as any).__bench;
    B.sockets.splice(0, B.sockets.length - 1);
    B.received.clear();
    B.seen.clear();
    B.longtasks.length = 0;
    B.click = null;
    return B.memory ? (B.memory.buffer.byteLength as number) : NaN;
  });
  // Twice, with a turn of the event loop between: finalizers and weak callbacks of the first
  // collection free what the second one then collects.
  await cdp.send('HeapProfiler.collectGarbage');
  await page.waitForTimeout(50);
  await cdp.send('HeapProfiler.collectGarbage');
  const heap = (await cdp.send('Runtime.getHeapUsage')).usedSize;
  const dom = await cdp.send('Memory.getDOMCounters');
  const reading: Reading = {
    cycle,
    t: (Date.now() - started) / 1000,
    heap,
    wasm,
    documents: dom.documents,
    nodes: dom.nodes,
    listeners: dom.jsEventListeners,
  };
  if (parts || SNAPSHOTS) {
    const text = await snapshot(cdp);
    if (SNAPSHOTS) {
      mkdirSync(SNAPSHOTS, { recursive: true });
      writeFileSync(resolve(SNAPSHOTS, `${phases.length + 1}-${cycle}.heapsnapshot`), text);
    }
    if (parts) Object.assign(reading, heapParts(text));
  }
  return reading;
}

/**
 * Runs `total` cycles of `step` each (`run(done)` performs cycles done+1..done+step) with
 * readings before, after the first step and every `every` cycles.
 */
async function phase(
  page: Page,
  cdp: CDPSession,
  spec: { name: string; unit: string; units: string; total: number; every: number; step?: number; note: string },
  run: (done: number) => Promise<void>,
) {
  const step = spec.step ?? 1;
  const started = Date.now();
  // A heap snapshot's breakdown with about a dozen of the readings (a snapshot takes a second
  // or two): before, after the first step, every `partsEvery`-th reading and the last.
  const partsEvery = Math.max(1, Math.round(spec.total / spec.every / 10));
  const readings = [await read(page, cdp, 0, started, true)];
  let lastLog = Date.now();
  for (let done = 0; done < spec.total; done += step) {
    try {
      await run(done);
    } catch (e) {
      // What was read so far stays in the JSON (which cycle failed, and the trend up to it).
      failed = { phase: spec.name, cycle: done + 1, error: String(e), readings };
      throw e;
    }
    const now = done + step;
    if (now === step || now % spec.every === 0 || now >= spec.total) {
      const parts = now === step || now >= spec.total || readings.length % partsEvery === 0;
      readings.push(await read(page, cdp, now, started, parts));
    }
    if (Date.now() - lastLog > 30_000) {
      lastLog = Date.now();
      const r = readings[readings.length - 1];
      console.log(`soak: ${spec.name} ${now}/${spec.total}, heap ${(r.heap / 1024).toFixed(0)} KiB, wasm ${(r.wasm / 1048576).toFixed(2)} MiB, nodes ${r.nodes}, listeners ${r.listeners}`);
    }
  }
  const seconds = (Date.now() - started) / 1000;
  console.log(`soak: ${spec.name}: ${spec.total} ${spec.units} in ${seconds.toFixed(0)} s`);
  phases.push({ name: spec.name, unit: spec.unit, units: spec.units, cycles: spec.total, every: spec.every, step, seconds, note: spec.note, readings });
}

/** `exp − iat` of a JWT, seconds. */
function lifetime(jwt: string): number {
  const claims = JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString());
  return claims.exp - claims.iat;
}

/** Everything in the inbox: the items on the page plus the "(N not shown)" of "Show more". */
const inboxTotal = () => {
  const shown = document.querySelectorAll('li.inbox-item').length;
  const more = document.querySelector('button.more')?.textContent ?? '';
  const hidden = Number(/\((\d+) not shown\)/.exec(more)?.[1] ?? 0);
  return shown + hidden;
};

const isHistoryGet = (url: string, method: string) =>
  new URL(url).pathname === '/api/auth/Notifications/' && method === 'GET';
const isHistoryRead = (r: { url(): string; request(): { method(): string } }) => isHistoryGet(r.url(), r.request().method());

test('soak: nothing grows with time', async ({ browser }) => {
  test.setTimeout(90 * 60_000);
  const backend = new Backend({ accessTtl: want('refreshes') ? SHORT_TTL_S : undefined });
  await backend.start(0);
  const site = await startPrecompressed({ root: DIST, config: JSON.stringify({ api_base_url: backend.url }) });
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    if (process.env.HERALD_BENCH_DEBUG) page.on('console', (m) => console.log(`[page] ${m.text()}`));
    await page.addInitScript({ content: PROBE });
    await page.addInitScript({ content: `__bench.watch('connected', 'heraldConnected');` });
    const refreshes = { ok: 0, failed: 0, lifetimes: [] as number[] };
    page.on('response', (r) => {
      if (new URL(r.url()).pathname !== '/api/auth/token-refresh/' || r.request().method() !== 'POST') return;
      if (r.status() !== 200) {
        refreshes.failed += 1;
        return;
      }
      refreshes.ok += 1;
      r.json().then((b) => refreshes.lifetimes.push(lifetime(b.access)), () => {});
    });
    // History reads in flight and when the last one finished (the deletes wait for quiet).
    const reads = { inFlight: 0, lastDone: 0, count: 0, mostAtOnce: 0 };
    page.on('request', (r) => {
      if (!isHistoryGet(r.url(), r.method())) return;
      reads.inFlight += 1;
      reads.count += 1;
      reads.mostAtOnce = Math.max(reads.mostAtOnce, reads.inFlight);
    });
    for (const event of ['requestfinished', 'requestfailed'] as const) {
      page.on(event, (r) => {
        if (!isHistoryGet(r.url(), r.method())) return;
        reads.inFlight -= 1;
        reads.lastDone = Date.now();
      });
    }
    const connected = () =>
      page.locator('[data-connection="connected"]').waitFor({ timeout: 60_000 });

    await page.goto(`${site.url}/`);
    await page.getByLabel('Username').fill(USER);
    await page.getByLabel('Password').fill('Passw0rd!');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await connected();
    await page.locator('section.inbox').waitFor();
    const cdp = await context.newCDPSession(page);
    meta.chromium = browser.version();
    meta.quick = QUICK;

    // 1. Token refreshes: short tokens, the app's own scheduled refresh (nothing else happens).
    const [refreshTotal, refreshEvery] = PLAN.refreshes;
    const firstRefresh = refreshes.ok;
    if (want('refreshes')) await phase(
      page,
      cdp,
      {
        name: 'token refreshes',
        unit: 'refresh',
        units: 'refreshes',
        total: refreshTotal,
        every: refreshEvery,
        note: `${SHORT_TTL_S} s access tokens; the app's scheduled refresh (one every ~5 s), each a \`POST /api/auth/token-refresh/\` answered 200, rotation blacklisting on`,
      },
      async (done) => {
        const target = firstRefresh + done + 1;
        const until = Date.now() + 30_000;
        while (refreshes.ok < target) {
          if (refreshes.failed) throw new Error(`a token refresh failed (${refreshes.failed})`);
          if (Date.now() > until) throw new Error(`no refresh within 30 s (${refreshes.ok} so far)`);
          await page.waitForTimeout(100);
        }
      },
    );
    meta.refreshFailures = refreshes.failed;

    // Back to the default token lifetime (45 min), same data and signing key: the tab's next
    // refresh brings a long token and no more refreshes run during the other phases.
    if (want('refreshes')) {
      await backend.restartWith({ accessTtl: undefined });
      const until = Date.now() + 60_000;
      while (!refreshes.lifetimes.some((l) => l > 600)) {
        if (Date.now() > until) throw new Error(`no long-lived token after the restart: ${refreshes.lifetimes.slice(-3)}`);
        await page.waitForTimeout(200);
      }
      await connected();
    }

    // 2. Reconnects: the server drops the socket (`/test/drop/`, close 1000); the app
    // reconnects after its backoff and re-reads the history.
    const [reconnectTotal, reconnectEvery] = PLAN.reconnects;
    if (want('reconnects')) await phase(
      page,
      cdp,
      {
        name: 'reconnects',
        unit: 'reconnect',
        units: 'reconnects',
        total: reconnectTotal,
        every: reconnectEvery,
        note: 'the server closes the socket (`/test/drop/`, code 1000); a cycle ends when a new socket is open, the status shows connected and the history re-read is answered',
      },
      async () => {
        const before = await page.evaluate(() => (window as any).__bench.opened as number);
        const history = page.waitForResponse(isHistoryRead, { timeout: 60_000 });
        const { closed } = await backend.control<{ closed: number }>('drop', {});
        if (closed < 1) throw new Error('no socket to drop');
        await page.waitForFunction(
          (n) => (window as any).__bench.opened > n && !!document.querySelector('[data-connection="connected"]'),
          before,
          { timeout: 60_000 },
        );
        await history;
      },
    );

    // The inbox at its cap: that many rows on the server, read by the app after a reconnect.
    // The server's history stays at the cap from here on (`/test/trim/` after each batch): the
    // app re-reads the whole history after every burst, and a history that grew with the phase
    // would measure its size, not the time the tab has been open.
    await backend.control('history', { username: USER, count: INBOX_CAP });
    await backend.control('trim', { username: USER, keep: INBOX_CAP });
    {
      const history = page.waitForResponse(isHistoryRead, { timeout: 60_000 });
      await backend.control('drop', {});
      await history;
      await connected();
      await page.waitForFunction((cap) => {
        const shown = document.querySelectorAll('li.inbox-item').length;
        const more = document.querySelector('button.more')?.textContent ?? '';
        return shown + Number(/\((\d+) not shown\)/.exec(more)?.[1] ?? 0) >= cap;
      }, INBOX_CAP, { timeout: 120_000 });
    }
    meta.inboxAtFramesStart = await page.evaluate(inboxTotal);

    const readsDuringFrames = { count: reads.count };
    reads.mostAtOnce = reads.inFlight;
    // 3. Frames with the inbox at its cap: each new item lets the oldest go.
    const [frameTotal, frameEvery] = PLAN.frames;
    const batch = 50;
    if (want('frames')) await phase(
      page,
      cdp,
      {
        name: 'frames at the inbox cap',
        unit: 'frame',
        units: 'frames',
        total: frameTotal,
        every: frameEvery,
        step: batch,
        note: `\`/test/flood/\` in batches of ${batch} persisted notifications, then \`/test/trim/\` keeps the server's history at the cap (the inbox held ${meta.inboxAtFramesStart} items, its cap, before); a batch ends when its last frame is on screen`,
      },
      async () => {
        const top = () => document.querySelector('li.inbox-item')?.id ?? '';
        const before = await page.evaluate(top);
        await backend.control('flood', { username: USER, count: batch });
        await backend.control('trim', { username: USER, keep: INBOX_CAP });
        // The batch's last frame arrived and its item is on top: another notification than
        // before the batch (the text alone is also the previous batch's last one).
        await page.waitForFunction(
          ({ key, text, before }) => {
            const li = document.querySelector('li.inbox-item');
            return (window as any).__bench.received.has(key) && !!li && li.id !== before && !!li.textContent?.includes(text);
          },
          { key: `Flood notification:${batch}`, text: `Flood notification ${batch}`, before },
          { timeout: 60_000 },
        );
      },
    );
    meta.inboxAfterFrames = await page.evaluate(inboxTotal);
    // The history reads during the frames phase: how many, and the most in flight at once.
    meta.historyReadsInFrames = { count: reads.count - readsDuringFrames.count, mostAtOnce: reads.mostAtOnce };

    // 4. Deletes through the UI: a real click on the first item's Delete button, answered by
    // the server. First the inbox must be quiet: the history re-read that follows a burst
    // (1 s after it) must have landed, or, taken before a delete and arriving after it, it
    // brings the deleted item back (a stale snapshot; a second delete of it answers 404).
    if (want('deletes')) {
      const until = Date.now() + 60_000;
      const quietSince = Date.now();
      while (reads.inFlight > 0 || Date.now() - Math.max(reads.lastDone, quietSince) < 5_000) {
        if (Date.now() > until) throw new Error('the inbox did not settle within 60 s');
        await page.waitForTimeout(250);
      }
    }
    const [deleteTotal, deleteEvery] = PLAN.deletes;
    const deleted: string[] = [];
    if (want('deletes')) await phase(
      page,
      cdp,
      {
        name: 'deletes',
        unit: 'delete',
        units: 'deletes',
        total: deleteTotal,
        every: deleteEvery,
        note: 'a mouse click on the first item\'s Delete button (the history re-read after the frames landed first); the item leaves the DOM at once and `DELETE …/Notifications/delete` is sent when the 5 s Undo window closes (#22); a cycle ends when it is answered',
      },
      async () => {
        // The button's place, then a real click there (CDP input; no locator machinery in
        // the page, whose own compiled code would count in the heap).
        const target = await page.evaluate(() => {
          const li = document.querySelector('li.inbox-item');
          // An icon button named after its item ("Delete: FAR-0015, Returned"), shown on hover.
          const button = li && [...li.querySelectorAll('button')].find((b) => /^Delete\b/.test(b.getAttribute('aria-label') ?? ''));
          if (!li || !button) return null;
          button.scrollIntoView({ block: 'nearest' });
          const r = button.getBoundingClientRect();
          return { id: li.id, x: r.x + r.width / 2, y: r.y + r.height / 2 };
        });
        if (!target) throw new Error('no item with a Delete button');
        const answered = page.waitForResponse(
          (r) => r.request().method() === 'DELETE' && new URL(r.url()).pathname === '/api/auth/Notifications/delete',
          { timeout: 30_000 },
        );
        await page.mouse.click(target.x, target.y);
        const r = await answered;
        if (!r.ok()) {
          throw new Error(
            `${r.url()} answered ${r.status()}: ${await r.text()} (the first item was ${target.id}; deleted before: ${deleted.includes(target.id) ? 'yes' : 'no'})`,
          );
        }
        deleted.push(target.id);
        await page.waitForFunction((id) => !document.getElementById(id), target.id, { timeout: 30_000 });
      },
    );
    meta.inboxAfterDeletes = await page.evaluate(inboxTotal);
    meta.refreshesOutsideTheRefreshPhase = refreshes.ok - firstRefresh - (want('refreshes') ? refreshTotal : 0);
  } finally {
    const machine = { date: new Date().toISOString(), cores: availableParallelism() };
    writeFileSync(OUT, JSON.stringify({ ...meta, ...machine, complete: phases.length === 4, phases, failed }, null, 1));
    if (process.env.HERALD_BENCH_DEBUG) writeFileSync('/tmp/soak-backend.log', readFileSync(backend.logPath));
    await context.close();
    await site.close();
    await backend.dispose();
  }
});
