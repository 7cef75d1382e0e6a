// This device: after one visit the app starts with no network (also after a
// browser restart) and offline edits sync once the relay is back; a backup
// file carries every document to a fresh device, where a damaged record is
// reported and the rest loads; a new deployment shows a banner and the new
// version arrives only when the person reloads.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cp, readFile, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { useStack } from './lib/stack.mjs';
import { device, launchPersistent, waitFor, waitForSyncState } from './lib/browser.mjs';
import { action, addAction, addAmbition, createPlan } from './lib/plan.mjs';
import { createToken, freePort, startRelay, tempDir } from './lib/relay.mjs';

const stack = useStack();

async function pending(page) {
  return Number(await page.getAttribute('.sync-pending', 'data-pending'));
}

/** Waits until the service worker serves this page (it has the app stored).
 * A page that navigated while the first worker was taking over stays
 * uncontrolled until its next load, so it is reloaded then. */
async function controlled(page) {
  await page.evaluate(() => navigator.serviceWorker.ready);
  if (await page.evaluate(() => navigator.serviceWorker.controller === null)) await page.reload();
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 20_000 });
}

/** A plan with one ambitie and the given acties, confirmed by the relay. */
async function planWith(page, wijk, ambitie, acties) {
  await page.goto(`${stack.relay.url}/?token=${stack.token}`);
  await waitForSyncState(page, 'online');
  const url = await createPlan(page, stack.relay.url, wijk);
  await addAmbition(page, ambitie);
  for (const title of acties) await addAction(page, ambitie, title, 'gepland');
  await waitFor(async () => (await pending(page)) === 0, { message: 'the relay confirmed everything' });
  await controlled(page);
  return url;
}

async function stopRelay() {
  await stack.relay.stop();
}

/** The relay again, on the same address with the same data. */
async function restartRelay() {
  stack.relay = await startRelay({ port: stack.port, dataDir: stack.dataDir });
}

test('offline with the relay down, a reload opens the app and the plan; edits sync when back', async () => {
  const { context, page: a } = await device(stack.browser, 'A');
  const url = await planWith(a, 'ledeberg', 'Samen in de wijk', ['Repair café']);
  const link = await a.inputValue('#edit-link');

  await stopRelay();
  await context.setOffline(true);
  await a.reload();
  await action(a, 'Repair café').waitFor({ timeout: 15_000 });
  await waitForSyncState(a, 'offline');
  await addAction(a, 'Samen in de wijk', 'Voedselbank', 'idee');
  await waitFor(async () => (await pending(a)) >= 1, { message: 'the offline change is counted' });
  // Kept on the device: it survives another reload without network.
  await a.goto(url);
  await action(a, 'Voedselbank').waitFor({ timeout: 15_000 });

  await restartRelay();
  await context.setOffline(false);
  await waitForSyncState(a, 'online', 30_000);
  await waitFor(async () => (await pending(a)) === 0, { timeout: 30_000, message: 'the relay confirmed the offline change' });
  const { page: b } = await device(stack.browser, 'B');
  await b.goto(link);
  await action(b, 'Voedselbank').waitFor({ timeout: 20_000 });
  assert.deepEqual([...a.errors, ...b.errors], []);
});

test('after a browser restart the app opens with its documents, relay down and no network', async () => {
  const profile = await tempDir('regie-profile-');
  let context = await launchPersistent(profile);
  let url;
  try {
    url = await planWith(context.pages()[0] ?? (await context.newPage()), 'gentbrugge', 'Groen', ['Geveltuinen', 'Buurtmoestuin']);
  } finally {
    await context.close();
  }

  await stopRelay();
  context = await launchPersistent(profile);
  try {
    await context.setOffline(true);
    const page = context.pages()[0] ?? (await context.newPage());
    const errors = [];
    page.on('pageerror', (e) => errors.push(e));
    await page.goto(url);
    await action(page, 'Geveltuinen').waitFor({ timeout: 20_000 });
    await action(page, 'Buurtmoestuin').waitFor();
    await page.getByRole('link', { name: 'Plannen' }).click();
    await page.locator('.plan-list a', { hasText: 'Gentbrugge' }).waitFor();
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
    await restartRelay();
  }
});

async function openDevicePage(page) {
  await page.getByRole('link', { name: 'Dit toestel' }).click();
  await page.getByRole('heading', { name: 'Dit toestel' }).waitFor();
}

/** A new device that cannot reach the relay (no link, and offline once the
 * app is loaded): whatever documents it gets come from the backup. */
async function isolatedDevice(name) {
  const d = await device(stack.browser, name);
  await d.page.goto(`${stack.relay.url}/`);
  await d.page.getByRole('heading', { name: 'Wijkactieplannen' }).waitFor();
  await controlled(d.page);
  await d.context.setOffline(true);
  await openDevicePage(d.page);
  return d;
}

async function restore(page, file) {
  await page.setInputFiles('#backup-file', file);
  await page.locator('.backup-report').waitFor({ timeout: 20_000 });
  return page.locator('.backup-report').innerText();
}

test('a backup carries every document to a fresh device; a damaged record is skipped', async () => {
  const { page: a } = await device(stack.browser, 'A');
  const url = await planWith(a, 'moscou-vogelhoek', 'Jongeren', ['Pleinwerking', 'Huiswerkklas']);
  const planId = url.split('/plan/')[1];
  await openDevicePage(a);
  await a.locator('.document-count').filter({ hasText: 'wijkactieplan' }).waitFor();
  const [download] = await Promise.all([
    a.waitForEvent('download'),
    a.getByRole('button', { name: 'Reservekopie maken' }).click(),
  ]);
  assert.match(download.suggestedFilename(), /^regie-reservekopie-\d{4}-\d{2}-\d{2}\.regie$/);
  const dir = await tempDir('regie-backup-');
  const file = path.join(dir, download.suggestedFilename());
  await download.saveAs(file);
  await a.getByText(/Reservekopie gemaakt met \d+ documenten/).waitFor();
  const backup = JSON.parse(await readFile(file, 'utf8'));
  assert.equal(backup.format, 'regie-backup');
  assert.equal(backup.version, 1);
  assert.ok(backup.documents.some((d) => d.id === planId), 'the plan is in the backup');

  // A fresh device, cut off from the relay: the plan comes from the file.
  const { page: c } = await isolatedDevice('C');
  const report = await restore(c, file);
  assert.match(report, /[1-9]\d* documenten? toegevoegd/);
  assert.doesNotMatch(report, /beschadigd/);
  await c.goto(url.replace(/\?.*$/, ''));
  for (const title of ['Pleinwerking', 'Huiswerkklas']) await action(c, title).waitFor({ timeout: 15_000 });
  // Restoring the same file again merges into what is there: nothing new.
  await openDevicePage(c);
  assert.match(await restore(c, file), /0 documenten toegevoegd, 0 documenten samengevoegd/);

  // One record damaged (changed after the backup was made): reported by id, the rest loads.
  const victim = backup.documents.find((d) => d.id !== planId);
  const middle = Math.floor(victim.data.length / 2);
  victim.data = victim.data.slice(0, middle) + (victim.data[middle] === 'A' ? 'B' : 'A') + victim.data.slice(middle + 1);
  const damaged = path.join(dir, 'beschadigd.regie');
  await writeFile(damaged, JSON.stringify(backup));
  const { page: d } = await isolatedDevice('D');
  const damagedReport = await restore(d, damaged);
  assert.match(damagedReport, /1 beschadigd record overgeslagen/);
  assert.match(damagedReport, new RegExp(`${victim.id}: gegevens beschadigd \\(controlesom klopt niet\\)`));
  await d.goto(url.replace(/\?.*$/, ''));
  await action(d, 'Huiswerkklas').waitFor({ timeout: 15_000 });

  // Not a backup at all: said so, nothing changes.
  await openDevicePage(d);
  const junk = path.join(dir, 'boodschappen.regie');
  await writeFile(junk, 'melk, brood, kaas');
  await d.setInputFiles('#backup-file', junk);
  await d.getByText('Dit bestand is geen reservekopie van Regie.').waitFor();
  for (const page of [a, c, d]) assert.deepEqual(page.errors, []);
});

/** "Deploys" a new build into `dist`: the app's hashed files under a new
 * hash (as a real build would name them) and a marker in the page; with
 * `swVersion`, also a new service worker. Returns the new hash. */
async function deploy(dist, marker, { swVersion } = {}) {
  const html = await readFile(path.join(dist, 'index.html'), 'utf8');
  const old = html.match(/\/regie-([0-9a-f]{8,16})_bg\.wasm/)[1];
  const hash = randomBytes(8).toString('hex');
  for (const name of await readdir(dist)) {
    if (name.includes(old)) await cp(path.join(dist, name), path.join(dist, name.replace(old, hash)));
  }
  const page = html.replaceAll(old, hash).replace('<head>', `<head><meta name="regie-test-build" content="${marker}">`);
  await writeFile(path.join(dist, 'index.html.new'), page);
  await rename(path.join(dist, 'index.html.new'), path.join(dist, 'index.html'));
  if (swVersion) {
    // The relay would serve the old worker's brotli copy; a real build
    // writes a new one.
    await rm(path.join(dist, 'sw.js.br'), { force: true });
    const sw = await readFile(path.join(dist, 'sw.js'), 'utf8');
    await writeFile(path.join(dist, 'sw.js'), sw.replace(/const VERSION = \d+;/, `const VERSION = ${swVersion};`));
  }
  return hash;
}

async function build(page) {
  return page.evaluate(() => document.querySelector('meta[name="regie-test-build"]')?.content ?? 'first');
}

test('a new deployment shows a banner; reloading, only when asked, brings the new version', async () => {
  const dist = await tempDir('regie-dist-');
  await cp(process.env.REGIE_DIST, dist, { recursive: true });
  const port = await freePort();
  const dataDir = await tempDir();
  const relay = await startRelay({ port, dataDir, dist });
  try {
    const token = await createToken({ dataDir });
    const { page } = await device(stack.browser, 'tablet');
    await page.goto(`${relay.url}/?token=${token}`);
    await waitForSyncState(page, 'online');
    await createPlan(page, relay.url, 'zwijnaarde');
    await addAmbition(page, 'Mobiliteit');
    await addAction(page, 'Mobiliteit', 'Fietsherstel', 'gepland');
    await controlled(page);
    const banner = page.locator('.update-banner');

    // A new build, same service worker: found when the app looks for it.
    const second = await deploy(dist, 'second');
    await page.locator('.action-title', { hasText: 'Fietsherstel' }).click();
    await page.locator('[role="dialog"]').waitFor();
    await page.evaluate(() => navigator.serviceWorker.controller.postMessage({ type: 'regie-check' }));
    await banner.getByText('Er is een nieuwe versie van Regie.').waitFor({ timeout: 15_000 });
    assert.equal(await build(page), 'first', 'nothing reloads by itself');
    // A form is open (the banner lies under its backdrop, but a keyboard
    // reaches it): the banner asks to save it first instead of reloading.
    await banner.getByRole('button', { name: 'Herladen' }).focus();
    await page.keyboard.press('Enter');
    await banner.getByText('Je hebt nog een venster open.').waitFor();
    assert.equal(await build(page), 'first');
    await page.getByRole('button', { name: 'Sluiten' }).click();
    await Promise.all([page.waitForEvent('load'), banner.getByRole('button', { name: 'Toch herladen' }).click()]);
    await waitFor(async () => (await build(page)) === 'second', { message: 'the second build runs' });
    await action(page, 'Fietsherstel').waitFor();
    assert.equal(await banner.count(), 0);

    // A new build with a new service worker: it waits for the person too.
    await deploy(dist, 'third', { swVersion: 3 });
    await openDevicePage(page);
    await page.getByText(`versie ${second.slice(0, 8)}`).waitFor();
    await page.getByRole('button', { name: 'Zoek een nieuwe versie' }).click();
    await banner.getByText('Er is een nieuwe versie van Regie.').waitFor({ timeout: 15_000 });
    assert.equal(await build(page), 'second');
    // The old worker announces the new page at once; Chromium fetches the
    // new worker a moment later. Someone reading the banner gives it that
    // moment (a click before it reloads into the new page, and the new
    // worker takes over at the next reload).
    await waitFor(() => page.evaluate(async () => (await navigator.serviceWorker.getRegistration()).waiting !== null), {
      message: 'the new worker installed',
    });
    await Promise.all([page.waitForEvent('load'), banner.getByRole('button', { name: 'Herladen' }).click()]);
    await waitFor(async () => (await build(page)) === 'third', { message: 'the third build runs' });
    await waitFor(async () => {
      const keys = await page.evaluate(() => caches.keys());
      return keys.length === 1 && keys[0] === 'regie-app-v3';
    }, { message: 'only the new cache is left' });
    assert.equal(await banner.count(), 0);
    assert.deepEqual(page.errors, []);
  } finally {
    await relay.stop();
  }
});
