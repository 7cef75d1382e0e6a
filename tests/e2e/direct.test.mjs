// Devices that meet directly (WebRTC data channels between browser
// contexts): found through the relay and kept when it dies; paired in person
// by code with no server at all, a third device joining through one of them;
// a read-only grant keeps the reader's changes off the granting device.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { device, waitFor, waitForSyncState } from './lib/browser.mjs';
import { launch } from './lib/browser.mjs';
import { action, addAction, addAmbition, createPlan } from './lib/plan.mjs';
import { createToken, freePort, startRelay, tempDir } from './lib/relay.mjs';

let browser;
const relays = [];

before(async () => {
  browser = await launch();
});

after(async () => {
  await browser?.close();
  for (const relay of relays) await relay.stop('SIGKILL');
});

async function stack(extraArgs = []) {
  const port = await freePort();
  const dataDir = await tempDir();
  const relay = await startRelay({ port, dataDir, extraArgs });
  relays.push(relay);
  return { port, dataDir, relay, token: await createToken({ dataDir }) };
}

async function directPeers(page) {
  return Number(await page.getAttribute('.sync-status', 'data-direct'));
}

async function waitForDirect(page, n, timeout = 30_000) {
  await waitFor(async () => (await directPeers(page)) === n, { timeout, message: `${n} direct links` });
}

test('three devices found through the relay keep editing together when it dies, and it gets everything back', async () => {
  const { port, dataDir, relay, token } = await stack();
  const pages = [];
  for (const name of ['A', 'B', 'C']) {
    const { page } = await device(browser, name);
    await page.goto(`${relay.url}/?token=${token}`);
    await waitForSyncState(page, 'online');
    pages.push(page);
  }
  const [pa, pb, pc] = pages;
  const url = await createPlan(pa, relay.url, 'brugse-poort-rooigem');
  await addAmbition(pa, 'Jongeren');
  for (const page of [pb, pc]) {
    await page.goto(url);
    await page.getByText('Jongeren').first().waitFor({ timeout: 15_000 });
  }
  for (const page of pages) await waitForDirect(page, 2);
  assert.match(await pa.textContent('.sync-status'), /direct met 2 toestellen/);

  await relay.stop('SIGKILL');
  for (const page of pages) await waitForSyncState(page, 'offline', 30_000);
  assert.match(await pa.textContent('.sync-status'), /Direct verbonden met 2 toestellen/);

  await addAction(pa, 'Jongeren', 'Pleinwerking', 'gepland');
  await addAction(pc, 'Jongeren', 'Huiswerkklas', 'idee');
  for (const page of pages) {
    await action(page, 'Pleinwerking').waitFor({ timeout: 10_000 });
    await action(page, 'Huiswerkklas').waitFor({ timeout: 10_000 });
  }
  // Not on the server, but held by the devices nearby.
  await waitFor(async () => /ook op 2 toestellen in de buurt/.test(await pa.textContent('.sync-nearby')), {
    message: 'A says its changes are held nearby',
  });

  const back = await startRelay({ port, dataDir });
  relays.push(back);
  for (const page of pages) await waitForSyncState(page, 'online', 60_000);
  await waitFor(async () => Number(await pa.getAttribute('.sync-pending', 'data-pending')) === 0, {
    timeout: 30_000, message: 'A fully confirmed by the relay',
  });
  const { page: fresh } = await device(browser, 'D');
  await fresh.goto(`${back.url}/?token=${token}`);
  await waitForSyncState(fresh, 'online');
  await fresh.goto(url);
  for (const title of ['Pleinwerking', 'Huiswerkklas']) {
    await action(fresh, title).waitFor({ timeout: 20_000 });
  }
  for (const page of [...pages, fresh]) assert.deepEqual(page.errors, []);
});

/** Follows the home page's link to the plan at `url`, as a person would. */
async function openInApp(page, url) {
  await page.click('a[href="/"]');
  await page.click(`a[href="${new URL(url).pathname}"]`, { timeout: 15_000 });
}

/** Pairs `shower` (shows its code) with `taker` (pastes it) by text codes. */
async function pair(shower, taker, { grant = 'edit' } = {}) {
  const before = [await directPeers(shower), await directPeers(taker)];
  await shower.click('#nearby-open');
  await shower.click(`[data-test=grant-${grant}]`);
  await shower.getByRole('button', { name: /Toon mijn code/ }).click();
  const code = await waitFor(async () => shower.inputValue('[data-test=pairing-code]'), { message: 'a code' });
  await taker.click('#nearby-open');
  await taker.fill('[data-test=pairing-input]', code);
  await taker.click('[data-test=pairing-take]');
  const answer = await waitFor(async () => taker.inputValue('[data-test=pairing-code]'), { message: 'an answer' });
  assert.notEqual(answer, code);
  await shower.fill('[data-test=pairing-input]', answer);
  await shower.click('[data-test=pairing-take]');
  await waitForDirect(shower, before[0] + 1);
  await waitForDirect(taker, before[1] + 1);
  for (const page of [shower, taker]) {
    await page.click('section.nearby button.close');
    await page.locator('.nearby-backdrop').waitFor({ state: 'detached' });
  }
}

test('with no server in reach, devices pair by code, a third joins through one, and a read-only grant holds', async () => {
  const { relay, token } = await stack();
  const devices = [];
  for (const name of ['A', 'B', 'C']) {
    const d = await device(browser, name);
    await d.page.goto(`${relay.url}/?token=${token}`);
    await waitForSyncState(d.page, 'online');
    // Off the network before the next arrives: they never meet at the relay.
    await d.context.setOffline(true);
    await waitForSyncState(d.page, 'offline');
    devices.push(d);
  }
  await relay.stop('SIGKILL');
  for (const d of devices) await d.context.setOffline(false);
  const [a, b, c] = devices.map((d) => d.page);
  for (const page of [a, b, c]) assert.equal(await directPeers(page), 0);

  const url = await createPlan(a, relay.url, 'sluizeken-tolhuis-ham');
  await addAmbition(a, 'Ontmoeting');

  await pair(a, b);
  // In the app, not by loading a page: a page load ends its direct links.
  await openInApp(b, url);
  await b.getByText('Ontmoeting').first().waitFor({ timeout: 15_000 });

  // C pairs with B only, read-only; it reaches A through B's signalling.
  await pair(b, c, { grant: 'read' });
  await waitForDirect(c, 2, 45_000);
  await waitForDirect(a, 2, 45_000);
  await openInApp(c, url);
  await addAction(a, 'Ontmoeting', 'Buurtsoep', 'gepland');
  await action(c, 'Buurtsoep').waitFor({ timeout: 15_000 });

  // C may only read what B gave it; A learned that through B: C's change
  // stays on C.
  await addAction(c, 'Ontmoeting', 'Stiekem', 'idee');
  await addAction(b, 'Ontmoeting', 'Open', 'idee');
  await action(a, 'Open').waitFor({ timeout: 15_000 });
  await action(c, 'Open').waitFor({ timeout: 15_000 });
  assert.equal(await action(a, 'Stiekem').count(), 0);
  assert.equal(await action(b, 'Stiekem').count(), 0);
  assert.equal(await directPeers(c), 2, 'the honest reader stays linked');
  for (const page of [a, b, c]) assert.deepEqual(page.errors, []);
});

test('the STUN/TURN servers the operator names reach the browser and are kept for when the relay is gone', async () => {
  const { relay, token } = await stack(['--ice-server', 'stun:stun.gent.example:3478']);
  const { page } = await device(browser, 'A');
  await page.goto(`${relay.url}/?token=${token}`);
  await waitForSyncState(page, 'online');
  const kept = await waitFor(async () => page.evaluate(() => localStorage.getItem('regie.ice')), { message: 'kept' });
  assert.deepEqual(JSON.parse(kept), [{ urls: 'stun:stun.gent.example:3478' }]);
  assert.deepEqual(page.errors, []);
});
