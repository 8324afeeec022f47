// Installed by the browser benchmark with page.addInitScript, before any app code runs. It
// measures, identically for every client: when each socket frame arrives (a wrapped WebSocket,
// listener added before the app's own), when its text first appears in the DOM (one
// MutationObserver), when named predicates first hold, and what a click changed.
(() => {
  const now = () => performance.now();
  const B = (window.__bench = {
    sockets: [],
    // Sockets created so far (the soak trims `sockets`, so it counts here).
    opened: 0,
    received: new Map(),
    seen: new Map(),
    marks: {},
    predicates: {},
    memory: null,
    click: null,
    longtasks: [],
  });
  // Main-thread tasks over 50 ms (the Long Tasks API's threshold), from the page's start.
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) B.longtasks.push({ start: e.startTime, duration: e.duration });
    }).observe({ type: 'longtask', buffered: true });
  } catch {}
  /** The longest task over 50 ms overlapping [from, to] and how many there were (0, 0: none). */
  B.longest = (from, to) => {
    const hit = B.longtasks.filter((t) => t.start < to && t.start + t.duration > from);
    return { longest: hit.reduce((m, t) => Math.max(m, t.duration), 0), count: hit.length };
  };
  const MARK = /(Stream message|Flood notification|Burst message|FAR-)\s?(\d+)/g;
  const scan = (text, t, into) => {
    MARK.lastIndex = 0;
    let m;
    while ((m = MARK.exec(text))) {
      const k = `${m[1]}:${Number(m[2])}`;
      if (!into.has(k)) into.set(k, t);
      if (into === B.received) return;
    }
  };

  const Native = window.WebSocket;
  class Probed extends Native {
    constructor(...args) {
      super(...args);
      B.sockets.push(this);
      B.opened += 1;
      this.addEventListener('message', (e) => {
        const t = now();
        if (typeof e.data === 'string') scan(e.data, t, B.received);
      });
    }
  }
  window.WebSocket = Probed;

  // wasm linear memory, wherever the app instantiates its module.
  const keep = (result) => {
    const instance = result instanceof WebAssembly.Instance ? result : result && result.instance;
    const memory = instance && instance.exports && instance.exports.memory;
    if (memory instanceof WebAssembly.Memory) B.memory = memory;
    return result;
  };
  for (const name of ['instantiate', 'instantiateStreaming']) {
    const original = WebAssembly[name];
    if (original) WebAssembly[name] = (...a) => original.apply(WebAssembly, a).then(keep);
  }

  window.addEventListener(
    'click',
    (e) => {
      B.click = { at: e.timeStamp, target: e.target, effect: null, frame: null };
    },
    true,
  );

  const observer = new MutationObserver((records) => {
    const t = now();
    for (const r of records) {
      if (r.type === 'childList') {
        for (const n of r.addedNodes) {
          const s = n.textContent;
          if (s) scan(s, t, B.seen);
        }
      } else if (r.type === 'characterData') {
        scan(r.target.data, t, B.seen);
      } else if (r.type === 'attributes' && r.attributeName === 'aria-pressed') {
        const c = B.click;
        if (c && c.effect === null && r.target === c.target && r.target.getAttribute('aria-pressed') === 'true') {
          c.effect = t;
          requestAnimationFrame(() => {
            c.frame = now();
          });
        }
      }
    }
    for (const name in B.predicates) {
      if (!(name in B.marks)) {
        try {
          if (B.predicates[name]()) B.marks[name] = t;
        } catch {}
      }
    }
  });
  const start = () =>
    observer.observe(document, {
      subtree: true,
      childList: true,
      characterData: true,
      attributes: true,
      attributeFilter: ['aria-pressed', 'data-connection', 'hidden'],
    });
  start();
  // Named predicates, not source strings: the app runs under a CSP without 'unsafe-eval',
  // so `new Function` is refused in its pages.
  const statusText = (text) => (document.querySelector('[role=status]') || {}).textContent === text;
  B.preds = {
    form: () => !!document.querySelector('input[type=password]'),
    // Herald's own sign-in form: the early one index.html draws (#shell) gone.
    heraldStarted: () => !!document.querySelector('input[type=password]') && !document.getElementById('shell'),
    heraldConnected: () => !!document.querySelector('[data-connection="connected"]'),
    heraldReady: () =>
      !!document.querySelector('[data-connection="connected"]') && !!document.querySelector('section.inbox'),
    statusConnected: () => statusText('connected'),
  };
  B.watch = (name, pred) => {
    B.predicates[name] = B.preds[pred];
    delete B.marks[name];
    if (B.predicates[name]()) B.marks[name] = now();
  };
})();
