// From a knelpunt to a campaign: a knelpunt is registered and a signal
// linked; three partners at one ronde tafel, each on their own device, add
// cards and score the pistes at the same time and all see the same grid; a
// the facilitator leads while a participant proposes; a shared screen for
// the projector follows live, the most disputed piste marked as the next
// topic; a campaign is composed and signed by two organisations, and editing its
// text afterwards marks those signatures as given for an earlier version.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useStack } from './lib/stack.mjs';
import { device, waitFor, waitForSyncState } from './lib/browser.mjs';
import { closeCardTools, openCardTools, tableCard } from './lib/roundtable.mjs';
import { axeViolations, describeViolations } from './lib/a11y.mjs';

const stack = useStack();

/** A partner's laptop: its own profile. */
async function laptop(name) {
  return (await device(stack.browser, name, { viewport: { width: 1400, height: 900 } })).page;
}

async function join(page, name, organisation) {
  await page.fill('#join-name', name);
  await page.fill('#join-organisation', organisation);
  await page.getByRole('button', { name: 'Aanschuiven' }).click();
  await page.locator('.participants li', { hasText: name }).waitFor();
}

async function addCard(page, section, text) {
  await page.fill(`#new-card-${section}`, text);
  await page.locator(`.table-column[data-section="${section}"]`).getByRole('button', { name: 'Kaart toevoegen' }).click();
  await page.locator(`.table-column[data-section="${section}"] .card-text`, { hasText: text }).waitFor();
}

async function score(page, pisteText, feasibility, effect) {
  const form = page.locator('.score-form', { hasText: pisteText });
  await form.locator('select').nth(0).selectOption(String(feasibility));
  await form.locator('select').nth(1).selectOption(String(effect));
  await form.getByRole('button', { name: 'Score bewaren' }).click();
  await form.getByText('Bewaard').waitFor();
}

/** Chooses the option whose text contains `text`. */
async function selectByText(select, text) {
  const value = await select.locator('option', { hasText: text }).first().getAttribute('value');
  await select.selectOption(value);
}

async function legend(page, pisteText) {
  return page.locator('.grid-legend li', { hasText: pisteText }).locator('.assessment-detail').textContent();
}

test('three partners map and score at one table; a campaign is signed by two organisations', async () => {
  // The regisseur registers a knelpunt, with a signal from a wijk plan.
  const a = await laptop('A');
  await a.goto(`${stack.relay.url}/?token=${stack.token}`);
  await waitForSyncState(a, 'online');
  await a.selectOption('#wijk-select', 'rabot-blaisantvest');
  await a.getByRole('button', { name: 'Maak wijkactieplan' }).click();
  await a.waitForURL(/\/plan\//);
  await a.getByRole('tab', { name: 'Signalen' }).click();
  await a.fill('#signal-what', 'Gezinnen met kinderen in vochtige woningen');
  await a.getByRole('button', { name: 'Signaal bewaren' }).click();
  await a.getByText('Signaal bewaard.').waitFor();

  await a.getByRole('link', { name: 'Knelpunten' }).click();
  await a.locator('.attention-list li', { hasText: 'vochtige woningen' }).waitFor();
  await a.getByRole('button', { name: 'Knelpunt toevoegen' }).click();
  await a.getByText('Geef een titel op.').waitFor();
  await a.fill('#knelpunt-title', 'Schimmel in sociale woningen');
  await a.fill('#knelpunt-question', 'Hoe pakken wonen en gezondheid dit samen aan?');
  await a.locator('#domain-wonen').check();
  await a.locator('#domain-gezondheid').check();
  await a.getByRole('button', { name: 'Knelpunt toevoegen' }).click();
  const knelpunt = a.locator('section.knelpunt', { hasText: 'Schimmel in sociale woningen' });
  await knelpunt.waitFor();
  await selectByText(knelpunt.locator('select[id^="link-signal-"]'), 'vochtige woningen');
  await knelpunt.getByRole('button', { name: 'Koppel' }).click();
  await knelpunt.getByText('1 gekoppeld signaal').waitFor();
  await a.locator('.attention').getByText('Geen.').waitFor();

  // A ronde tafel starts from it; three partners join on their own devices.
  await knelpunt.getByRole('button', { name: 'Start een ronde tafel' }).click();
  await a.waitForURL(/\/tafel\//);
  await a.getByRole('heading', { name: 'Ronde tafel: Schimmel in sociale woningen' }).waitFor();
  const link = await a.inputValue('#edit-link');
  assert.match(link, /\/tafel\/.+#token=/);
  await a.locator('.table-signals li', { hasText: 'vochtige woningen' }).waitFor();
  const b = await laptop('B');
  const c = await laptop('C');
  // B, a new device, sees the knelpunt with its signal: the register lists
  // every plan, so B fetches the plan the signal is in.
  await b.goto(`${stack.relay.url}/knelpunten?token=${stack.token}`);
  await b.locator('section.knelpunt .linked-signals li', { hasText: 'Rabot - Blaisantvest: Gezinnen met kinderen' }).waitFor({ timeout: 15_000 });
  await Promise.all([b.goto(link), c.goto(link)]);
  for (const page of [b, c]) await page.getByRole('heading', { name: /Ronde tafel/ }).waitFor({ timeout: 15_000 });
  await join(a, 'Hilde', 'Dienst Wonen');
  await join(b, 'Leen', 'WGC De Kaai');
  await join(c, 'Claudine', 'OCMW');
  await a.getByRole('button', { name: 'Pistes' }).click();
  for (const page of [b, c]) await page.locator('.phase[aria-pressed="true"]', { hasText: 'Pistes' }).waitFor();
  // Hilde started the table and leads it: Leen's click only proposes.
  await b.getByText('Begeleid door Hilde.').waitFor();
  await b.getByRole('button', { name: 'Analyseren' }).click();
  await a.locator('.proposals li', { hasText: 'Leen stelt voor: Analyseren' }).waitFor();
  for (const page of [a, b, c]) assert.equal(await page.locator('.phase[aria-pressed="true"]').innerText(), 'Pistes');
  assert.equal(await b.locator('#timer-minutes').count(), 0, 'only the facilitator runs the timer');

  // Everyone adds cards at the same time.
  await Promise.all([
    addCard(a, 'probleem', 'Kinderen worden ziek van schimmel'),
    addCard(b, 'piste', 'Schimmelteam aan huis'),
    addCard(c, 'piste', 'Premie voor ventilatie'),
  ]);
  await Promise.all([addCard(a, 'oorzaak', 'Slechte ventilatie'), addCard(b, 'effect', 'Meer huisartsbezoeken')]);
  for (const page of [a, b, c]) {
    for (const text of ['Kinderen worden ziek', 'Schimmelteam aan huis', 'Premie voor ventilatie', 'Slechte ventilatie', 'Meer huisartsbezoeken']) {
      await page.locator('.card-text', { hasText: text }).waitFor({ timeout: 15_000 });
    }
  }

  // A link between two cards is visible to everyone.
  const problem = tableCard(a, 'Kinderen worden ziek');
  const tools = await openCardTools(a, problem);
  await tools.locator('select[id^="relation-"]').selectOption('probleem-oplossing');
  await selectByText(tools.locator('select[id^="link-"]'), 'Schimmelteam');
  await tools.getByRole('button', { name: 'Verbinden' }).click();
  for (const page of [a, b, c]) {
    await page.locator('.link-list li', { hasText: 'probleem – oplossing' }).waitFor({ timeout: 15_000 });
  }
  await closeCardTools(a, problem);

  // A card added twice is removed (after a second tap) from every board.
  await addCard(b, 'probleem', 'Schimmel in de badkamer (dubbel)');
  await a.locator('.card-text', { hasText: '(dubbel)' }).waitFor({ timeout: 15_000 });
  const double = tableCard(b, '(dubbel)');
  const doubleTools = await openCardTools(b, double);
  await doubleTools.getByRole('button', { name: 'Kaart verwijderen' }).click();
  await doubleTools.getByRole('button', { name: 'Zeker? Tik nogmaals om de kaart te verwijderen' }).click();
  for (const page of [a, b, c]) await page.locator('.card-text', { hasText: '(dubbel)' }).waitFor({ state: 'detached', timeout: 15_000 });

  // A card's text is edited in place and reaches the others.
  const effect = tableCard(c, 'Meer huisartsbezoeken');
  const effectTools = await openCardTools(c, effect);
  // Control+End: End alone stops at the end of a wrapped visual line.
  await effectTools.locator('textarea').press('Control+End');
  await effectTools.locator('textarea').pressSequentially(' bij kinderen');
  for (const page of [a, b]) {
    await page.locator('.card-text', { hasText: 'Meer huisartsbezoeken bij kinderen' }).waitFor({ timeout: 15_000 });
  }

  // Everyone scores both pistes at the same time.
  for (const page of [a, b, c]) await page.locator('.score-form', { hasText: 'Premie voor ventilatie' }).waitFor();
  await Promise.all([
    (async () => { await score(a, 'Schimmelteam', 4, 5); await score(a, 'Premie', 2, 2); })(),
    (async () => { await score(b, 'Schimmelteam', 2, 3); await score(b, 'Premie', 3, 2); })(),
    (async () => { await score(c, 'Schimmelteam', 3, 4); await score(c, 'Premie', 4, 2); })(),
  ]);
  const expected = {
    Schimmelteam: 'haalbaarheid 3.0 (± 0.8), effect 4.0 (± 0.8), 3 scores',
    Premie: 'haalbaarheid 3.0 (± 0.8), effect 2.0 (± 0.0), 3 scores',
  };
  for (const page of [a, b, c]) {
    for (const [piste, detail] of Object.entries(expected)) {
      await waitFor(async () => (await legend(page, piste)) === detail, {
        message: `${piste} on every device (has "${await legend(page, piste)}")`,
      });
    }
    assert.equal(await page.locator('.grid .piste-dot').count(), 2);
    // The partners split most on the Schimmelteam: the next topic.
    await page.locator('.grid-legend li.disputed', { hasText: 'Schimmelteam' }).getByText('het volgende gespreksonderwerp').waitFor();
  }

  // The projector: the shared screen shows the cards and the grid, has no
  // controls, and follows the facilitator live.
  const screen = await laptop('scherm');
  await screen.goto(link.replace('#', '/scherm#'));
  await screen.locator('.screen-column li', { hasText: 'Schimmelteam' }).waitFor({ timeout: 15_000 });
  await screen.locator('.screen .grid-legend li.disputed', { hasText: 'Schimmelteam' }).waitFor();
  assert.equal(await screen.locator('article.screen').locator('button, input, select, textarea').count(), 0, 'no controls');
  assert.equal(await screen.locator('.topbar').isVisible(), false, 'no header on the projector');
  await screen.locator('.screen-phase strong', { hasText: 'Pistes' }).waitFor();
  await a.getByRole('button', { name: 'Beoordelen' }).click();
  await screen.locator('.screen-phase strong', { hasText: 'Beoordelen' }).waitFor({ timeout: 15_000 });
  const violations = await axeViolations(screen);
  assert.equal(violations.length, 0, `axe on the shared screen:\n${describeViolations(violations)}`);

  // Two people at one laptop: Claudine's colleague scores too, and the
  // scores show per person and per organisation.
  await c.fill('#scorer-name', 'Ilse');
  await c.fill('#scorer-organisation', 'OCMW');
  await c.getByRole('button', { name: 'Laat ook scoren' }).click();
  await waitFor(async () => (await c.locator('#scorer option:checked').innerText()).startsWith('Ilse'), { message: 'Ilse scores now' });
  await score(c, 'Premie', 5, 5);
  await a.locator('details.scores-detail summary').click();
  const premie = a.locator('.scores-table tr', { hasText: 'Premie' });
  await premie.getByText('Ilse: 5 / 5').waitFor({ timeout: 15_000 });
  await premie.getByText('OCMW: 4.5 / 3.5 (2)').waitFor();

  // A campaign is composed from the board…
  await a.fill('#campaign-title', 'Droge woningen');
  for (const label of [/Kinderen worden ziek/, /Slechte ventilatie/, /Schimmelteam/]) {
    await a.locator('.compose label.check', { hasText: label }).locator('input').check();
  }
  await a.getByRole('button', { name: 'Maak campagne' }).click();
  await a.waitForURL(/\/campagne\//);
  await a.locator('.parts li', { hasText: 'Schimmelteam aan huis' }).waitFor();
  await a.locator('#commitment').fill('Wij zetten samen een schimmelteam op in Rabot.');
  // …and signed by two organisations, each on its own device.
  await a.fill('#sign-organisation', 'Dienst Wonen');
  await a.fill('#sign-who', 'Hilde');
  await a.getByRole('button', { name: 'Onderteken' }).click();
  const campaignLink = await a.inputValue('#edit-link');
  await b.goto(campaignLink);
  await b.locator('.signature', { hasText: 'Dienst Wonen' }).waitFor({ timeout: 15_000 });
  await b.fill('#sign-organisation', 'WGC De Kaai');
  await b.fill('#sign-who', 'Leen');
  await b.getByRole('button', { name: 'Onderteken' }).click();
  for (const page of [a, b]) {
    await page.locator('.signature.current', { hasText: 'WGC De Kaai' }).waitFor({ timeout: 15_000 });
    await page.locator('.signature.current', { hasText: 'Dienst Wonen' }).waitFor();
  }
  // A change to the text after signing: both signed an earlier version.
  await b.locator('#commitment').press('Control+End');
  await b.locator('#commitment').pressSequentially(' Start in januari.');
  for (const page of [a, b]) {
    await waitFor(async () => (await page.locator('.signature.earlier').count()) === 2, { message: 'signatures marked earlier' });
  }
  await a.getByText('ondertekende een eerdere versie').first().waitFor();
});
