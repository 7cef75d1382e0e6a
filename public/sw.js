// Regie's service worker: keeps the app on this device, so it starts with no
// network at all (also after the browser restarts) and never waits on a poor
// connection. Documents themselves live in IndexedDB, not here.
//
// - Install: stores the page ("the shell"), every app file it names (Trunk's
//   hashed script, wasm and stylesheets), the manifest and the icons.
// - Pages: the stored shell at once (routes are client-side). The network is
//   used only when nothing is stored.
// - Other files of this origin: cache first (hashed names never go stale).
// - /sync, /healthz, /api/* and this script are never touched.
// - New versions: a page posts {type: 'regie-check'}; the worker fetches the
//   server's shell and, if it names other app files, stores the new files
//   and then the new shell (so a stored shell never names a missing file).
//   It answers every window with {type: 'regie-version', build}; a page
//   running another build offers to reload. A new copy of this script
//   installs next to the running one and waits until the person chooses to
//   reload ({type: 'regie-skip-waiting'}); only the very first worker takes
//   over at once.
//
// Bump VERSION when this file's caching changes: the cache gets a new name
// and older `regie-` caches are deleted once the new worker takes over.
const VERSION = 2;
const CACHE = `regie-app-v${VERSION}`;
const SHELL = '/';
const STATIC = [
  '/public/manifest.webmanifest',
  '/public/favicon.svg',
  '/public/icon.svg',
  '/public/icon-192.png',
  '/public/icon-512.png',
  '/public/icon-maskable-512.png',
  '/public/apple-touch-icon.png',
];

function untouched(path) {
  return path === '/sync' || path === '/healthz' || path.startsWith('/api/') || path === '/sw.js';
}

/** The files of this origin a shell names ('/x.js', "/public/y.png", ...). */
function filesOf(html) {
  const paths = [...html.matchAll(/["'](\/[\w./-]+\.(?:js|wasm|css|svg|png|webmanifest|ico))["']/g)];
  return [...new Set(paths.map((m) => m[1]))];
}

/** Which build a shell is: its hashed app files (name-<hash>: Trunk writes 8 to 16 hex digits, no leading zeros), sorted.
 * The page computes the same from its own <link>s (platform/device/build.rs). */
function buildOf(html) {
  const hashed = filesOf(html).filter((p) => /-[0-9a-f]{8,16}(?:_bg)?\.(?:js|wasm|css)$/.test(p));
  return hashed.sort().join(' ');
}

async function fetchShell() {
  const response = await fetch(SHELL, { cache: 'no-store' });
  if (!response.ok) throw new Error(`the shell answered ${response.status}`);
  return { response, html: await response.clone().text() };
}

/** Stores a shell after every file it names; then forgets files no longer named. */
async function store(cache, { response, html }) {
  const files = filesOf(html);
  // Without the app's own files the shell is useless offline: these must all arrive.
  await cache.addAll(files.map((path) => new Request(path, { cache: 'no-cache' })));
  // Icons and the manifest are welcome but not essential.
  await Promise.allSettled(
    STATIC.filter((p) => !files.includes(p)).map((p) => cache.add(new Request(p, { cache: 'no-cache' }))),
  );
  await cache.put(SHELL, response);
  const keep = new Set([SHELL, ...files, ...STATIC]);
  for (const request of await cache.keys()) {
    if (!keep.has(new URL(request.url).pathname)) await cache.delete(request);
  }
}

self.addEventListener('install', (event) => {
  event.waitUntil((async () => {
    await store(await caches.open(CACHE), await fetchShell());
    if (!self.registration.active) await self.skipWaiting();
  })());
});

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    for (const key of await caches.keys()) {
      if (key.startsWith('regie-') && key !== CACHE) await caches.delete(key);
    }
    await self.clients.claim();
  })());
});

let checking = null;

/** Looks for a new build on the server (one check at a time). */
function checkForUpdate() {
  checking ??= refresh().finally(() => { checking = null; });
  return checking;
}

async function refresh() {
  let fresh;
  try {
    fresh = await fetchShell();
  } catch {
    return; // Offline or server down: the next check will tell.
  }
  const build = buildOf(fresh.html);
  if (!build) return;
  const cache = await caches.open(CACHE);
  const cached = await cache.match(SHELL);
  if (!cached || buildOf(await cached.text()) !== build) await store(cache, fresh);
  for (const client of await self.clients.matchAll({ type: 'window' })) {
    client.postMessage({ type: 'regie-version', build });
  }
}

self.addEventListener('message', (event) => {
  const type = event.data && event.data.type;
  if (type === 'regie-skip-waiting') {
    event.waitUntil(self.skipWaiting());
  } else if (type === 'regie-check') {
    event.waitUntil(checkForUpdate().catch((e) => console.warn('Regie: update check failed', e)));
  }
});

async function page(request) {
  const cached = await (await caches.open(CACHE)).match(SHELL);
  return cached || fetch(request);
}

async function file(request) {
  const cache = await caches.open(CACHE);
  const cached = await cache.match(request);
  if (cached) return cached;
  const response = await fetch(request);
  // The server answers unknown paths with the shell (HTML): never keep that as a file.
  const html = (response.headers.get('content-type') || '').startsWith('text/html');
  if (response.ok && !html) await cache.put(request, response.clone());
  return response;
}

self.addEventListener('fetch', (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== 'GET' || url.origin !== self.location.origin || untouched(url.pathname)) return;
  // A page, not a file the user opened directly (e.g. an icon).
  const isPage = request.mode === 'navigate' && !/\.\w+$/.test(url.pathname);
  event.respondWith(isPage ? page(request) : file(request));
});
