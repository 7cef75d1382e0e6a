// Field conditions: a device that goes offline keeps working and merges when
// it comes back; tabs of one browser sync with each other without the relay;
// the header counts changes the relay has not confirmed yet.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startStack } from './lib/stack.mjs';
import { device, waitFor, waitForSyncState } from './lib/browser.mjs';
import { action, actionStatus, addAction, addAmbition, createPlan } from './lib/plan.mjs';

let browser;
let relay;
let token;
const pages = [];

before(async () => {
  ({ relay, token, browser } = await startStack());
});

after(async () => {
  await browser?.close();
  await relay?.stop();
});

async function open(name) {
  const d = await device(browser, name);
  pages.push(d.page);
  return d;
}

async function pending(page) {
  return Number(await page.getAttribute('.sync-pending', 'data-pending'));
}

test('offline edits on both sides merge, the same field converges, nothing is lost', async () => {
  const { context: contextA, page: a } = await open('A');
  await a.goto(`${relay.url}/?token=${token}`);
  await waitForSyncState(a, 'online');
  await createPlan(a, relay.url, 'brugse-poort-rooigem');
  await addAmbition(a, 'Jongeren');
  await addAction(a, 'Jongeren', 'Pleinwerking', 'gepland');
  const link = await a.inputValue('#edit-link');
  await waitFor(async () => (await pending(a)) === 0, { message: 'A fully confirmed' });

  const { page: b } = await open('B');
  await b.goto(link);
  await action(b, 'Pleinwerking').waitFor({ timeout: 15_000 });

  await contextA.setOffline(true);
  await waitForSyncState(a, 'offline');
  await action(a, 'Pleinwerking').locator('select.action-status').selectOption('afgerond');
  await addAction(a, 'Jongeren', 'Huiswerkklas', 'idee');
  await waitFor(async () => (await pending(a)) >= 2, { message: 'A counts its unsent changes' });

  await action(b, 'Pleinwerking').locator('select.action-status').selectOption('stopgezet');
  await addAction(b, 'Jongeren', 'Sportkamp', 'gepland');

  await contextA.setOffline(false);
  await waitForSyncState(a, 'online', 30_000);
  for (const page of [a, b]) {
    for (const title of ['Pleinwerking', 'Huiswerkklas', 'Sportkamp']) {
      await action(page, title).waitFor({ timeout: 20_000 });
    }
  }
  await waitFor(async () => (await actionStatus(a, 'Pleinwerking')) === (await actionStatus(b, 'Pleinwerking')), {
    message: 'both show the same status',
  });
  assert.ok(['afgerond', 'stopgezet'].includes(await actionStatus(a, 'Pleinwerking')));
  await waitFor(async () => (await pending(a)) === 0 && (await pending(b)) === 0, { message: 'all confirmed' });
  for (const page of pages) assert.deepEqual(page.errors, []);
});

test('tabs of one browser sync with each other without the relay', async () => {
  const { context, page: first } = await open('tab 1');
  await first.goto(`${relay.url}/?token=${token}`);
  await waitForSyncState(first, 'online');
  const url = await createPlan(first, relay.url, 'sluizeken-tolhuis-ham');
  await addAmbition(first, 'Ontmoeting');
  const second = await context.newPage();
  second.errors = [];
  second.on('pageerror', (e) => second.errors.push(e));
  await second.goto(url);
  await second.locator('section.ambition h2', { hasText: 'Ontmoeting' }).waitFor({ timeout: 15_000 });

  await context.setOffline(true);
  await waitForSyncState(first, 'offline');
  await waitForSyncState(second, 'offline');
  await addAction(first, 'Ontmoeting', 'Buurtfeest', 'gepland');
  await action(second, 'Buurtfeest').waitFor({ timeout: 10_000 });
  await action(second, 'Buurtfeest').locator('select.action-status').selectOption('lopend');
  await waitFor(async () => (await actionStatus(first, 'Buurtfeest')) === 'lopend', { message: 'tab 1 sees tab 2' });

  // One IndexedDB for both: a third tab opened offline (service worker) has it all.
  const third = await context.newPage();
  third.errors = [];
  await third.goto(url);
  await action(third, 'Buurtfeest').waitFor({ timeout: 15_000 });
  assert.equal(await actionStatus(third, 'Buurtfeest'), 'lopend');
  await context.setOffline(false);
  for (const page of [first, second, third]) assert.deepEqual(page.errors, []);
});
