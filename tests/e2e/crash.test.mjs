// The relay killed with SIGKILL in the middle of syncing loses no change it
// had confirmed, and the device brings the rest when it is back. A page
// closed or crashed in the middle of typing keeps all the page showed as
// stored on the device.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startRelay } from './lib/relay.mjs';
import { startStack } from './lib/stack.mjs';
import { device, waitFor, waitForSyncState } from './lib/browser.mjs';
import { action, actionTitles, addAction, addAmbition, createPlan, openAction } from './lib/plan.mjs';

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

/** What the page shows: the description, and whether everything is stored
 * on this device (no IndexedDB write under way). */
const shown = (page) => page.evaluate(() => ({
  stored: document.querySelector('.sync-local').dataset.unsaved === '0',
  text: document.querySelector('#action-description').value,
}));

test('a page closed or crashed while typing keeps everything shown as stored', async () => {
  const { context, page: first } = await device(browser, 'typist');
  // No relay connection at all: what comes back can only come from this
  // device's own storage.
  await context.routeWebSocket(/.*/, (ws) => ws.close());
  await first.goto(`${relay.url}/`);
  const url = await createPlan(first, relay.url, 'ledeberg');
  await addAmbition(first, 'Ontmoeting');
  await addAction(first, 'Ontmoeting', 'Buurtsoep', 'gepland');

  let page = first;
  let before = '';
  let storedWhileTyping = 0;
  for (const [round, ending] of [[1, 'close'], [2, 'crash'], [3, 'close'], [4, 'crash']]) {
    await openAction(page, 'Buurtsoep');
    const field = page.locator('#action-description');
    assert.equal(await field.inputValue(), before, `round ${round} starts from what was kept`);
    await field.focus();
    // The end of the text, not of the (wrapped) line.
    await page.keyboard.press('Control+End');
    const text = `Ronde ${round}: soep op vrijdag in het buurthuis, groenten uit de moestuin. `;
    const cut = 12 + 9 * round;
    let stored = before;
    for (let i = 0; i < cut; i++) {
      await page.keyboard.type(text[i]);
      // Now and then wait until the page says it is stored, as a person
      // pausing would; in between, take it only when it already says so.
      if (i % 6 === 5) await page.waitForSelector('.sync-local[data-unsaved="0"]', { state: 'attached' });
      const now = await shown(page);
      if (now.stored) {
        if (now.text !== stored) storedWhileTyping += 1;
        stored = now.text;
      }
    }
    // End the page right after the last keystroke and look, with its write
    // (most likely) still under way.
    if (ending === 'crash') {
      const cdp = await context.newCDPSession(page);
      const crashed = page.waitForEvent('crash');
      // The renderer dies before it can answer, so the reply never comes.
      cdp.send('Page.crash').catch(() => {});
      await crashed;
      await page.close().catch(() => {});
    } else {
      await page.close({ runBeforeUnload: false });
    }

    page = await context.newPage();
    await page.goto(url);
    await openAction(page, 'Buurtsoep');
    const kept = await page.locator('#action-description').inputValue();
    assert.ok(kept.startsWith(stored), `round ${round} (${ending}): kept ${JSON.stringify(kept)} lacks stored ${JSON.stringify(stored)}`);
    assert.ok((before + text).startsWith(kept), `round ${round} (${ending}): kept ${JSON.stringify(kept)} is not what was typed`);
    console.log(`# round ${round} (${ending}): stored ${stored.length - before.length}, kept ${kept.length - before.length} of ${text.length} typed`);
    await page.keyboard.press('Escape');
    before = kept;
  }
  assert.ok(storedWhileTyping >= 8, `the page said "stored" in the middle of typing (${storedWhileTyping} times)`);
  await context.close();
});
