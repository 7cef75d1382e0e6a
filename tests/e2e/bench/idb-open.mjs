// Opening a plan from IndexedDB as its history grows: 300 acties with 1k,
// 10k and 50k changes (each written by `crates/regie-core/examples/big_plan.rs`).
// Run by `cargo xtask bench` (not a test): prints one JSON line.
//
// REGIE_BENCH_PLANS: `<changes>=<dir>,...`, each dir holding one plan as a
// relay storage file (`<id>.automerge`, Automerge's `save()`).
//
// Per size, in a fresh browser context: the plan is fetched from the relay
// once and stored; then, over OPEN_RELOADS reloads (default 5), the open
// time from the app starting to read IndexedDB ("regie:store-open") to the
// plan rendered ("regie:plan-shown"), p50 and max. Then the plan's size in
// IndexedDB, against its `save()` size:
// - records: the byte length of the plan's snapshot (store `documents`)
//   plus its appended chunks (store `chunks`), read from the page;
// - on disk: `navigator.storage.estimate()`'s IndexedDB usage for the whole
//   origin (the plan and the two small seeded documents, with IndexedDB's
//   own overhead and compression).
import { copyFile, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { launch } from '../lib/browser.mjs';
import { createToken, freePort, startRelay, tempDir } from '../lib/relay.mjs';

const RELOADS = Number(process.env.OPEN_RELOADS || 5);
const ACTIONS = 300;

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/** Byte lengths of this document's records in the app's IndexedDB. */
function storedBytes(id) {
  return new Promise((resolve, reject) => {
    const open = indexedDB.open('regie');
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const tx = open.result.transaction(['documents', 'chunks'], 'readonly');
      const snapshot = tx.objectStore('documents').get(id);
      const chunks = tx.objectStore('chunks').getAll(IDBKeyRange.bound(`${id}/`, `${id}/\uffff`));
      tx.oncomplete = () => {
        open.result.close();
        resolve({
          snapshot: snapshot.result?.byteLength ?? 0,
          chunks: chunks.result.reduce((sum, c) => sum + c.byteLength, 0),
          chunk_count: chunks.result.length,
        });
      };
      tx.onerror = () => reject(tx.error);
    };
  });
}

const shown = () => performance.getEntriesByName('regie:plan-shown').length > 0
  && document.querySelectorAll('li.action').length === 300;

async function measure(browser, changes, source) {
  const file = (await readdir(source)).find((f) => f.endsWith('.automerge'));
  const id = file.replace(/\.automerge$/, '');
  const saveBytes = (await stat(join(source, file))).size;
  const dataDir = await tempDir();
  await copyFile(join(source, file), join(dataDir, file));
  const relay = await startRelay({ port: await freePort(), dataDir });
  const token = await createToken({ dataDir });
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  try {
    const page = await context.newPage();
    await page.goto(`${relay.url}/plan/${id}?token=${token}`);
    await page.waitForFunction((n) => document.querySelectorAll('li.action').length === n, ACTIONS, { timeout: 180_000 });
    // Stored once the snapshot is there; give trailing writes a moment.
    const deadline = Date.now() + 60_000;
    while ((await page.evaluate(storedBytes, id)).snapshot === 0) {
      if (Date.now() > deadline) throw new Error(`the plan of ${changes} changes was never stored`);
      await page.waitForTimeout(250);
    }
    await page.waitForTimeout(2_000);

    const open = [];
    for (let i = 0; i < RELOADS; i++) {
      await page.reload();
      await page.waitForFunction(shown, null, { timeout: 120_000 });
      open.push(await page.evaluate(() => performance.getEntriesByName('regie:plan-shown')[0].startTime
        - performance.getEntriesByName('regie:store-open')[0].startTime));
    }
    open.sort((x, y) => x - y);
    const records = await page.evaluate(storedBytes, id);
    const estimate = await page.evaluate(async () => (await navigator.storage.estimate()).usageDetails?.indexedDB ?? null);
    const recordBytes = records.snapshot + records.chunks;
    return {
      changes,
      open_p50_ms: +percentile(open, 50).toFixed(1),
      open_max_ms: +open[open.length - 1].toFixed(1),
      save_bytes: saveBytes,
      indexeddb_record_bytes: recordBytes,
      indexeddb_chunks: records.chunk_count,
      records_over_save: +(recordBytes / saveBytes).toFixed(3),
      indexeddb_usage_bytes: estimate,
      usage_over_save: estimate ? +(estimate / saveBytes).toFixed(3) : null,
    };
  } finally {
    await context.close();
    await relay.stop();
  }
}

const plans = (process.env.REGIE_BENCH_PLANS || '').split(',').filter(Boolean).map((entry) => {
  const [changes, dir] = entry.split('=');
  return { changes: Number(changes), dir };
});
if (plans.length === 0) throw new Error('REGIE_BENCH_PLANS: <changes>=<dir>,... written by big_plan');
const browser = await launch();
try {
  // Keyed by change count, so a figure is found by name ("sizes"."10000").
  const sizes = {};
  for (const { changes, dir } of plans) sizes[changes] = await measure(browser, changes, dir);
  console.log(JSON.stringify({ bench: 'open_from_indexeddb', actions: ACTIONS, reloads: RELOADS, sizes }));
} finally {
  await browser.close();
}
