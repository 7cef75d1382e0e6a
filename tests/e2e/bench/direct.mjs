// Direct links against the relay path: edit-to-visible (p50/p99) for 2 and
// 5 devices with the relay on loopback, and with the path to the relay
// slowed by a TCP proxy that holds every chunk RELAY_DELAY_MS each way (a
// community centre's poor uplink); the time until a second device is linked
// directly through the relay's signalling, and by exchanging pairing codes.
// Run by `cargo xtask bench` (not a test): prints one JSON line.
import net from 'node:net';
import { launch, waitFor, waitForSyncState } from '../lib/browser.mjs';
import { createToken, freePort, startRelay, tempDir } from '../lib/relay.mjs';
import { addAction, addAmbition, createPlan } from '../lib/plan.mjs';
import { measure } from './edits.mjs';

const N = Number(process.env.DIRECT_EDITS || 40);
const DELAY = Number(process.env.RELAY_DELAY_MS || 100);

/** A TCP proxy to `port` that delays every chunk by `delay` ms (order kept). */
async function slowProxy(port, delay) {
  const server = net.createServer((client) => {
    const upstream = net.connect(port, '127.0.0.1');
    const later = (to) => (chunk) => setTimeout(() => to.write(chunk), delay);
    client.on('data', later(upstream));
    upstream.on('data', later(client));
    const end = () => { client.destroy(); upstream.destroy(); };
    client.on('error', end); upstream.on('error', end);
    client.on('close', end); upstream.on('close', end);
  });
  const proxyPort = await freePort();
  await new Promise((resolve) => server.listen(proxyPort, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${proxyPort}`, close: () => server.close() };
}

const directPeers = async (page) => Number(await page.getAttribute('.sync-status', 'data-direct'));

/** `n` devices on one plan at `base`; `mesh`: whether they link directly.
 * Returns the pages and how long the second took to be linked directly. */
async function group(browser, base, token, n, mesh) {
  const contexts = [];
  const open = async () => {
    const context = await browser.newContext();
    if (!mesh) await context.addInitScript(() => localStorage.setItem('regie.mesh', 'off'));
    contexts.push(context);
    return context.newPage();
  };
  const a = await open();
  await a.goto(`${base}/?token=${token}`);
  await waitForSyncState(a, 'online', 60_000);
  await createPlan(a, base, 'ledeberg');
  await addAmbition(a, 'Meten');
  await addAction(a, 'Meten', 'Latentie', 'idee');
  const link = await a.inputValue('#edit-link');
  const pages = [a];
  let firstLinkMs = null;
  for (let i = 1; i < n; i++) {
    const page = await open();
    const started = Date.now();
    await page.goto(link);
    await page.locator('li.action').waitFor({ timeout: 60_000 });
    if (mesh && i === 1) {
      await waitFor(async () => (await directPeers(page)) === 1, { timeout: 60_000, message: 'a direct link' });
      firstLinkMs = Date.now() - started;
    }
    pages.push(page);
  }
  if (mesh) {
    for (const page of pages) {
      await waitFor(async () => (await directPeers(page)) === n - 1, { timeout: 90_000, message: 'a full mesh' });
    }
  }
  const result = await measure(pages[0], pages[1], N);
  for (const context of contexts) await context.close();
  return { ...result, first_link_ms: firstLinkMs };
}

/** Two devices that do not meet at the relay, linked by pairing codes. */
async function pairingTime(browser, base, token) {
  const pages = [];
  for (let i = 0; i < 2; i++) {
    const context = await browser.newContext();
    await context.addInitScript(() => localStorage.setItem('regie.mesh', 'off'));
    const page = await context.newPage();
    await page.goto(`${base}/?token=${token}`);
    await waitForSyncState(page, 'online');
    pages.push(page);
  }
  const [shower, taker] = pages;
  const started = Date.now();
  await shower.click('#nearby-open');
  await shower.click('[data-test=grant-edit]');
  await shower.click('[data-test=pairing-show]');
  const code = await waitFor(async () => shower.inputValue('[data-test=pairing-code]'), { message: 'a code' });
  await taker.click('#nearby-open');
  await taker.fill('[data-test=pairing-input]', code);
  await taker.click('[data-test=pairing-take]');
  const answer = await waitFor(async () => taker.inputValue('[data-test=pairing-code]'), { message: 'an answer' });
  await shower.fill('[data-test=pairing-input]', answer);
  await shower.click('[data-test=pairing-take]');
  for (const page of pages) {
    await waitFor(async () => (await directPeers(page)) === 1, { timeout: 30_000, message: 'paired' });
  }
  const ms = Date.now() - started;
  for (const page of pages) await page.context().close();
  return { ms, code_chars: code.length };
}

const dataDir = await tempDir();
const port = await freePort();
const relay = await startRelay({ port, dataDir });
const token = await createToken({ dataDir });
const slow = await slowProxy(port, DELAY);
const browser = await launch();
try {
  const result = {
    bench: 'direct_links',
    edits: N,
    relay_delay_ms: DELAY,
    loopback: {
      relay_2: await group(browser, relay.url, token, 2, false),
      direct_2: await group(browser, relay.url, token, 2, true),
      relay_5: await group(browser, relay.url, token, 5, false),
      direct_5: await group(browser, relay.url, token, 5, true),
    },
    slowed: {
      relay_2: await group(browser, slow.url, token, 2, false),
      direct_2: await group(browser, slow.url, token, 2, true),
    },
    pairing: await pairingTime(browser, relay.url, token),
  };
  console.log(JSON.stringify(result));
} finally {
  await browser.close();
  slow.close();
  await relay.stop();
}
