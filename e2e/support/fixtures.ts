import { test as base, expect, type Browser, type BrowserContext } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { Backend } from './backend';

type WorkerFixtures = { backend: Backend };

/** One Content-Security-Policy violation a page reported. */
export interface CspViolation {
  id: string;
  /** `securitypolicyviolation` event or a CSP console error. */
  via: 'event' | 'console';
  directive: string;
  blocked: string;
  sample: string;
  source: string;
  page: string;
}

/** The violations of the running test; see the `csp` fixture. */
export interface CspGuard {
  /** Everything recorded so far and not yet taken (also what pages hold but have not sent). */
  violations(): Promise<CspViolation[]>;
  /** Like `violations()`, and forgets them: for a test that provokes violations on purpose. */
  take(): Promise<CspViolation[]>;
}

/**
 * Runs in every frame before the page's own scripts: records each `securitypolicyviolation`
 * on `window.__cspViolations` (read after the test) and hands it to Node at once through the
 * `__heraldCspViolation` binding (survives the page navigating away before the check).
 */
function recordViolations() {
  const w = window as any;
  if (w.__heraldCspGuard) return;
  w.__heraldCspGuard = true;
  w.__cspViolations = [];
  addEventListener(
    'securitypolicyviolation',
    (e: SecurityPolicyViolationEvent) => {
      const v = {
        id: `${Date.now()}-${Math.random()}`,
        via: 'event',
        directive: e.effectiveDirective || e.violatedDirective,
        blocked: e.blockedURI,
        sample: e.sample,
        source: `${e.sourceFile}:${e.lineNumber}:${e.columnNumber}`,
        page: location.href,
      };
      w.__cspViolations.push(v);
      try {
        void w.__heraldCspViolation?.(v)?.catch?.(() => {});
      } catch {
        // The binding is gone while the page unloads; the array is read after the test.
      }
    },
    true,
  );
}

/** The sink of the running test (tests run one at a time per worker). */
class Sink {
  private seen = new Set<string>();
  private found = new Map<string, CspViolation>();
  readonly contexts = new Set<BrowserContext>();

  add(v: CspViolation) {
    if (this.seen.has(v.id)) return;
    this.seen.add(v.id);
    this.found.set(v.id, v);
  }

  /** Reads what every open page recorded (optionally emptying it), then everything found. */
  async collect(clearPages: boolean): Promise<CspViolation[]> {
    const pages = [...this.contexts].flatMap((c) => c.pages()).filter((p) => !p.isClosed());
    await Promise.all(
      pages.map(async (page) => {
        const recorded: CspViolation[] = await page
          .evaluate((clear) => {
            const w = window as any;
            const v = w.__cspViolations ?? [];
            if (clear) w.__cspViolations = [];
            return v;
          }, clearPages)
          .catch(() => []);
        recorded.forEach((v) => this.add(v));
      }),
    );
    return [...this.found.values()];
  }

  async take(): Promise<CspViolation[]> {
    const all = await this.collect(true);
    this.found.clear();
    return all;
  }
}

let activeSink: Sink | null = null;
const guarded = new WeakSet<BrowserContext>();

/** Records every violation in `context`'s pages into the running test's sink. */
async function guard(context: BrowserContext): Promise<void> {
  activeSink?.contexts.add(context);
  if (guarded.has(context)) return;
  guarded.add(context);
  await context.exposeBinding('__heraldCspViolation', (_source, v: CspViolation) => activeSink?.add(v));
  await context.addInitScript(recordViolations);
  context.on('console', (msg) => {
    const text = msg.text();
    if (msg.type() === 'error' && /Content[ -]Security[ -]Policy/i.test(text)) {
      activeSink?.add({
        id: `console-${Date.now()}-${Math.random()}`,
        via: 'console',
        directive: '',
        blocked: '',
        sample: text,
        source: `${msg.location().url}:${msg.location().lineNumber}`,
        page: msg.page()?.url() ?? '',
      });
    }
  });
}

/** Every context a test opens itself (`browser.newContext()`) is guarded too. */
function guardNewContexts(browser: Browser) {
  const b = browser as Browser & { __heraldCspPatched?: boolean };
  if (b.__heraldCspPatched) return;
  b.__heraldCspPatched = true;
  const newContext = browser.newContext.bind(browser);
  browser.newContext = async (...args: Parameters<Browser['newContext']>) => {
    const context = await newContext(...args);
    await guard(context);
    return context;
  };
}

const describe = (v: CspViolation) =>
  `${v.via}: ${v.directive} blocked ${v.blocked || '(inline)'} ${v.sample ? `"${v.sample}"` : ''} at ${v.source} on ${v.page}`;

/**
 * `backend`: one reference backend per worker, reset before each test; its log is attached
 * to failing tests. The process is always stopped, also when tests fail.
 *
 * `csp` (automatic): every test fails if any page reported a Content-Security-Policy
 * violation (a `securitypolicyviolation` event or a CSP console error): the app must run
 * entirely under the strict policy the backend sends. A test that provokes violations on
 * purpose takes them with `csp.take()`.
 */
export const test = base.extend<{ resetBackend: void; csp: CspGuard }, WorkerFixtures>({
  backend: [
    async ({}, use) => {
      const backend = new Backend();
      await backend.start(0);
      await use(backend);
      await backend.dispose();
    },
    { scope: 'worker' },
  ],
  resetBackend: [
    async ({ backend }, use, testInfo) => {
      await backend.control('reset', {});
      await use();
      if (testInfo.status !== testInfo.expectedStatus) {
        await testInfo.attach('backend.log', { body: readFileSync(backend.logPath), contentType: 'text/plain' });
      }
    },
    { auto: true },
  ],
  csp: [
    async ({ browser, context }, use, testInfo) => {
      const sink = new Sink();
      activeSink = sink;
      guardNewContexts(browser);
      await guard(context);
      await use({ violations: () => sink.collect(false), take: () => sink.take() });
      const left = await sink.collect(false);
      activeSink = null;
      if (left.length > 0) {
        await testInfo.attach('csp-violations.json', {
          body: JSON.stringify(left, null, 2),
          contentType: 'application/json',
        });
      }
      expect(left.map(describe), 'Content-Security-Policy violations').toEqual([]);
    },
    { auto: true },
  ],
});

export { expect };
