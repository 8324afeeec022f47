// Herald's service worker (issue #23): instant repeat visits and an offline shell.
//
// Served from the base href (Trunk copies this file as it is), so its scope is the deployment
// (`/` or `/herald/`). `sw-manifest.js`, written by `cargo xtask build`, names this build's
// files and a version derived from their contents:
// - on install, those files and index.html are precached in a cache of that version;
// - the build's files are answered cache-first (their names carry content hashes);
// - a page (navigation) is network-first, the cached index.html when the network fails;
// - config.json is network-first (never stale when the network answers), its last answer
//   when the network fails;
// - anything else (the API, other origins, files of another build) passes through untouched,
//   and the socket never reaches a service worker.
// A new build's worker waits: the page asks the user, then posts 'skip-waiting'. Activating
// removes the caches of earlier builds of this scope and turns navigation preload on.
importScripts('sw-manifest.js');

const BUILD = self.heraldPrecache;
const SCOPE = self.registration.scope;
// Cache Storage is per origin: two deployments on one origin keep apart by their scope.
const PREFIX = `herald ${SCOPE} `;
const ASSETS = `${PREFIX}build ${BUILD.version}`;
const CONFIG = `${PREFIX}config`;
const INDEX = new URL('index.html', SCOPE).href;
const CONFIG_URL = new URL('config.json', SCOPE).href;
const PRECACHED = new Set(BUILD.assets.map((name) => new URL(name, SCOPE).href));
// Trunk's content-hashed file names: `herald-3482ee750050b7ac_bg.wasm`, `main-6dc669bc12f43670.css`.
const HASHED = /-[0-9a-f]{16}(_bg)?\.[a-z]+$/;

self.addEventListener('install', (event) => {
  event.waitUntil(
    Promise.all([
      caches.open(ASSETS).then((cache) =>
        cache.addAll(
          [...PRECACHED, INDEX].map(
            // Hashed names are taken from the HTTP cache when there (the page has just loaded
            // them: a first visit downloads nothing twice); the page and the unhashed static/
            // files are revalidated, so a stale copy never becomes this build's.
            (url) => new Request(url, { cache: HASHED.test(url) ? 'default' : 'no-cache' }),
          ),
        ),
      ),
      // The first visit read config.json before this worker existed: keep its answer now, so
      // that an offline start has one. (Failing here does not fail the install.)
      fetch(CONFIG_URL, { cache: 'no-store' })
        .then((response) => keepConfig(response))
        .catch(() => {}),
    ]),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    Promise.all([
      // The page's request starts while the worker boots, instead of after it.
      self.registration.navigationPreload?.enable(),
      removeOldBuilds(),
    ]),
  );
});

/** Removes the caches of earlier builds of this scope. */
function removeOldBuilds() {
  return caches
    .keys()
    .then((names) =>
      Promise.all(
        names
          .filter((name) => name.startsWith(`${PREFIX}build `) && name !== ASSETS)
          .map((name) => caches.delete(name)),
      ),
    );
}

self.addEventListener('message', (event) => {
  if (event.data === 'skip-waiting') self.skipWaiting();
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = request.url.split('#')[0];
  if (PRECACHED.has(url)) {
    event.respondWith(caches.match(url, { cacheName: ASSETS }).then((hit) => hit || fetch(request)));
  } else if (url.split('?')[0] === CONFIG_URL) {
    event.respondWith(networkFirstConfig(event));
  } else if (request.mode === 'navigate' && url.startsWith(SCOPE)) {
    // The page will ask for config.json as soon as it arrives: ask now, beside the page, so
    // the two round trips overlap (still the network's answer, only earlier).
    configAhead = { at: Date.now(), response: fetch(CONFIG_URL, { cache: 'no-store' }) };
    configAhead.response.catch(() => {});
    event.respondWith(
      networkFirstPage(event).catch((error) =>
        caches.match(INDEX, { cacheName: ASSETS }).then((hit) => hit || Promise.reject(error)),
      ),
    );
  }
});

/** The page from the network: the navigation preload's answer when there is one. */
async function networkFirstPage(event) {
  const preloaded = await event.preloadResponse;
  return preloaded || fetch(event.request);
}

/** config.json asked for at the page's navigation, for the page's own request just after. */
let configAhead = null;
/** How long such an early answer stands for the page's request. */
const CONFIG_AHEAD_MS = 10_000;

/** The network's answer (a 404 too: "no config.json" is an answer), kept for offline use. */
async function networkFirstConfig(event) {
  try {
    const ahead = configAhead && Date.now() - configAhead.at < CONFIG_AHEAD_MS ? configAhead : null;
    configAhead = null;
    const response = (ahead && (await ahead.response.catch(() => null))) || (await fetch(event.request));
    event.waitUntil(keepConfig(response.clone()).catch(() => {}));
    return response;
  } catch (error) {
    const hit = await caches.match(CONFIG_URL, { cacheName: CONFIG });
    if (hit) return hit;
    throw error;
  }
}

/** Keeps config.json's answer for offline starts: the file (200) or its absence (404). */
async function keepConfig(response) {
  if (response.status !== 200 && response.status !== 404) return;
  const cache = await caches.open(CONFIG);
  await cache.put(CONFIG_URL, response);
}
