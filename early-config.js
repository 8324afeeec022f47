// Reads config.json while the wasm downloads: src/services/config_loader.rs explains.
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
    (a) => (clearTimeout(timer), a),
    () => {
      clearTimeout(timer);
      throw controller.signal.aborted ? 'timeout' : 'network';
    },
  );
  window.heraldConfig.catch(() => {});
})();
