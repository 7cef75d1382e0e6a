// The relay killed with SIGKILL in the middle of syncing loses no change it
// had confirmed, and the device brings the rest when it is back.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startRelay } from './lib/relay.mjs';
import { startStack } from './lib/stack.mjs';
import { device, waitFor, waitForSyncState } from './lib/browser.mjs';
import { action, actionTitles, addAction, addAmbition, createPlan } from './lib/plan.mjs';

let browser;
let relay;
let port;
let dataDir;
let token;

before(async () => {
  ({ port, dataDir, relay, token, browser } = await startStack());
});

after(async () => {
  await browser?.close();
  await relay?.stop();
});

const pending = async (page) => Number(await page.getAttribute('.sync-pending', 'data-pending'));

test('SIGKILL mid-sync loses no confirmed change', async () => {
  const { context: contextA, page: a } = await device(browser, 'A');
  await a.goto(`${relay.url}/?token=${token}`);
  await waitForSyncState(a, 'online');
  await createPlan(a, relay.url, 'muide-meulestede-afrikalaan');
  const link = await a.inputValue('#edit-link');
  await addAmbition(a, 'Haven');
  for (let n = 1; n <= 10; n++) await addAction(a, 'Haven', `Bevestigd ${n}`, 'gepland');
  await waitFor(async () => (await pending(a)) === 0, { message: 'the relay confirmed the first ten' });

  // Ten more, and the relay dies while they are on their way.
  for (let n = 1; n <= 10; n++) await addAction(a, 'Haven', `Onderweg ${n}`, 'idee');
  const { signal } = await relay.stop('SIGKILL');
  assert.equal(signal, 'SIGKILL');
  await contextA.setOffline(true);
  relay = await startRelay({ port, dataDir });

  // A device that never saw the plan gets every confirmed change from disk.
  const { page: c } = await device(browser, 'C');
  await c.goto(link);
  await action(c, 'Bevestigd 10').waitFor({ timeout: 15_000 });
  const titles = await actionTitles(c);
  for (let n = 1; n <= 10; n++) assert.ok(titles.includes(`Bevestigd ${n}`), `Bevestigd ${n} survived`);

  // A comes back and brings what the relay had not confirmed.
  await contextA.setOffline(false);
  await waitForSyncState(a, 'online', 30_000);
  await waitFor(async () => (await actionTitles(c)).length === 20, { timeout: 30_000, message: 'C has all twenty' });
  await waitFor(async () => (await pending(a)) === 0, { message: 'A fully confirmed again' });
  assert.deepEqual([...a.errors, ...c.errors], []);
});
