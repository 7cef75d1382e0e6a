// Access that follows the regie (#15), as three people would try it: a
// sociaal regisseur makes a wijkactieteam link and a netwerk SW&G link for
// Ledeberg in the app; the team's tablet sees only Ledeberg; the netwerk
// partner reads the plan, passes on a signal captured offline, and it
// arrives; the regisseur revokes the netwerk link and that tablet says so
// and wipes what the link brought.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { device, launch, waitFor, waitForSyncState } from './lib/browser.mjs';
import { createPlan } from './lib/plan.mjs';
import { createToken, freePort, startRelay, tempDir } from './lib/relay.mjs';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { Repo } from '@automerge/automerge-repo';
import { BrowserWebSocketClientAdapter } from '@automerge/automerge-repo-network-websocket';

let relay;
let browser;
let dataDir;
const pages = [];

before(async () => {
  dataDir = await tempDir();
  relay = await startRelay({ port: await freePort(), dataDir });
  browser = await launch();
});

const repos = [];

after(async () => {
  // Stock repos first: their adapter throws on socket errors once the relay is gone.
  for (const repo of repos) await repo.shutdown();
  await browser?.close();
  await relay?.stop();
  for (const page of pages) assert.deepEqual(page.errors, [], 'no uncaught errors in the app');
});

async function tablet(name, options) {
  const { context, page } = await device(browser, name, options);
  pages.push(page);
  return { context, page };
}

/** Makes a link on the "Deellinks" page; returns the link to hand on. */
async function makeLink(page, forWhom, label) {
  await page.getByRole('link', { name: 'Deellinks' }).click();
  await page.selectOption('#link-scope', { label: forWhom });
  await page.fill('#link-label', label);
  const before = (await page.locator('#made-link').count()) ? await page.inputValue('#made-link') : '';
  await page.getByRole('button', { name: 'Link maken' }).click();
  await page.locator('.link-row', { hasText: label }).waitFor();
  await waitFor(async () => (await page.inputValue('#made-link')) !== before, { message: 'the new link' });
  return page.inputValue('#made-link');
}

test('a regisseur, a wijkactieteam and a netwerk partner each see exactly their part', async () => {
  // The city makes two plans; the regisseur of Ledeberg gets a link from the operator.
  const stad = await createToken({ dataDir });
  const { page: city } = await tablet('stad');
  await city.goto(`${relay.url}/#token=${stad}`);
  await waitForSyncState(city, 'online');
  assert.ok(!city.url().includes(stad), 'the token left the address');
  const ledeberg = await createPlan(city, relay.url, 'ledeberg');
  const zwijnaarde = await createPlan(city, relay.url, 'zwijnaarde');
  await waitFor(async () => (await city.locator('.sync-pending').getAttribute('data-pending')) === '0', {
    message: 'the city plans on the server',
  });

  const nele = await createToken({ dataDir, scope: 'regisseur:Nele Descheemaeker', label: 'Nele' });
  const { page: regisseur } = await tablet('regisseur');
  await regisseur.goto(`${relay.url}/#token=${nele}`);
  await waitForSyncState(regisseur, 'online');
  const teamLink = await makeLink(regisseur, 'Wijkactieteam Ledeberg', 'Wijkactieteam Ledeberg');
  assert.match(teamLink, /\/#token=/, 'the token travels in the fragment');
  const options = await regisseur.locator('#link-scope option').allTextContents();
  assert.ok(!options.some((o) => o.includes('Zwijnaarde')), `only Nele's wijken: ${options}`);
  const netwerkLink = await makeLink(
    regisseur,
    'Netwerk SW&G Ledeberg (leest, geeft signalen door)',
    'Netwerk Ledeberg — buurtwerk',
  );

  // The team sees Ledeberg and may make a plan only there.
  const { page: team } = await tablet('team');
  await team.goto(teamLink);
  await waitForSyncState(team, 'online');
  await team.getByRole('link', { name: 'Ledeberg' }).waitFor();
  assert.equal(await team.getByRole('link', { name: 'Zwijnaarde' }).count(), 0, 'no other wijk');
  assert.deepEqual(await team.locator('#wijk-select option').allTextContents(), ['Ledeberg']);
  await team.goto(zwijnaarde);
  await team.getByText(/niet gevonden|geen toegang/i).first().waitFor();

  // The netwerk partner reads the plan, captures a signal offline.
  const { context, page: netwerk } = await tablet('netwerk', { direct: false });
  await netwerk.goto(netwerkLink);
  await waitForSyncState(netwerk, 'online');
  await netwerk.getByRole('link', { name: 'Ledeberg' }).click();
  await netwerk.getByRole('heading', { name: /Ledeberg/ }).first().waitFor();
  await waitFor(async () => (await netwerk.getByRole('button', { name: 'Ambitie toevoegen' }).count()) === 0, {
    message: 'the netwerk link to read only',
  });
  await netwerk.getByRole('tab', { name: 'Signalen' }).click();
  await context.setOffline(true);
  await waitForSyncState(netwerk, 'offline');
  await netwerk.fill('#signal-what', 'Geen huisarts meer die nieuwe patiënten neemt');
  await netwerk.selectOption('#signal-thema', 'gezondheid');
  await netwerk.getByRole('button', { name: 'Signaal bewaren' }).click();
  await netwerk.getByText('Signaal bewaard.').waitFor();
  await context.setOffline(false);
  await waitForSyncState(netwerk, 'online', 30_000);
  await team.goto(ledeberg);
  await team.getByRole('tab', { name: 'Signalen' }).click();
  await team.locator('.signal-what', { hasText: 'Geen huisarts' }).waitFor({ timeout: 20_000 });

  // The partner corrects its signal; the team sees the correction.
  await netwerk.locator('.signal', { hasText: 'Geen huisarts' }).getByRole('button', { name: 'Corrigeren' }).click();
  await netwerk.locator('.signal-correction input').first().fill('Geen huisarts meer die nieuwe patiënten neemt in Ledeberg');
  await netwerk.getByRole('button', { name: 'Correctie bewaren' }).click();
  await team.locator('.signal-what', { hasText: 'in Ledeberg' }).waitFor({ timeout: 20_000 });
  // A scoped link hands on an edit link for this plan only, never itself.
  assert.equal(await team.locator('#edit-link').count(), 0, 'no whole link to copy');
  await team.getByRole('button', { name: 'Maak een bewerklink voor dit document' }).waitFor();

  // The city reads in the audit trail which link delivered that signal.
  await city.getByRole('link', { name: 'Auditspoor' }).click();
  await city.locator('table.audit tr', { hasText: 'Netwerk Ledeberg — buurtwerk' }).first().waitFor();
  assert.equal(await regisseur.getByRole('link', { name: 'Auditspoor' }).count(), 0, 'for the city only');

  // The regisseur revokes the netwerk link; that tablet says so and wipes.
  await regisseur.reload();
  await regisseur.locator('.link-row', { hasText: 'Netwerk Ledeberg' }).getByRole('button', { name: 'Intrekken' }).click();
  await regisseur.locator('.link-row[data-status="revoked"]', { hasText: 'Netwerk Ledeberg' }).waitFor();
  await netwerk.locator('.banner.revoked').waitFor({ timeout: 30_000 });
  await netwerk.locator('[data-test=wipe]').first().click();
  await netwerk.locator('[data-test=wipe-confirm]').click();
  await netwerk.waitForURL(`${relay.url}/`);
  // The team withdraws the signal: it leaves the list.
  await team.locator('.signal', { hasText: 'in Ledeberg' }).getByRole('button', { name: 'Intrekken' }).click();
  await team.locator('.signal-what', { hasText: 'Geen huisarts' }).waitFor({ state: 'detached' });
  await netwerk.getByText('Deze browser heeft nog geen deellink.', { exact: false }).waitFor();
  assert.equal(await netwerk.getByRole('link', { name: 'Ledeberg' }).count(), 0, 'the plan is gone');
  assert.equal(await netwerk.evaluate(() => localStorage.getItem('regie.token')), null, 'and the link');
});

/** A stock automerge-repo client (Node, no storage) with a link's token. */
function jsRepo(token) {
  const port = new URL(relay.url).port;
  const adapter = new BrowserWebSocketClientAdapter(`ws://127.0.0.1:${port}/sync?token=${token}`);
  const repo = new Repo({ network: [adapter] });
  repos.push(repo);
  return repo;
}

test('a stock automerge-repo client gets exactly what its link covers', async () => {
  const city = jsRepo(await createToken({ dataDir }));
  // Plain strings, as any JS client writes them (Automerge text).
  const home = city.create({ kind: 'wijkactieplan', wijk: 'gentbrugge', signals: [] });
  const away = city.create({ kind: 'wijkactieplan', wijk: 'drongen', signals: [] });
  for (const handle of [home, away]) {
    await waitFor(() => existsSync(path.join(dataDir, `${handle.documentId}.automerge`)), {
      message: `the relay to store ${handle.documentId}`,
    });
  }
  const team = jsRepo(await createToken({ dataDir, scope: 'team:gentbrugge' }));
  const found = await team.find(home.url, { signal: AbortSignal.timeout(15_000) });
  assert.equal(String(found.doc().wijk), 'gentbrugge');
  await assert.rejects(
    team.find(away.url, { signal: AbortSignal.timeout(15_000) }),
    /unavailable|not found|abort/i,
    'another wijk is as unknown as a document that does not exist',
  );
  // Its change to its own plan arrives.
  found.change((d) => { d.signals.push({ id: 's1', what: 'Te weinig speelruimte' }); });
  await waitFor(async () => {
    const again = await city.find(home.url);
    return again.doc().signals.length === 1;
  }, { message: "the team's change to reach the city" });
});
