// Reads config.json while the wasm is still downloading and compiling, so the app has its
// configuration the moment it starts: src/services/config_loader.rs takes this answer (and
// fetches the file itself when there is none). The request is the app's own (no-store, CORS
// mode, same-origin credentials), so it is answered by index.html's <link rel="preload">, and it
// is given up after 15 s like every request of the app (REQUEST_TIMEOUT_MS). Deferred, it runs
// before the app's loader (the module script after it); should the app have started first all
// the same, it has taken `heraldConfig` (now null) and this does nothing.
(() => {
  if ('heraldConfig' in window) return;
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), 15000);
  const answer = fetch('config.json', { cache: 'no-store', signal: controller.signal }).then(async (r) => ({
    status: r.status,
    statusText: r.statusText,
    type: r.headers.get('content-type') || '',
    text: r.ok ? await r.text() : '',
  }));
  window.heraldConfig = answer.then(
    (a) => {
      clearTimeout(timer);
      return a;
    },
    () => {
      clearTimeout(timer);
      throw controller.signal.aborted ? 'timeout' : 'network';
    },
  );
  // Not "unhandled" if the app never takes it (it failed to start).
  window.heraldConfig.catch(() => {});
})();
