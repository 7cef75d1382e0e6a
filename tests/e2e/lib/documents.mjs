// A small but complete set of documents, made through the UI as a sociaal
// regisseur would: a wijkactieplan with ambities and acties in several
// statuses and a signal, a knelpunt with that signal, a ronde tafel with
// cards in every column, a link and scores, and a campaign composed from it
// and signed by two organisations. The print and accessibility tests look
// at pages filled like this, so empty lists do not hide problems.
import { device, waitForSyncState } from './browser.mjs';
import { addAction, addAmbition } from './plan.mjs';
import { closeCardTools, openCardTools, tableCard } from './roundtable.mjs';

/** What `fillWorkspace` made, by title, so tests can look for it. */
export const CONTENT = {
  ambitions: {
    'Eenzaamheid verminderen': [
      ['Buurtsoep op vrijdag', 'lopend', '50 %'],
      ['Huisbezoeken bij ouderen', 'afgerond', '100 %'],
      ['Telefooncirkel', 'idee', '0 %'],
    ],
    'Gezond in de wijk': [
      ['Beweegbank in het park', 'gepland', '10 %'],
      ['Infoavond schimmel', 'stopgezet', '0 %'],
    ],
  },
  signal: 'Gezinnen met kinderen in vochtige woningen',
  knelpunt: 'Schimmel in sociale woningen',
  cards: {
    probleem: 'Kinderen worden ziek van schimmel',
    actor: 'Huisvestingsmaatschappij',
    oorzaak: 'Slechte ventilatie',
    effect: 'Meer huisartsbezoeken',
    piste: 'Schimmelteam aan huis',
  },
  campaign: 'Droge woningen',
  commitment: 'Wij zetten samen een schimmelteam op in Rabot en volgen elke maand op.',
  signatures: [['Dienst Wonen', 'Hilde'], ['WGC De Kaai', 'Leen']],
};

/** Chooses the option of `select` whose text contains `text`. */
async function selectByText(select, text) {
  const value = await select.locator('option', { hasText: text }).first().getAttribute('value');
  await select.selectOption(value);
}

/** Fills a fresh workspace through `page` (already given the edit link's
 * token); returns the paths of the plan, the ronde tafel and the campaign. */
export async function fillWorkspace(page, baseUrl, token) {
  await page.goto(`${baseUrl}/?token=${token}`);
  await waitForSyncState(page, 'online');
  await page.selectOption('#wijk-select', 'rabot-blaisantvest');
  await page.getByRole('button', { name: 'Maak wijkactieplan' }).click();
  await page.waitForURL(/\/plan\//);
  const plan = new URL(page.url()).pathname;
  for (const [ambitionTitle, actions] of Object.entries(CONTENT.ambitions)) {
    await addAmbition(page, ambitionTitle);
    for (const [title, status] of actions) await addAction(page, ambitionTitle, title, status);
  }
  await page.getByRole('tab', { name: 'Signalen' }).click();
  await page.fill('#signal-what', CONTENT.signal);
  await page.getByRole('button', { name: 'Signaal bewaren' }).click();
  await page.getByText('Signaal bewaard.').waitFor();

  // The knelpunt, with the signal, starts a ronde tafel.
  await page.getByRole('link', { name: 'Knelpunten' }).click();
  await page.fill('#knelpunt-title', CONTENT.knelpunt);
  await page.fill('#knelpunt-question', 'Hoe pakken wonen en gezondheid dit samen aan?');
  await page.locator('#domain-wonen').check();
  await page.getByRole('button', { name: 'Knelpunt toevoegen' }).click();
  const knelpunt = page.locator('section.knelpunt', { hasText: CONTENT.knelpunt });
  await knelpunt.waitFor();
  await selectByText(knelpunt.locator('select[id^="link-signal-"]'), 'vochtige woningen');
  await knelpunt.getByRole('button', { name: 'Koppel' }).click();
  await knelpunt.getByText('1 gekoppeld signaal').waitFor();
  await knelpunt.getByRole('button', { name: 'Start een ronde tafel' }).click();
  await page.waitForURL(/\/tafel\//);
  const table = new URL(page.url()).pathname;

  await page.fill('#join-name', 'Hilde');
  await page.fill('#join-organisation', 'Dienst Wonen');
  await page.getByRole('button', { name: 'Aanschuiven' }).click();
  await page.locator('.participants li', { hasText: 'Hilde' }).waitFor();
  for (const [section, text] of Object.entries(CONTENT.cards)) {
    if (section === 'actor') await page.fill('#new-actor-organisation', 'Woonpunt');
    await page.fill(`#new-card-${section}`, text);
    await page.locator(`.table-column[data-section="${section}"]`).getByRole('button', { name: 'Kaart toevoegen' }).click();
    await page.locator(`.table-column[data-section="${section}"] .card-text`, { hasText: text }).waitFor();
  }
  const problem = tableCard(page, CONTENT.cards.probleem);
  const tools = await openCardTools(page, problem);
  await tools.locator('select[id^="relation-"]').selectOption('probleem-oplossing');
  await selectByText(tools.locator('select[id^="link-"]'), CONTENT.cards.piste);
  await tools.getByRole('button', { name: 'Verbinden' }).click();
  await page.locator('.link-list li', { hasText: 'probleem – oplossing' }).waitFor();
  await closeCardTools(page, problem);
  const scoring = page.locator('.score-form', { hasText: CONTENT.cards.piste });
  await scoring.locator('select').nth(0).selectOption('4');
  await scoring.locator('select').nth(1).selectOption('5');
  await scoring.getByRole('button', { name: 'Score bewaren' }).click();
  await page.locator('.grid .piste-dot').first().waitFor();

  // The campaign, composed from every card and signed twice.
  await page.fill('#campaign-title', CONTENT.campaign);
  for (const input of await page.locator('.compose label.check input').all()) await input.check();
  await page.getByRole('button', { name: 'Maak campagne' }).click();
  await page.waitForURL(/\/campagne\//);
  const campaign = new URL(page.url()).pathname;
  await page.locator('.parts li', { hasText: CONTENT.cards.piste }).waitFor();
  await page.locator('#commitment').fill(CONTENT.commitment);
  for (const [organisation, who] of CONTENT.signatures) {
    await page.fill('#sign-organisation', organisation);
    await page.fill('#sign-who', who);
    await page.getByRole('button', { name: 'Onderteken' }).click();
    await page.locator('.signature.current', { hasText: organisation }).waitFor();
  }
  await page.fill('#update-text', 'Eerste overleg met de huisvestingsmaatschappij gepland.');
  await page.getByRole('button', { name: 'Opvolging toevoegen' }).click();
  await page.locator('.updates li', { hasText: 'Eerste overleg' }).waitFor();
  return { plan, table, campaign };
}

/** For a file whose tests all look at the same documents: `ready()` fills a
 * workspace once, from a page in a new context with `options`, and resolves
 * to `{ page, paths }`. The first test that calls it does the work (a
 * file-level `before` may run before the stack's own). */
export function sharedWorkspace(stack, options) {
  let filled;
  return () => (filled ??= (async () => {
    const { page } = await device(stack.browser, 'A', options);
    const paths = await fillWorkspace(page, stack.relay.url, stack.token);
    return { page, paths };
  })());
}
