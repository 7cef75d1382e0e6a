// The walking skeleton, end to end: a plan made on one device reaches a
// second one through the relay and back, survives a relay restart and a
// reload without the relay, and bad links get a clear answer.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startRelay } from './lib/relay.mjs';
import { startStack } from './lib/stack.mjs';
import { device, waitFor, waitForSyncState } from './lib/browser.mjs';
import {
  action, actionStatus, actionTitles, addAction, addAmbition, createPlan, unknownDocumentId,
} from './lib/plan.mjs';

let browser;
let relay;
let port;
let dataDir;
let token;
const pages = [];

before(async () => {
  ({ port, dataDir, relay, token, browser } = await startStack());
});

after(async () => {
  await browser?.close();
  await relay?.stop();
  for (const page of pages) assert.deepEqual(page.errors, [], 'no uncaught errors in the app');
});

async function open(name) {
  const d = await device(browser, name);
  pages.push(d.page);
  return d.page;
}

test('a plan syncs between two devices, survives a relay restart and a reload offline', async () => {
  const a = await open('A');
  await a.goto(`${relay.url}/?token=${token}`);
  await waitForSyncState(a, 'online');
  await createPlan(a, relay.url, 'ledeberg');
  // The plan page offers the link to share (the token is remembered).
  const link = await a.inputValue('#edit-link');
  assert.match(link, new RegExp(`/plan/[1-9A-Za-z]+#token=${token}$`));
  assert.match(await a.textContent('h1'), /Wijkactieplan Ledeberg/);

  // An empty title is refused with a message; nothing is added.
  await a.getByRole('button', { name: 'Ambitie toevoegen' }).click();
  assert.equal(await a.textContent('p.form-error[role="alert"]'), 'Geef een titel op.');
  assert.equal(await a.locator('section.ambition').count(), 0);

  await addAmbition(a, 'Zorg dichtbij');
  await addAction(a, 'Zorg dichtbij', 'Buurtsoep op vrijdag', 'gepland');

  // B opens the link and gets the plan through the relay.
  const b = await open('B');
  await b.goto(link);
  await action(b, 'Buurtsoep op vrijdag').waitFor({ timeout: 15_000 });
  assert.equal(await actionStatus(b, 'Buurtsoep op vrijdag'), 'gepland');

  // Edits flow both ways without reloading.
  await action(b, 'Buurtsoep op vrijdag').locator('select.action-status').selectOption('lopend');
  await waitFor(async () => (await actionStatus(a, 'Buurtsoep op vrijdag')) === 'lopend', { message: 'A sees lopend' });
  await addAction(a, 'Zorg dichtbij', 'Huisbezoeken', 'idee');
  await action(b, 'Huisbezoeken').waitFor({ timeout: 15_000 });

  // The relay goes away: A says so, and a reload still shows the plan from IndexedDB.
  await relay.stop('SIGTERM');
  await waitForSyncState(a, 'offline');
  await a.reload();
  await action(a, 'Huisbezoeken').waitFor();
  assert.equal(await actionStatus(a, 'Buurtsoep op vrijdag'), 'lopend');
  await waitForSyncState(a, 'offline');
  await addAction(a, 'Zorg dichtbij', 'Telefooncirkel', 'gepland');

  // The relay comes back on the same address with the same data.
  relay = await startRelay({ port, dataDir });
  await waitForSyncState(a, 'online', 30_000);
  await action(b, 'Telefooncirkel').waitFor({ timeout: 30_000 });

  // A device that never saw the plan gets everything from the relay's disk.
  const c = await open('C');
  await c.goto(link);
  await action(c, 'Telefooncirkel').waitFor({ timeout: 15_000 });
  assert.deepEqual(
    (await actionTitles(c)).sort(),
    ['Buurtsoep op vrijdag', 'Huisbezoeken', 'Telefooncirkel'],
  );
  assert.equal(await actionStatus(c, 'Buurtsoep op vrijdag'), 'lopend');

  // The home page of A lists the plan.
  await a.goto(`${relay.url}/`);
  await a.locator('.plan-list a', { hasText: 'Ledeberg' }).waitFor();
});

test('a read-only link shows the plan and its updates, but allows no change', async () => {
  const a = await open('A2');
  await a.goto(`${relay.url}/?token=${token}`);
  await waitForSyncState(a, 'online');
  await createPlan(a, relay.url, 'rabot-blaisantvest');
  await addAmbition(a, 'Armoede');
  await addAction(a, 'Armoede', 'Schuldhulp', 'idee');
  await a.getByRole('button', { name: 'Maak een leeslink' }).click();
  await a.locator('#read-link').waitFor();
  const readLink = await a.inputValue('#read-link');
  assert.notEqual(new URL(readLink).searchParams.get('token'), token);

  const r = await open('R');
  await r.goto(readLink);
  await action(r, 'Schuldhulp').waitFor({ timeout: 15_000 });
  await r.locator('.banner.readonly', { hasText: 'Alleen lezen' }).waitFor();
  assert.equal(await r.locator('#new-ambition').count(), 0, 'no form to add an ambition');
  assert.equal(await r.locator('.new-action-title').count(), 0, 'no form to add an action');
  assert.equal(await r.locator('#edit-link').count(), 0, 'no edit link to pass on');
  assert.ok(await action(r, 'Schuldhulp').locator('select.action-status').isDisabled());

  // Updates still arrive.
  await addAction(a, 'Armoede', 'Budgetcafé', 'gepland');
  await action(r, 'Budgetcafé').waitFor({ timeout: 15_000 });

  // A read-only link does not open other plans.
  await r.goto(`${relay.url}/plan/${unknownDocumentId()}`);
  await r.locator('h1', { hasText: 'Niet gevonden' }).waitFor({ timeout: 15_000 });
});

test('without a valid link the app says so, and keeps working locally', async () => {
  const n = await open('N');
  await n.goto(`${relay.url}/?token=not-a-real-token`);
  await waitForSyncState(n, 'no-access');
  await n.locator('h1', { hasText: 'Wijkactieplannen' }).waitFor();
});

test('links that lead nowhere say "Niet gevonden"', async () => {
  const d = await open('D');
  await d.goto(`${relay.url}/?token=${token}`);
  await waitForSyncState(d, 'online');
  await d.goto(`${relay.url}/plan/${unknownDocumentId()}`);
  await d.locator('h1', { hasText: 'Niet gevonden' }).waitFor({ timeout: 15_000 });
  await d.goto(`${relay.url}/plan/nonsense`);
  await d.locator('h1', { hasText: 'Niet gevonden' }).waitFor();
  await d.goto(`${relay.url}/bestaat/niet`);
  await d.locator('h1', { hasText: 'Niet gevonden' }).waitFor();
});
