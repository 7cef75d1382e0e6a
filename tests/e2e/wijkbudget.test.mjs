// The wijkbudget of seed 004 on a tablet: an envelope per round, a budget
// line with what is committed, one from the fund for acute needs, the
// sums with what remains, and an actie flagged "acute nood" on top of the
// plan, also on a second device.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useStack } from './lib/stack.mjs';
import { device, waitForSyncState } from './lib/browser.mjs';
import { addAction, addAmbition, createPlan, openAction } from './lib/plan.mjs';

const stack = useStack();

test('envelopes, lines against them, and an acute need on top', async () => {
  const { page } = await device(stack.browser, 'tablet', { hasTouch: true, viewport: { width: 1280, height: 800 } });
  await page.goto(`${stack.relay.url}/?token=${stack.token}`);
  await waitForSyncState(page, 'online');
  const planUrl = await createPlan(page, stack.relay.url, 'nieuw-gent-uz');
  await addAmbition(page, 'Ontmoeting');
  await addAction(page, 'Ontmoeting', 'Buurtsoep', 'lopend');
  await addAction(page, 'Ontmoeting', 'Noodpakketten', 'gepland');

  await page.getByRole('tab', { name: 'Budget' }).click();
  await page.getByText('Nog geen enveloppe').waitFor();
  await page.fill('#envelope-amount', '150.000');
  await page.getByRole('button', { name: 'Bewaren' }).click();
  await page.locator('#envelope-fund').selectOption('acuut');
  await page.fill('#envelope-amount', 'veel');
  await page.getByRole('button', { name: 'Bewaren' }).click();
  await page.getByText('Geef het bedrag in euro, bijvoorbeeld 1.250,50.').waitFor();
  await page.fill('#envelope-amount', '10.000');
  await page.getByRole('button', { name: 'Bewaren' }).click();

  await page.getByRole('tab', { name: 'Overzicht' }).click();
  await openAction(page, 'Buurtsoep');
  await page.fill('#budget-label', 'Zaalhuur');
  await page.fill('#budget-planned', '1.000');
  await page.fill('#budget-committed', '800');
  await page.locator('#budget-wijkbudget').check();
  await page.getByRole('button', { name: 'Budgetlijn toevoegen' }).click();
  await page.locator('ul.budget li', { hasText: 'Zaalhuur' }).getByText('vastgelegd € 800,00').waitFor();
  await page.getByRole('button', { name: 'Sluiten' }).click();
  await openAction(page, 'Noodpakketten');
  await page.locator('#action-acute').check();
  await page.fill('#budget-label', 'Pakketten');
  await page.fill('#budget-planned', '250');
  await page.locator('#budget-acute').check();
  await page.getByRole('button', { name: 'Budgetlijn toevoegen' }).click();
  await page.locator('ul.budget li', { hasText: 'Pakketten' }).getByText('Fonds acute noden, ronde 1').waitFor();
  await page.getByRole('button', { name: 'Sluiten' }).click();

  // The acute actie stands on top of the outline.
  await page.locator('.card.acute li', { hasText: 'Noodpakketten' }).waitFor();
  await page.getByRole('tab', { name: 'Budget' }).click();
  const row = (fund) => page.locator(`.budget-table tr[data-fund="${fund}"][data-round="1"]`);
  const cells = async (fund) => (await row(fund).locator('td').allTextContents()).map((c) => c.trim());
  assert.deepEqual(await cells('wijkbudget'), ['€ 150.000,00', '€ 1.000,00', '€ 800,00', '€ 0,00', '€ 149.000,00']);
  assert.deepEqual(await cells('acuut'), ['€ 10.000,00', '€ 250,00', '€ 0,00', '€ 0,00', '€ 9.750,00']);

  // Another device sees the same.
  const { page: other } = await device(stack.browser, 'laptop');
  await other.goto(`${planUrl}?token=${stack.token}&tab=budget`);
  await other.locator('.budget-table tr[data-fund="acuut"] .remaining', { hasText: '€ 9.750,00' }).waitFor({ timeout: 15_000 });
  for (const p of [page, other]) assert.deepEqual(p.errors, []);
});
