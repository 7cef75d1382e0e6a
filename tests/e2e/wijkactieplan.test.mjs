// The wijkactieplan as the action team uses it, on a touch screen: build a
// plan by taps, fill in an actie (with Dutch validation), filter the table,
// change a status on the board by dragging and by keyboard, type together in
// one description, and capture a signal offline.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useStack } from './lib/stack.mjs';
import { device, waitFor, waitForSyncState } from './lib/browser.mjs';
import { ambition, createPlan } from './lib/plan.mjs';

const stack = useStack();

/** A tablet: touch events on, its own profile. */
function tablet(name, options = {}) {
  return device(stack.browser, name, { hasTouch: true, viewport: { width: 1280, height: 800 }, ...options });
}

async function tapAddAmbition(page, title) {
  await page.fill('#new-ambition', title);
  await page.getByRole('button', { name: 'Ambitie toevoegen' }).tap();
  await ambition(page, title).waitFor();
}

async function tapAddAction(page, ambitionTitle, title) {
  const section = ambition(page, ambitionTitle);
  await section.locator('.new-action-title').fill(title);
  await section.getByRole('button', { name: 'Actie toevoegen' }).tap();
  await page.locator('li.action .action-title', { hasText: title }).waitFor();
}

async function openTab(page, name) {
  await page.getByRole('tab', { name }).tap();
  await page.locator(`[role="tab"][aria-selected="true"]`, { hasText: name }).waitFor();
}

async function tapAction(page, title) {
  await page.locator('.action-title', { hasText: title }).tap();
  await page.locator('#editor-title', { hasText: title }).waitFor();
}

async function tableTitles(page) {
  return page.locator('.action-table tbody tr td:first-child').allTextContents();
}

/** A new plan made by taps, in `wijk`: a wijk has one plan, so each test
 * makes its own wijk's. */
async function newPlanOnTablet(wijk, options = {}) {
  const { context, page } = await tablet('A', options);
  await page.goto(`${stack.relay.url}/?token=${stack.token}`);
  await waitForSyncState(page, 'online');
  await page.selectOption('#wijk-select', wijk);
  await page.getByRole('button', { name: 'Maak wijkactieplan' }).tap();
  await page.waitForURL(/\/plan\//);
  return { context, page };
}

test('a plan with 2 ambities and 5 acties, built by taps; details, table, board', async () => {
  const { page: a } = await newPlanOnTablet('rabot-blaisantvest');
  await tapAddAmbition(a, 'Eenzaamheid verminderen');
  await tapAddAmbition(a, 'Gezond in de wijk');
  for (const title of ['Buurtsoep', 'Huisbezoeken', 'Telefooncirkel']) {
    await tapAddAction(a, 'Eenzaamheid verminderen', title);
  }
  for (const title of ['Huisartsenzoeker', 'Beweegbank']) {
    await tapAddAction(a, 'Gezond in de wijk', title);
  }
  assert.equal(await a.locator('li.action').count(), 5);

  // A bad form: every problem is named, in Dutch, and nothing is saved.
  await tapAction(a, 'Buurtsoep');
  await a.fill('#action-progress', '150');
  await a.fill('#action-start', '2026-03-01');
  await a.fill('#action-end', '2026-02-01');
  await a.getByRole('button', { name: 'Gegevens bewaren' }).tap();
  await a.getByText('Het percentage moet tussen 0 en 100 liggen.').waitFor();
  await a.getByText('De einddatum ligt vóór de startdatum.').waitFor();
  assert.equal(await a.getAttribute('#action-progress', 'aria-invalid'), 'true');

  // Fixed: saved in one go.
  await a.fill('#action-progress', '');
  await a.fill('#action-start', '2025-09-01');
  await a.fill('#action-end', '2026-01-31');
  await a.selectOption('#action-status', 'lopend');
  await a.selectOption('#action-thema', 'ouderen');
  await a.selectOption('#action-trekker', 'lokaal-dienstencentrum');
  await a.locator('#partner-ocmw-welzijnsbureau').tap();
  await a.getByRole('button', { name: 'Gegevens bewaren' }).tap();
  await a.getByText('Gegevens bewaard.').waitFor();
  await a.fill('#budget-label', 'Soep en brood');
  await a.fill('#budget-planned', '1.250,50');
  await a.getByRole('button', { name: 'Budgetlijn toevoegen' }).tap();
  await a.getByText('Totaal gepland € 1.250,50 · besteed € 0,00').waitFor();
  await a.getByText('Budget: € 1.250,50 gepland, € 0,00 besteed; € 0,00 gepland uit het wijkbudget.').waitFor();
  await a.getByRole('button', { name: 'Sluiten' }).tap();
  await a.locator('.editor').waitFor({ state: 'detached' });

  // Lopend = 50 %, four acties at 0 %: the plan stands at 10 %.
  await a.getByText('Voortgang van het plan: 10 %').waitFor();

  // The table: filter on status, thema, partner, overdue; sort.
  await openTab(a, 'Tabel');
  await waitFor(async () => (await tableTitles(a)).length === 5, { message: 'five rows' });
  assert.deepEqual(await tableTitles(a), ['Beweegbank', 'Buurtsoep', 'Huisartsenzoeker', 'Huisbezoeken', 'Telefooncirkel']);
  await a.selectOption('#filter-thema', 'ouderen');
  await waitFor(async () => (await tableTitles(a)).join() === 'Buurtsoep', { message: 'thema filter' });
  await a.selectOption('#filter-thema', '');
  await a.selectOption('#filter-partner', 'ocmw-welzijnsbureau');
  await waitFor(async () => (await tableTitles(a)).join() === 'Buurtsoep', { message: 'partner filter' });
  await a.selectOption('#filter-partner', '');
  await a.locator('#filter-overdue').tap();
  await waitFor(async () => (await tableTitles(a)).join() === 'Buurtsoep', { message: 'overdue filter' });
  await a.locator('#filter-overdue').tap();
  await a.selectOption('#filter-status', 'idee');
  await waitFor(async () => (await tableTitles(a)).length === 4, { message: 'status filter' });
  await a.getByRole('button', { name: 'Actie', exact: true }).tap();
  await waitFor(async () => (await tableTitles(a))[0] === 'Telefooncirkel', { message: 'descending sort' });

  // The board: drag a card to another column, and move one by keyboard.
  await openTab(a, 'Bord');
  const card = (title) => a.locator('.board-card', { hasText: title });
  const column = (status) => a.locator(`.board-column[data-status="${status}"]`);
  await card('Huisbezoeken').locator('.drag-handle').dragTo(column('gepland'));
  await column('gepland').locator('.board-card', { hasText: 'Huisbezoeken' }).waitFor();
  await card('Beweegbank').locator('select').focus();
  await card('Beweegbank').locator('select').selectOption('afgerond');
  await column('afgerond').locator('.board-card', { hasText: 'Beweegbank' }).waitFor();

  // Another device sees the same plan, statuses included.
  const link = await a.inputValue('#edit-link');
  const { page: b } = await tablet('B');
  await b.goto(link);
  await openTab(b, 'Bord');
  await b.locator('.board-column[data-status="gepland"] .board-card', { hasText: 'Huisbezoeken' }).waitFor({ timeout: 15_000 });
  await b.locator('.board-column[data-status="afgerond"] .board-card', { hasText: 'Beweegbank' }).waitFor();
  await b.locator('.board-column[data-status="lopend"] .board-card', { hasText: 'Buurtsoep' }).waitFor();
});

test('two people typing in one description keep both their words', async () => {
  const { page: a } = await newPlanOnTablet('brugse-poort-rooigem');
  await tapAddAmbition(a, 'Ontmoeting');
  await tapAddAction(a, 'Ontmoeting', 'Buurtsoep');
  await tapAction(a, 'Buurtsoep');
  await a.locator('#action-description').fill('Soep op vrijdag.');
  const link = await a.inputValue('#edit-link');
  const { page: b } = await tablet('B');
  await b.goto(link);
  await tapAction(b, 'Buurtsoep');
  await waitFor(async () => (await b.inputValue('#action-description')) === 'Soep op vrijdag.', { message: 'B sees the text' });

  // A types at the end while B types at the start, at the same time.
  await a.locator('#action-description').focus();
  await a.keyboard.press('End');
  await b.locator('#action-description').focus();
  await b.keyboard.press('Home');
  await Promise.all([
    a.keyboard.type(' Gratis.', { delay: 30 }),
    b.keyboard.type('Verse ', { delay: 30 }),
  ]);
  const merged = 'Verse Soep op vrijdag. Gratis.';
  for (const page of [a, b]) {
    await waitFor(async () => (await page.inputValue('#action-description')) === merged, {
      message: `merged description (has "${await page.inputValue('#action-description')}")`,
    });
  }
});

test('a signal captured offline reaches another device after reconnecting', async () => {
  // A in the field with no network at all: no direct link to B either.
  const { context, page: a } = await newPlanOnTablet('gentbrugge', { direct: false });
  await tapAddAmbition(a, 'Wonen');
  await tapAddAction(a, 'Wonen', 'Schimmelpreventie');
  const link = await a.inputValue('#edit-link');
  const { page: b } = await tablet('B');
  await b.goto(link);
  await b.locator('.action-title', { hasText: 'Schimmelpreventie' }).waitFor({ timeout: 15_000 });
  await openTab(b, 'Signalen');

  await context.setOffline(true);
  await waitForSyncState(a, 'offline');
  await openTab(a, 'Signalen');
  await a.fill('#signal-what', 'Vocht en schimmel in sociale woningen');
  await a.fill('#signal-place', 'Bomastraat');
  await a.selectOption('#signal-thema', 'wonen');
  await a.selectOption('#signal-source', 'wijkgezondheidscentrum');
  await a.selectOption('#signal-action', { label: 'Schimmelpreventie' });
  await a.getByRole('button', { name: 'Signaal bewaren' }).tap();
  await a.getByText('Signaal bewaard.').waitFor();
  await a.locator('.signal-what', { hasText: 'Vocht en schimmel' }).waitFor();
  // A second report of the same problem: a recurrence.
  await a.fill('#signal-what', 'Kinderen ziek door schimmel');
  await a.selectOption('#signal-thema', 'gezondheid');
  await a.selectOption('#signal-same', { index: 1 });
  await a.getByRole('button', { name: 'Signaal bewaren' }).tap();
  await a.locator('.signal-what', { hasText: 'Kinderen ziek' }).waitFor();
  await a.getByText('2× Vocht en schimmel in sociale woningen').waitFor();
  // An empty form is refused with a message, and adds nothing.
  await a.getByRole('button', { name: 'Signaal bewaren' }).tap();
  await a.getByText('Vul dit veld in.').waitFor();
  assert.equal(await a.locator('.signal').count(), 2);
  // B, online all along, has not seen them.
  assert.equal(await b.locator('.signal').count(), 0);

  await context.setOffline(false);
  await waitForSyncState(a, 'online', 30_000);
  await b.locator('.signal-what', { hasText: 'Vocht en schimmel' }).waitFor({ timeout: 15_000 });
  await b.locator('.signal-what', { hasText: 'Kinderen ziek' }).waitFor();
  await b.getByText('2× Vocht en schimmel in sociale woningen').waitFor();
  const counts = await b.locator('.signal-counts li').allTextContents();
  assert.deepEqual(counts.map((c) => c.replace(/\s+/g, ' ').trim()).sort(), ['1 Gezondheid', '1 Wonen']);
  await b.getByText('Gekoppeld aan: Schimmelpreventie').waitFor();
});

test('the adresboek is seeded on every device and an added partner reaches the others', async () => {
  const { page: a } = await tablet('A');
  await a.goto(`${stack.relay.url}/?token=${stack.token}`);
  await waitForSyncState(a, 'online');
  await a.getByRole('link', { name: 'Adresboek' }).tap();
  await a.getByRole('heading', { name: 'Adresboek' }).waitFor();
  assert.equal(await a.locator('table.wijken tbody tr').count(), 25);
  assert.ok((await a.locator('ul.people li').allTextContents()).some((p) => p.includes('Nele Descheemaeker')));
  await a.getByRole('button', { name: 'Organisatie toevoegen' }).tap();
  await a.getByText('Geef een titel op.').waitFor();
  await a.fill('#organisation-name', 'WGC De Kaai');
  await a.selectOption('#organisation-kind', 'wijkgezondheidscentrum');
  await a.getByRole('button', { name: 'Organisatie toevoegen' }).tap();
  await a.locator('ul.organisations li', { hasText: 'WGC De Kaai' }).waitFor();

  // Another device: the same directory, with the new partner, usable in a plan.
  const { page: b } = await tablet('B');
  await b.goto(`${stack.relay.url}/adresboek?token=${stack.token}`);
  await b.locator('ul.organisations li', { hasText: 'WGC De Kaai' }).waitFor({ timeout: 15_000 });
  await b.goto(`${stack.relay.url}/`);
  await b.selectOption('#wijk-select', 'drongen');
  await b.getByRole('button', { name: 'Maak wijkactieplan' }).tap();
  await b.waitForURL(/\/plan\//);
  await openTab(b, 'Team');
  await b.selectOption('#member-organisation', { label: 'WGC De Kaai (Wijkgezondheidscentrum)' });
  await b.getByRole('button', { name: 'Toevoegen' }).tap();
  await b.locator('[data-circle="wijkactieteam"] li', { hasText: 'WGC De Kaai' }).waitFor();
});
