// A big plan in Chromium: 300 acties with 5,000 changes of history (made by
// `cargo run --release -p regie-core --example big_plan`, whose output dir is
// REGIE_BENCH_DATA). Run by `cargo xtask bench` (not a test): prints one
// JSON line.
//
// - open: from the app starting to read IndexedDB ("regie:store-open") to
//   the plan rendered ("regie:plan-shown"), over reloads once the plan is
//   stored on the device. Also from navigation start, for context, and the
//   parts: reading IndexedDB plus loading Automerge, and reading the plan
//   out of the document.
// - keystroke: typing into an actie's description. Per key, from the key
//   event's timestamp to (a) the end of the app's handling, measured by a
//   message posted at keydown (it runs after the key's task and its
//   microtasks, where the app writes Automerge, IndexedDB and the DOM), and
//   (b) the next animation frame after that. For comparison, (a) while
//   typing in a plain one-line field of the same page, and (a) counted from
//   when the page receives the key (the first keydown listener) rather than
//   from the event's timestamp, which leaves out the browser's input queue.
import { copyFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { launch } from '../lib/browser.mjs';
import { createToken, freePort, startRelay, tempDir } from '../lib/relay.mjs';

const RELOADS = Number(process.env.OPEN_RELOADS || 10);
const KEYS = Number(process.env.KEYSTROKES || 200);

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

function summary(samples) {
  const s = [...samples].sort((x, y) => x - y);
  const r = (v) => +v.toFixed(2);
  return { p50_ms: r(percentile(s, 50)), p95_ms: r(percentile(s, 95)), max_ms: r(s[s.length - 1]), n: s.length };
}

const source = process.env.REGIE_BENCH_DATA;
if (!source) throw new Error('REGIE_BENCH_DATA: the directory big_plan wrote to');
const file = (await readdir(source)).find((f) => f.endsWith('.automerge'));
const id = file.replace(/\.automerge$/, '');
const dataDir = await tempDir();
await copyFile(join(source, file), join(dataDir, file));
const relay = await startRelay({ port: await freePort(), dataDir });
const token = await createToken({ dataDir });
const browser = await launch();
try {
  const page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
  await page.goto(`${relay.url}/plan/${id}?token=${token}`);
  await page.waitForFunction(() => document.querySelectorAll('li.action').length === 300, null, { timeout: 60_000 });
  // Let the first save to IndexedDB finish.
  await page.waitForTimeout(2_000);

  const open = [];
  const fromNavigation = [];
  const loading = [];
  const reading = [];
  for (let i = 0; i < RELOADS; i++) {
    await page.reload();
    await page.waitForFunction(() => performance.getEntriesByName('regie:plan-shown').length > 0
      && document.querySelectorAll('li.action').length === 300, null, { timeout: 30_000 });
    const [start, loaded, readStart, readEnd, shown] = await page.evaluate(() => [
      'regie:store-open', 'regie:documents-loaded', 'regie:plan-read-start', 'regie:plan-read-end', 'regie:plan-shown',
    ].map((name) => performance.getEntriesByName(name)[0].startTime));
    open.push(shown - start);
    loading.push(loaded - start);
    reading.push(readEnd - readStart);
    fromNavigation.push(shown);
  }

  // Installs the per-key measurement; returns nothing, fills window.__handled/__frame.
  const measureKeys = () => page.evaluate(() => {
    window.__handled = [];
    window.__frame = [];
    window.__inPage = [];
    if (window.__measuring) return;
    window.__measuring = true;
    document.addEventListener('keydown', (ev) => {
      const start = ev.timeStamp;
      const dispatched = performance.now();
      const channel = new MessageChannel();
      channel.port1.onmessage = () => {
        window.__handled.push(performance.now() - start);
        window.__inPage.push(performance.now() - dispatched);
        requestAnimationFrame(() => window.__frame.push(performance.now() - start));
      };
      channel.port2.postMessage(0);
    }, true);
  });
  const text = 'Wekelijks overleg met de buurtbewoners en partners. ';
  const typeKeys = async (n) => {
    for (let i = 0; i < n; i++) {
      await page.keyboard.type(text[i % text.length]);
      await page.waitForTimeout(30);
    }
    await page.waitForTimeout(500);
  };

  // Baseline: the same page, typing in a plain field (a new ambitie's title).
  await page.locator('#new-ambition').focus();
  await measureKeys();
  await typeKeys(50);
  const baseline = await page.evaluate(() => window.__handled);

  await page.locator('.action-title', { hasText: /^Actie 7$/ }).click();
  await page.locator('#action-description').waitFor();
  await page.locator('#action-description').focus();
  await page.keyboard.press('End');
  await page.waitForTimeout(200);
  await measureKeys();
  await typeKeys(KEYS);
  const [handled, frame, inPage, typed] = await page.evaluate(() => [
    window.__handled, window.__frame, window.__inPage, document.querySelector('#action-description').value,
  ]);
  if (!typed.endsWith(text.slice(0, KEYS % text.length))) throw new Error('the typed text did not arrive');
  console.log(JSON.stringify({
    bench: 'big_plan',
    actions: 300,
    history_changes: 5000,
    open_from_indexeddb: summary(open),
    open_since_navigation: summary(fromNavigation),
    open_parts: { indexeddb_and_automerge_load: summary(loading), plan_read: summary(reading) },
    keystroke_handled: summary(handled),
    keystroke_from_dispatch: summary(inPage),
    keystroke_baseline_plain_field: summary(baseline),
    keystroke_next_frame: summary(frame),
    targets: { open_ms: 150, keystroke_p95_ms: 16 },
  }));
} finally {
  await browser.close();
  await relay.stop();
}
