// Edit in browser A to visible in browser B through the relay on loopback.
// Run by `cargo xtask bench` (not a test): prints one JSON line.
//
// Both contexts live in one Chromium, so they share a clock: A stamps the
// moment it changes a status, B stamps (MutationObserver) the moment the
// row shows it. N edits for 2 peers, then with 8 more peers watching (10).
// Direct links are off (`regie.mesh`): this is the path through the relay;
// `direct.mjs` measures direct links against it.
import { launch, waitForSyncState } from '../lib/browser.mjs';
import { createToken, freePort, startRelay, tempDir } from '../lib/relay.mjs';
import { addAction, addAmbition, createPlan } from '../lib/plan.mjs';
import { measure } from './edits.mjs';

const N = Number(process.env.LATENCY_EDITS || 100);

const dataDir = await tempDir();
const relay = await startRelay({ port: await freePort(), dataDir });
const token = await createToken({ dataDir });
const browser = await launch();
try {
  const open = async () => {
    const context = await browser.newContext();
    await context.addInitScript(() => localStorage.setItem('regie.mesh', 'off'));
    return context.newPage();
  };
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
