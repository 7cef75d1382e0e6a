// The regie cycle as one chain, tried as people would: a signal captured
// on a tablet becomes a knelpunt, passes "bereidheid polsen", gets a ronde
// tafel that a partner finds from their home page without a URL, yields a
// campaign whose piste becomes an actie in the wijk's plan; the actie says
// why it exists and the signal what was done with it. And: two offline
// tablets that each create one wijk's plan make one plan.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useStack } from './lib/stack.mjs';
import { device, waitFor, waitForSyncState } from './lib/browser.mjs';
import { introduce } from './lib/people.mjs';
import { addAction, addAmbition, ambition } from './lib/plan.mjs';
import { openCardTools, tableCard } from './lib/roundtable.mjs';

const stack = useStack();

async function laptop(name) {
  return (await device(stack.browser, name, { viewport: { width: 1280, height: 900 } })).page;
}

async function selectByText(select, text) {
  const value = await select.locator('option', { hasText: text }).first().getAttribute('value');
  await select.selectOption(value);
}

/** The step a knelpunt's card shows as current. */
async function stage(page, knelpunt) {
  return knelpunt.locator('.stages li[aria-current="step"]').getAttribute('data-stage');
}

test('one signal followed to an actie and back', async () => {
  // On a tablet in Ledeberg, a partner captures a signal.
  const tablet = (await device(stack.browser, 'tablet', { hasTouch: true, viewport: { width: 820, height: 1180 } })).page;
  await tablet.goto(`${stack.relay.url}/?token=${stack.token}`);
  await waitForSyncState(tablet, 'online');
  await introduce(tablet, 'Nele', 'WGC Ledeberg');
  await tablet.selectOption('#wijk-select', 'ledeberg');
  await tablet.getByRole('button', { name: 'Maak wijkactieplan' }).click();
  await tablet.waitForURL(/\/plan\//);
  const planUrl = tablet.url();
  await tablet.getByRole('tab', { name: 'Signalen' }).click();
  await tablet.fill('#signal-what', 'Geen huisarts die nog nieuwe patiënten neemt');
  await tablet.selectOption('#signal-kind', 'tekort');
  await tablet.fill('#signal-doelgroep', 'gezinnen in armoede');
  await tablet.selectOption('#signal-thema', 'gezondheid');
  await tablet.getByRole('button', { name: 'Signaal bewaren' }).click();
  await tablet.getByText('Signaal bewaard.').waitFor();
  await tablet.locator('.signal', { hasText: 'Geen huisarts' }).getByText('Tekort').waitFor();

  // The tablet's wijk is listed: opening "Ledeberg" again opens this plan.
  await tablet.goto(`${stack.relay.url}/`);
  await tablet.selectOption('#wijk-select', 'ledeberg');
  await tablet.getByRole('button', { name: 'Open het plan van Ledeberg' }).click();
  await tablet.waitForURL(planUrl);

  // The regisseur sees it needs attention, makes it a knelpunt across two
  // domains: the register routes it to a ronde tafel.
  const regisseur = await laptop('regisseur');
  await regisseur.goto(`${stack.relay.url}/?token=${stack.token}`);
  await introduce(regisseur, 'Leen Van Zele', 'Gezondheidsdienst');
  await regisseur.getByRole('link', { name: 'Knelpunten' }).click();
  await regisseur.locator('.attention-list li', { hasText: 'Geen huisarts' }).waitFor({ timeout: 15_000 });
  await regisseur.fill('#knelpunt-title', 'Nuldelijnsgezondheidszorg voor kansarmen');
  await regisseur.locator('#domain-gezondheid').check();
  await regisseur.locator('#domain-armoedebestrijding').check();
  await regisseur.getByRole('button', { name: 'Knelpunt toevoegen' }).click();
  const knelpunt = regisseur.locator('section.knelpunt', { hasText: 'Nuldelijnsgezondheidszorg' });
  await knelpunt.waitFor();
  await selectByText(knelpunt.locator('select[id^="link-signal-"]'), 'Geen huisarts');
  await knelpunt.getByRole('button', { name: 'Koppel' }).click();
  await knelpunt.getByText('1 gekoppeld signaal').waitFor();
  await knelpunt.getByText('Raakt meerdere beleidsdomeinen: hoort op een ronde tafel.').waitFor();
  assert.equal(await stage(regisseur, knelpunt), 'nieuw');
  // The regisseur of wonen would not see it; the regisseur of gezondheid does.
  await regisseur.selectOption('#inbox-regisseur', 'Leen Van Zele');
  await regisseur.locator('.inbox-knelpunten li', { hasText: 'Nuldelijnsgezondheidszorg' }).waitFor();
  await regisseur.locator('.inbox-signals li', { hasText: 'Geen huisarts' }).waitFor();

  // Bereidheid polsen: the regisseur and a partner of another domain say yes.
  await knelpunt.locator('details.readiness summary').click();
  await knelpunt.locator('select[id$="-ready-domain"]').selectOption('gezondheid');
  await knelpunt.locator('input[id$="-ready-contribution"]').fill('Huisartsen van de wijkgezondheidscentra');
  await knelpunt.getByRole('button', { name: 'Antwoord' }).click();
  await knelpunt.locator('.readiness-list li', { hasText: 'Leen Van Zele' }).waitFor();
  await waitFor(async () => (await stage(regisseur, knelpunt)) === 'bereidheid', { message: 'the knelpunt is being sounded out' });
  assert.equal(await knelpunt.locator('.proposal').count(), 0, 'one domain is not enough');

  const partner = await laptop('partner');
  await partner.goto(`${stack.relay.url}/?token=${stack.token}`);
  await introduce(partner, 'Joris Beaumon', 'OCMW Gent');
  await partner.getByRole('link', { name: 'Knelpunten' }).click();
  const seen = partner.locator('section.knelpunt', { hasText: 'Nuldelijnsgezondheidszorg' });
  await seen.waitFor({ timeout: 15_000 });
  await seen.locator('details.readiness summary').click();
  await seen.locator('select[id$="-ready-domain"]').selectOption('armoedebestrijding');
  await seen.getByRole('button', { name: 'Antwoord' }).click();
  await knelpunt.locator('.proposal').waitFor({ timeout: 15_000 });

  // The ronde tafel; the partner finds it from their home page, no URL sent.
  await knelpunt.getByRole('button', { name: 'Start een ronde tafel' }).click();
  await regisseur.waitForURL(/\/tafel\//);
  const tableUrl = regisseur.url();
  await partner.goto(`${stack.relay.url}/`);
  const listed = partner.locator('.open-boards li', { hasText: 'Nuldelijnsgezondheidszorg' });
  await listed.waitFor({ timeout: 15_000 });
  await listed.getByRole('link').click();
  await partner.waitForURL(tableUrl);
  await partner.fill('#join-name', 'Joris');
  await partner.fill('#join-organisation', 'OCMW Gent');
  await partner.getByRole('button', { name: 'Aanschuiven' }).click();
  await partner.fill('#new-card-piste', 'Huisartsen op wijkbezoek in het LDC');
  await partner.locator('.table-column[data-section="piste"]').getByRole('button', { name: 'Kaart toevoegen' }).click();
  await regisseur.locator('.card-text', { hasText: 'Huisartsen op wijkbezoek' }).waitFor({ timeout: 15_000 });

  // A campaign from the piste, with a trekker, a regisseur and a signature
  // with what the organisation brings in.
  await regisseur.fill('#campaign-title', 'Een huisarts in elke wijk');
  await regisseur.locator('.compose label.check', { hasText: 'Huisartsen op wijkbezoek' }).locator('input').check();
  await regisseur.getByRole('button', { name: 'Maak campagne' }).click();
  await regisseur.waitForURL(/\/campagne\//);
  await selectByText(regisseur.locator('#campaign-trekker'), 'Wijkgezondheidscentrum');
  await regisseur.selectOption('#campaign-regisseur', 'Leen Van Zele');
  await regisseur.getByRole('button', { name: 'Bewaar', exact: true }).click();
  await regisseur.locator('[data-regisseur]', { hasText: 'Leen Van Zele' }).waitFor();
  await regisseur.locator('#commitment').fill('Wij brengen huisartsen naar de wijk.');
  // The person said they are of the Gezondheidsdienst: that is who signs.
  await regisseur.locator('.signing-for', { hasText: 'Gezondheidsdienst' }).waitFor();
  await regisseur.fill('#sign-inbreng', 'Twee huisartsen, één dag per week');
  await regisseur.getByRole('button', { name: 'Onderteken' }).click();
  await regisseur.locator('.signature .inbreng', { hasText: 'Twee huisartsen' }).waitFor();

  // The piste becomes an actie in Ledeberg's plan.
  const piste = regisseur.locator('.follow-through .piste', { hasText: 'Huisartsen op wijkbezoek' });
  await selectByText(piste.locator('select[id^="piste-plan-"]'), 'Ledeberg');
  await piste.getByRole('button', { name: 'Maak er een actie van' }).click();
  const made = piste.locator('.piste-actions a', { hasText: 'Huisartsen op wijkbezoek' });
  await made.waitFor();

  // The register: the knelpunt is now in campaign.
  await regisseur.goto(`${stack.relay.url}/knelpunten`);
  const again = regisseur.locator('section.knelpunt', { hasText: 'Nuldelijnsgezondheidszorg' });
  await waitFor(async () => (await stage(regisseur, again)) === 'campagne', { message: 'the knelpunt moved on to its campaign' });
  await again.locator('.knelpunt-boards li', { hasText: 'Een huisarts in elke wijk' }).waitFor();
  await regisseur.locator('.boards li', { hasText: 'Een huisarts in elke wijk' }).waitFor();

  // On the tablet: the actie is in the plan and says why it exists.
  await tablet.goto(planUrl);
  await ambition(tablet, 'Een huisarts in elke wijk').waitFor({ timeout: 15_000 });
  await tablet.locator('.action-title', { hasText: 'Huisartsen op wijkbezoek' }).click();
  const why = tablet.locator('details.why');
  await why.locator('summary').click();
  const chain = ['Campagne: Een huisarts in elke wijk', 'Piste: Huisartsen op wijkbezoek in het LDC',
    'Ronde tafel: Nuldelijnsgezondheidszorg voor kansarmen', 'Knelpunt: Nuldelijnsgezondheidszorg voor kansarmen', 'Signaal: Geen huisarts die nog nieuwe patiënten neemt'];
  await why.locator('.why-chain li').nth(chain.length - 1).waitFor();
  assert.deepEqual((await why.locator('.why-chain li').allTextContents()).map((t) => t.replace(/\s+/g, ' ').trim()), chain);
  // Each step leads to its page.
  assert.equal(await why.locator('.why-chain li', { hasText: 'Knelpunt:' }).locator('a').getAttribute('href'), '/knelpunten');
  await tablet.getByRole('button', { name: 'Sluiten' }).click();

  // …and the signal says what was done with it.
  await tablet.getByRole('tab', { name: 'Signalen' }).click();
  const outcome = tablet.locator('.signal', { hasText: 'Geen huisarts' }).locator('.signal-outcome');
  for (const step of ['Knelpunt: Nuldelijnsgezondheidszorg', 'Ronde tafel: Nuldelijnsgezondheidszorg', 'Campagne: Een huisarts in elke wijk', 'Actie: Huisartsen op wijkbezoek']) {
    await outcome.locator('li', { hasText: step }).waitFor({ timeout: 15_000 });
  }
  for (const page of [tablet, regisseur, partner]) assert.deepEqual(page.errors, []);
});

test('two offline tablets that create the same wijk make one plan', async () => {
  const tablets = [];
  for (const name of ['A', 'B']) {
    const { context, page } = await device(stack.browser, name, { direct: false, hasTouch: true, viewport: { width: 820, height: 1180 } });
    await page.goto(`${stack.relay.url}/?token=${stack.token}`);
    await waitForSyncState(page, 'online');
    await context.setOffline(true);
    await waitForSyncState(page, 'offline');
    tablets.push({ context, page });
  }
  const urls = [];
  for (const [{ page }, [ambitionTitle, actie]] of tablets.map((t, i) => [t, [['Ontmoeting', 'Buurtsoep'], ['Jongeren', 'Huiswerkklas']][i]])) {
    await page.selectOption('#wijk-select', 'muide-meulestede-afrikalaan');
    await page.getByRole('button', { name: 'Maak wijkactieplan' }).click();
    await page.waitForURL(/\/plan\//);
    urls.push(page.url());
    await addAmbition(page, ambitionTitle);
    await addAction(page, ambitionTitle, actie, 'gepland');
  }
  assert.equal(urls[0], urls[1], 'the plan of a wijk has one address everywhere');
  for (const { context, page } of tablets) {
    await context.setOffline(false);
    await waitForSyncState(page, 'online', 30_000);
  }
  for (const { page } of tablets) {
    for (const title of ['Buurtsoep', 'Huiswerkklas']) {
      await page.locator('.action-title', { hasText: title }).waitFor({ timeout: 20_000 });
    }
    assert.equal(await page.locator('section.ambition').count(), 2);
  }
  // A third device sees one plan of Muide, with both.
  const third = await laptop('C');
  await third.goto(`${stack.relay.url}/?token=${stack.token}`);
  await third.locator('.plan-list li', { hasText: 'Muide' }).waitFor({ timeout: 15_000 });
  assert.equal(await third.locator('.plan-list li', { hasText: 'Muide' }).count(), 1);
  for (const { page } of tablets) assert.deepEqual(page.errors, []);
});

test('the adresboek holds real organisations and its regisseurs change; a tafel adds a kind of relation', async () => {
  const a = await laptop('adresboek A');
  const b = await laptop('adresboek B');
  for (const page of [a, b]) {
    await page.goto(`${stack.relay.url}/adresboek?token=${stack.token}`);
    await page.locator('.organisations li').first().waitFor({ timeout: 15_000 });
  }
  await a.fill('#organisation-name', 'WGC De Kaai');
  await a.selectOption('#organisation-kind', 'wijkgezondheidscentrum');
  await a.fill('#organisation-contact', 'An Peeters, 09 123 45 67');
  await a.locator('details.organisation-wijken summary').click();
  await a.locator('#organisation-wijk-ledeberg').check();
  await a.getByRole('button', { name: 'Organisatie toevoegen' }).click();
  const seen = b.locator('.organisations li', { hasText: 'WGC De Kaai' });
  await seen.waitFor({ timeout: 15_000 });
  assert.match(await seen.textContent(), /Wijkgezondheidscentrum · An Peeters, 09 123 45 67 · Ledeberg/);
  const row = a.locator('tr[data-wijk="zwijnaarde"]');
  await row.locator('input').fill('Sofie Claeys');
  await row.getByRole('button', { name: 'Wijzig' }).click();
  await waitFor(async () => (await b.locator('tr[data-wijk="zwijnaarde"] input').inputValue()) === 'Sofie Claeys', {
    message: 'the new regisseur on the other device',
  });

  // A ronde tafel names a relation seed 003 leaves open.
  await a.goto(`${stack.relay.url}/knelpunten`);
  await a.fill('#knelpunt-title', 'Vervoer naar de kinderopvang');
  await a.getByRole('button', { name: 'Knelpunt toevoegen' }).click();
  await a.locator('section.knelpunt', { hasText: 'Vervoer naar' }).getByRole('button', { name: 'Start een ronde tafel' }).click();
  await a.waitForURL(/\/tafel\//);
  for (const [section, text] of [['probleem', 'Geen bus in de vroege ochtend'], ['piste', 'Een buurtbusje']]) {
    await a.fill(`#new-card-${section}`, text);
    await a.locator(`.table-column[data-section="${section}"]`).getByRole('button', { name: 'Kaart toevoegen' }).click();
  }
  await a.fill('#new-relation', 'vraag – aanbod');
  await a.getByRole('button', { name: 'Voeg soort verband toe' }).click();
  const card = tableCard(a, 'Geen bus');
  const tools = await openCardTools(a, card);
  await selectByText(tools.locator('select[id^="relation-"]'), 'vraag – aanbod');
  await selectByText(tools.locator('select[id^="link-"]'), 'buurtbusje');
  await tools.getByRole('button', { name: 'Verbinden' }).click();
  await a.locator('.link-list li', { hasText: 'vraag – aanbod' }).waitFor();
  for (const page of [a, b]) assert.deepEqual(page.errors, []);
});
