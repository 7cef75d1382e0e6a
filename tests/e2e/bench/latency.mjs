// Edit in browser A to visible in browser B through the relay on loopback.
// Run by `cargo xtask bench` (not a test): prints one JSON line.
//
// Both contexts live in one Chromium, so they share a clock: A stamps the
// moment it changes a status, B stamps (MutationObserver) the moment the
// row shows it. N edits for 2 peers, then with 8 more peers watching (10).
import { launch, waitForSyncState } from '../lib/browser.mjs';
import { createToken, freePort, startRelay, tempDir } from '../lib/relay.mjs';
import { addAction, addAmbition, createPlan } from '../lib/plan.mjs';

const N = Number(process.env.LATENCY_EDITS || 100);
const STATUSES = ['gepland', 'lopend', 'afgerond', 'idee'];

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

async function measure(a, b, n) {
  await b.evaluate(() => {
    window.__seen = [];
    const row = document.querySelector('li.action');
    new MutationObserver(() => {
      window.__seen.push({ status: row.dataset.status, at: performance.timeOrigin + performance.now() });
    }).observe(row, { attributes: true, attributeFilter: ['data-status'] });
  });
  const samples = [];
  for (let i = 0; i < n; i++) {
    const status = STATUSES[i % STATUSES.length];
    const sent = await a.evaluate((s) => {
      const select = document.querySelector('select.action-status');
      const at = performance.timeOrigin + performance.now();
      select.value = s;
      select.dispatchEvent(new Event('change', { bubbles: true }));
      return at;
    }, status);
    const seen = await b.waitForFunction(
      ([s, after]) => window.__seen.find((e) => e.status === s && e.at >= after)?.at,
      [status, sent],
      { timeout: 10_000, polling: 'raf' },
    );
    samples.push((await seen.jsonValue()) - sent);
  }
  samples.sort((x, y) => x - y);
  return { p50_ms: +percentile(samples, 50).toFixed(2), p99_ms: +percentile(samples, 99).toFixed(2), samples: n };
}

const dataDir = await tempDir();
const relay = await startRelay({ port: await freePort(), dataDir });
const token = await createToken({ dataDir });
const browser = await launch();
try {
  const open = async () => (await browser.newContext()).newPage();
  const a = await open();
  await a.goto(`${relay.url}/?token=${token}`);
  await waitForSyncState(a, 'online');
  await createPlan(a, relay.url, 'ledeberg');
  await addAmbition(a, 'Meten');
  await addAction(a, 'Meten', 'Latentie', 'idee');
  const link = await a.inputValue('#edit-link');
  const b = await open();
  await b.goto(link);
  await b.locator('li.action').waitFor({ timeout: 15_000 });
  const two = await measure(a, b, N);
  const watchers = [];
  for (let i = 0; i < 8; i++) {
    const w = await open();
    await w.goto(link);
    await w.locator('li.action').waitFor({ timeout: 15_000 });
    watchers.push(w);
  }
  const ten = await measure(a, b, N);
  console.log(JSON.stringify({ bench: 'edit_to_visible', peers_2: two, peers_10: ten, target_p99_ms: 100 }));
} finally {
  await browser.close();
  await relay.stop();
}
