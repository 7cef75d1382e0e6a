// Trust: who changed what (history with authors, an actie, a whole plan and
// the adresboek restored from an earlier state), a conflict made by two offline tablets shown with both
// names and resolved with one click, and exports a spreadsheet or Automerge
// itself can open.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { useStack } from './lib/stack.mjs';
import { introduce } from './lib/people.mjs';
import { device, waitFor, waitForSyncState } from './lib/browser.mjs';
import { action, actionStatus, addAction, addAmbition, createPlan } from './lib/plan.mjs';
import { axeViolations, describeViolations, smallTargets } from './lib/a11y.mjs';

const stack = useStack();


/** A wijk per test: a wijk has one plan, and the tests share a relay. */
const WIJKEN = ['rabot-blaisantvest', 'drongen', 'zwijnaarde', 'wondelgem'];
let plansMade = 0;

/** Anna makes a plan with one actie; Jan opens it from her link. */
async function twoPeopleOnePlan(actie, options = {}) {
  const { context: ctxA, page: a } = await device(stack.browser, 'Anna', options);
  await a.goto(`${stack.relay.url}/?token=${stack.token}`);
  await waitForSyncState(a, 'online');
  await introduce(a, 'Anna', 'WGC Rabot');
  await createPlan(a, stack.relay.url, WIJKEN[plansMade++]);
  await addAmbition(a, 'Ontmoeting');
  await addAction(a, 'Ontmoeting', actie, 'gepland');
  const link = await a.inputValue('#edit-link');

  const { context: ctxB, page: b } = await device(stack.browser, 'Jan', options);
  await b.goto(link);
  await action(b, actie).waitFor({ timeout: 15_000 });
  await introduce(b, 'Jan', 'OCMW Gent');
  return { ctxA, a, ctxB, b };
}

async function openTab(page, name) {
  await page.getByRole('tab', { name }).click();
  await page.locator('[role="tab"][aria-selected="true"]', { hasText: name }).waitFor();
}

test('history names who changed what, and an actie comes back from an earlier state', async () => {
  const { a, b } = await twoPeopleOnePlan('Buurtfeest');
  await action(b, 'Buurtfeest').locator('select.action-status').selectOption('lopend');
  await waitFor(async () => (await actionStatus(a, 'Buurtfeest')) === 'lopend', { message: "Jan's status at Anna" });

  await openTab(a, 'Geschiedenis');
  const jans = a.locator('li.session', { hasText: 'Jan' }).first();
  await jans.waitFor();
  assert.match(await jans.textContent(), /OCMW Gent/);
  await jans.locator('summary', { hasText: 'Wat veranderde' }).click();
  await jans.getByText('Actie “Buurtfeest”: Status: “Gepland” → “Lopend”').waitFor();
  // Anna's own work is hers, not Jan's.
  const annas = a.locator('li.session', { hasText: 'Anna' }).first();
  await annas.locator('summary').click();
  await annas.getByText('Ambitie “Ontmoeting”: Actie toegevoegd: “Buurtfeest”').waitFor();

  // Anna removes the actie; Jan's state of it comes back as a new change.
  await openTab(a, 'Overzicht');
  await a.locator('.action-title', { hasText: 'Buurtfeest' }).click();
  await a.getByRole('button', { name: 'Actie verwijderen' }).click();
  await a.getByRole('button', { name: 'Ja, verwijderen' }).click();
  await action(a, 'Buurtfeest').waitFor({ state: 'detached' });
  await action(b, 'Buurtfeest').waitFor({ state: 'detached', timeout: 15_000 });

  await openTab(a, 'Geschiedenis');
  await a.locator('li.session', { hasText: 'Jan' }).first()
    .getByRole('button', { name: 'Bekijk het plan na deze sessie' }).click();
  const view = a.locator('.as-of-view');
  await view.locator('.as-of-action', { hasText: 'Buurtfeest' }).waitFor();
  assert.match(await view.locator('.as-of-action', { hasText: 'Buurtfeest' }).textContent(), /Lopend/);
  await view.getByRole('button', { name: 'Deze actie terugzetten: “Buurtfeest”' }).click();
  await view.getByText('De actie is teruggezet.').waitFor();

  await openTab(a, 'Overzicht');
  await action(a, 'Buurtfeest').waitFor();
  assert.equal(await actionStatus(a, 'Buurtfeest'), 'lopend');
  await action(b, 'Buurtfeest').waitFor({ timeout: 15_000 });
  assert.deepEqual([...a.errors, ...b.errors], []);
});

test('a whole plan, and the adresboek, go back to the state after a session', async () => {
  const { a, b } = await twoPeopleOnePlan('Buurtfeest');
  await addAction(b, 'Ontmoeting', 'Rommelmarkt', 'idee');
  await action(a, 'Rommelmarkt').waitFor({ timeout: 15_000 });

  // Anna sets the whole plan back to how she left it: Jan's actie goes.
  await openTab(a, 'Geschiedenis');
  await a.locator('li.session', { hasText: 'Anna' }).first()
    .getByRole('button', { name: 'Bekijk het plan na deze sessie' }).click();
  const view = a.locator('.as-of-view');
  await view.getByRole('button', { name: 'Het hele plan terugzetten naar deze stand' }).click();
  await view.getByRole('button', { name: 'Zeker? Klik nogmaals om het hele plan terug te zetten' }).click();
  await view.getByText('Het plan is teruggezet.').waitFor();
  await openTab(a, 'Overzicht');
  await action(a, 'Buurtfeest').waitFor();
  await action(a, 'Rommelmarkt').waitFor({ state: 'detached' });
  await action(b, 'Rommelmarkt').waitFor({ state: 'detached', timeout: 15_000 });

  // The adresboek: Anna adds a partner, then Jan; Anna goes back to hers.
  const addPartner = async (page, name) => {
    await page.fill('#organisation-name', name);
    await page.selectOption('#organisation-kind', 'buurtwerk');
    await page.getByRole('button', { name: 'Organisatie toevoegen' }).click();
    await page.locator('ul.organisations li', { hasText: name }).waitFor();
  };
  for (const page of [a, b]) {
    await page.getByRole('link', { name: 'Adresboek' }).click();
    await page.getByRole('heading', { name: 'Adresboek' }).waitFor();
  }
  await addPartner(a, 'Buurtwerk Eerste');
  await b.locator('ul.organisations li', { hasText: 'Buurtwerk Eerste' }).waitFor({ timeout: 15_000 });
  await addPartner(b, 'Buurtwerk Tweede');
  await a.locator('ul.organisations li', { hasText: 'Buurtwerk Tweede' }).waitFor({ timeout: 15_000 });
  await a.locator('summary', { hasText: 'Geschiedenis' }).click();
  const annas = a.locator('li.session', { hasText: 'Anna' }).first();
  await annas.getByRole('button', { name: 'Terugzetten naar de stand na deze sessie' }).click();
  await annas.getByRole('button', { name: 'Zeker? Klik nogmaals om terug te zetten' }).click();
  await a.getByText('Teruggezet. Dat is een nieuwe wijziging; de geschiedenis blijft.').waitFor();
  for (const page of [a, b]) {
    await page.locator('ul.organisations li', { hasText: 'Buurtwerk Tweede' }).waitFor({ state: 'detached', timeout: 15_000 });
    await page.locator('ul.organisations li', { hasText: 'Buurtwerk Eerste' }).waitFor();
  }
  assert.deepEqual([...a.errors, ...b.errors], []);
});

test('a conflict from two offline tablets is shown with both names and resolved once for all', async () => {
  // Tablets with no network at all: no direct link either.
  const { ctxA, a, ctxB, b } = await twoPeopleOnePlan('Repair café', { direct: false });
  await ctxA.setOffline(true);
  await ctxB.setOffline(true);
  await waitForSyncState(a, 'offline');
  await waitForSyncState(b, 'offline');
  await action(a, 'Repair café').locator('select.action-status').selectOption('afgerond');
  await action(b, 'Repair café').locator('select.action-status').selectOption('stopgezet');
  await ctxA.setOffline(false);
  await ctxB.setOffline(false);

  for (const page of [a, b]) {
    const conflicts = page.locator('section.conflicts');
    await conflicts.waitFor({ timeout: 30_000 });
    const row = conflicts.locator('li.conflict', { hasText: 'Repair café' });
    await row.locator('li.candidate', { hasText: 'Anna' }).waitFor({ timeout: 30_000 });
    await row.locator('li.candidate', { hasText: 'Jan' }).waitFor({ timeout: 30_000 });
    assert.match(await row.textContent(), /Afgerond/);
    assert.match(await row.textContent(), /Stopgezet/);
  }
  // The conflict panel is as accessible as the rest of the page.
  const violations = await axeViolations(a);
  assert.equal(violations.length, 0, describeViolations(violations));
  assert.deepEqual(await smallTargets(a, { within: 'section.conflicts' }), []);
  // Both show the same value while the conflict is open.
  await waitFor(async () => (await actionStatus(a, 'Repair café')) === (await actionStatus(b, 'Repair café')),
    { message: 'one shown value' });

  await a.getByRole('button', { name: 'Deze houden: “Stopgezet” van Jan' }).click();
  for (const page of [a, b]) {
    await page.locator('section.conflicts').waitFor({ state: 'detached', timeout: 15_000 });
    await waitFor(async () => (await actionStatus(page, 'Repair café')) === 'stopgezet', { message: 'the choice everywhere' });
  }
  assert.deepEqual([...a.errors, ...b.errors], []);
});

test('exports: acties as CSV for a spreadsheet, JSON and an Automerge file', async () => {
  const { page } = await device(stack.browser, 'Export', { acceptDownloads: true });
  await page.goto(`${stack.relay.url}/?token=${stack.token}`);
  await createPlan(page, stack.relay.url, 'ledeberg');
  await addAmbition(page, 'Wonen');
  await addAction(page, 'Wonen', 'Energiescan; met "premie"', 'lopend');

  async function download(button) {
    const menu = page.locator('details.export');
    if ((await menu.getAttribute('open')) === null) await menu.locator('summary').click();
    const [file] = await Promise.all([page.waitForEvent('download'), menu.getByRole('button', { name: button }).click()]);
    return { name: file.suggestedFilename(), bytes: await readFile(await file.path()) };
  }

  const csv = await download('Acties (CSV)');
  assert.match(csv.name, /^wijkactieplan-ledeberg-acties-\d{4}-\d{2}-\d{2}\.csv$/);
  const text = csv.bytes.toString('utf8');
  assert.equal(text.charCodeAt(0), 0xfeff, 'a byte-order mark, so a spreadsheet reads UTF-8');
  const [header, row] = text.slice(1).split('\r\n');
  assert.ok(header.startsWith('Ambitie;Actie;Status;Voortgang (%)'), header);
  assert.ok(row.startsWith('Wonen;"Energiescan; met ""premie""";Lopend;50;'), row);

  const json = JSON.parse((await download('JSON')).bytes.toString('utf8'));
  assert.equal(json.wijk, 'ledeberg');
  assert.equal(json.ambitions[0].actions[0].title, 'Energiescan; met "premie"');

  const binary = (await download('Automerge-bestand')).bytes;
  // Automerge's file magic.
  assert.deepEqual([...binary.subarray(0, 4)], [0x85, 0x6f, 0x4a, 0x83]);
  assert.deepEqual(page.errors, []);
});
