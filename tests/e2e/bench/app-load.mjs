// App load in Chromium under a slow device and network: cold (fresh
// profile, nothing cached) and warm (the same profile again, the service
// worker in control), to interactive. Run by `cargo xtask bench` (not a
// test): prints one JSON line.
//
// Throttling, set over CDP on each page before it navigates:
// - CPU: `Emulation.setCPUThrottlingRate {rate: 4}`;
// - network: Lighthouse's "slow 4G" (its mobile "simulated throttling"
//   profile, applied here as DevTools throttling): 150 ms RTT × 3.75 =
//   562.5 ms latency, 1,638.4 kbit/s × 0.9 down, 750 kbit/s × 0.9 up.
//
// "Interactive": the home page's wijk select is there and enabled *and* the
// app has read this device's documents from IndexedDB (performance mark
// `regie:documents-loaded`), whichever comes later, in ms since navigation
// start. A MutationObserver installed before the page's own scripts stamps
// the select's moment, so polling from here adds nothing to the figure.
//
// Also: the bytes the cold load transferred (CDP `encodedDataLength`: what
// went over the wire, headers included) and whether the relay compressed
// them. LOAD_RUNS (default 5) runs of each; medians are reported.
import { launch } from '../lib/browser.mjs';
import { createToken, freePort, startRelay, tempDir } from '../lib/relay.mjs';

const RUNS = Number(process.env.LOAD_RUNS || 5);
const SLOW_4G = {
  offline: false,
  latency: 562.5,
  downloadThroughput: (1638.4 * 1024 * 0.9) / 8,
  uploadThroughput: (750 * 1024 * 0.9) / 8,
};
const CPU_SLOWDOWN = 4;

function median(values) {
  const s = [...values].sort((x, y) => x - y);
  const mid = Math.floor(s.length / 2);
  return +(s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2).toFixed(1);
}

/** Stamps when the wijk select is present and enabled, into window.__ready. */
function watchReady() {
  const check = () => {
    const select = document.querySelector('#wijk-select');
    if (window.__ready === undefined && select && !select.disabled) window.__ready = performance.now();
  };
  new MutationObserver(check).observe(document, { subtree: true, childList: true, attributes: true });
}

/** Opens the app in a new page of `context` under throttling; returns timings and bytes. */
async function load(context, url) {
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', SLOW_4G);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: CPU_SLOWDOWN });
  let bytes = 0;
  const encodings = new Set();
  cdp.on('Network.responseReceived', ({ response }) => {
    const encoding = response.headers['content-encoding'] || response.headers['Content-Encoding'];
    if (encoding) encodings.add(encoding);
  });
  cdp.on('Network.loadingFinished', ({ encodedDataLength }) => { bytes += encodedDataLength; });
  await page.addInitScript(watchReady);
  await page.goto(url, { waitUntil: 'commit' });
  await page.waitForFunction(
    () => window.__ready !== undefined && performance.getEntriesByName('regie:documents-loaded').length > 0,
    null,
    { timeout: 60_000, polling: 200 },
  );
  const result = await page.evaluate(() => ({
    select: window.__ready,
    loaded: performance.getEntriesByName('regie:documents-loaded')[0].startTime,
    controlled: navigator.serviceWorker?.controller != null,
  }));
  return { page, cdp, bytes, encodings: [...encodings], interactive: Math.max(result.select, result.loaded), ...result };
}

const dataDir = await tempDir();
const relay = await startRelay({ port: await freePort(), dataDir });
const token = await createToken({ dataDir });
const browser = await launch();
const cold = [];
const warm = [];
const bytes = [];
let encodings = [];
let warmControlled = true;
try {
  const url = `${relay.url}/?token=${token}`;
  for (let run = 0; run < RUNS; run++) {
    const context = await browser.newContext();
    const first = await load(context, url);
    cold.push(first.interactive);
    bytes.push(first.bytes);
    encodings = [...new Set([...encodings, ...first.encodings])];
    // The worker installs (and stores the app) after the first load; warm
    // means it is in control, so wait for that without throttling.
    await first.cdp.send('Emulation.setCPUThrottlingRate', { rate: 1 });
    await first.cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
    await first.page.evaluate(async () => {
      await navigator.serviceWorker.ready;
      if (!navigator.serviceWorker.controller) {
        await new Promise((resolve) => navigator.serviceWorker.addEventListener('controllerchange', resolve, { once: true }));
      }
    });
    await first.page.close();
    const second = await load(context, url);
    warm.push(second.interactive);
    warmControlled &&= second.controlled;
    await context.close();
  }
  console.log(JSON.stringify({
    bench: 'app_load',
    runs: RUNS,
    throttling: { cpu_slowdown: CPU_SLOWDOWN, network: 'slow 4G', latency_ms: SLOW_4G.latency, down_kbps: 1474.6, up_kbps: 675 },
    cold_interactive_ms: median(cold),
    warm_interactive_ms: median(warm),
    warm_over_cold: +(median(warm) / median(cold)).toFixed(3),
    cold_samples_ms: cold.map((v) => +v.toFixed(1)),
    warm_samples_ms: warm.map((v) => +v.toFixed(1)),
    warm_served_by_service_worker: warmControlled,
    cold_transfer_bytes: median(bytes),
    content_encodings: encodings,
    targets: { cold_ms: 2500, warm_ms: 500 },
  }));
} finally {
  await browser.close();
  await relay.stop();
}
