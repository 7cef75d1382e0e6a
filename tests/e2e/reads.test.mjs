// Typing in one document re-reads no other. A ronde tafel page shows the
// table, its knelpunt (from the register) and the signals it came from
// (from a wijk plan); every keystroke in the table's insteek must re-run
// the views of the table only. The app counts how often views read each
// document (`window.regieReadCounts()`), and the counts of every other
// document must stay where they were.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useStack } from './lib/stack.mjs';
import { device, waitFor, waitForSyncState } from './lib/browser.mjs';

const stack = useStack();

const readCounts = async (page) => JSON.parse(await page.evaluate(() => window.regieReadCounts()));

/** Waits until no document is read for a while: sync and rendering settled. */
async function settled(page) {
  let last = JSON.stringify(await readCounts(page));
  await waitFor(async () => {
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const now = JSON.stringify(await readCounts(page));
    const same = now === last;
    last = now;
    return same;
  }, { timeout: 30_000, message: 'reads to settle' });
  return JSON.parse(last);
}

test('a keystroke in a ronde tafel re-reads the table and no other document', async () => {
  const { page } = await device(stack.browser, 'regisseur', { viewport: { width: 1400, height: 900 } });
  await page.goto(`${stack.relay.url}/?token=${stack.token}`);
  await waitForSyncState(page, 'online');
  await page.selectOption('#wijk-select', 'rabot-blaisantvest');
  await page.getByRole('button', { name: 'Maak wijkactieplan' }).click();
  await page.waitForURL(/\/plan\//);
  await page.getByRole('tab', { name: 'Signalen' }).click();
  await page.fill('#signal-what', 'Gezinnen met kinderen in vochtige woningen');
  await page.getByRole('button', { name: 'Signaal bewaren' }).click();
  await page.getByText('Signaal bewaard.').waitFor();

  await page.getByRole('link', { name: 'Knelpunten' }).click();
  await page.fill('#knelpunt-title', 'Schimmel in sociale woningen');
  await page.fill('#knelpunt-question', 'Hoe pakken wonen en gezondheid dit samen aan?');
  await page.locator('#domain-wonen').check();
  await page.getByRole('button', { name: 'Knelpunt toevoegen' }).click();
  const knelpunt = page.locator('section.knelpunt', { hasText: 'Schimmel in sociale woningen' });
  const signal = knelpunt.locator('select[id^="link-signal-"] option', { hasText: 'vochtige woningen' });
  await knelpunt.locator('select[id^="link-signal-"]').selectOption(await signal.first().getAttribute('value'));
  await knelpunt.getByRole('button', { name: 'Koppel' }).click();
  await knelpunt.getByText('1 gekoppeld signaal').waitFor();
  await knelpunt.getByRole('button', { name: 'Start een ronde tafel' }).click();
  await page.waitForURL(/\/tafel\//);
  const table = new URL(page.url()).pathname.split('/').pop();
  // The page shows all three documents.
  await page.getByRole('heading', { name: 'Ronde tafel: Schimmel in sociale woningen' }).waitFor();
  await page.locator('.table-signals li', { hasText: 'vochtige woningen' }).waitFor();

  const before = await settled(page);
  const others = Object.keys(before).filter((id) => id !== table);
  assert.ok(others.length >= 2, `the register and the plan are read too: ${JSON.stringify(before)}`);
  await page.locator('#insteek').click();
  await page.locator('#insteek').pressSequentially('Wat kan er deze maand al?');
  await page.locator('#insteek').blur();
  const after = await settled(page);

  assert.ok(after[table] > before[table], `the table is re-read: ${before[table]} → ${after[table]}`);
  for (const id of others) {
    assert.equal(after[id], before[id], `document ${id} was read again while typing in the table`);
  }
});
