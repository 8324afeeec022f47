// Registers the service worker (sw.js, beside index.html: its scope is the deployment) once the
// page has loaded, and tells the app when a new build's worker waits: `heraldNewBuild` and the
// `herald-new-build` event, read by src/services/worker.rs. Herald never reloads by itself:
// `heraldApplyNewBuild()` (the user's "Reload") lets the waiting worker take over, then reloads.
(() => {
  const container = navigator.serviceWorker;
  if (!container) return;
  // A tab left open asks for a new build this often (the browser also asks on navigations).
  const CHECK_MS = 30 * 60 * 1000;
  const announce = () => {
    window.heraldNewBuild = true;
    dispatchEvent(new Event('herald-new-build'));
  };
  // A newer build waits while this page runs an earlier one (the first install has no
  // controller: that page already runs the newest build).
  const waits = (r) => !!(r.waiting && container.controller);
  const watch = (r) => {
    if (!(r instanceof ServiceWorkerRegistration)) return;
    if (waits(r)) announce();
    r.addEventListener('updatefound', () => {
      const worker = r.installing;
      worker?.addEventListener('statechange', () => {
        if (worker.state === 'installed' && waits(r)) announce();
      });
    });
    setInterval(() => r.update().catch(() => {}), CHECK_MS);
  };
  const register = () =>
    // `updateViaCache: 'none'`: update checks ask the server for sw.js and its manifest.
    container.register('sw.js', { scope: './', updateViaCache: 'none' }).then(watch, () => {});
  if (document.readyState === 'complete') register();
  else addEventListener('load', register, { once: true });
  window.heraldApplyNewBuild = async () => {
    const r = await container.getRegistration().catch(() => undefined);
    const waiting = r?.waiting;
    if (!waiting) return location.reload();
    container.addEventListener('controllerchange', () => location.reload(), { once: true });
    waiting.postMessage('skip-waiting');
  };
})();
