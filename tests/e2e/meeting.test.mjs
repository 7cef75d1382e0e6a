// A wijkactieteam meeting on three tablets, one of them offline for part
// of it: the agenda proposes what changed in the plan, each tablet records
// its organisation, the notes are typed together, decisions land on their
// acties as opvolging; the minutes name every attendee, decision and
// change, and the .docx they save is a valid Word file whose XML says the
// same. The next meeting starts from the decisions still open.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { inflateRawSync } from 'node:zlib';
import { useStack } from './lib/stack.mjs';
import { device, waitFor, waitForSyncState } from './lib/browser.mjs';
import { introduce } from './lib/people.mjs';
import { addAction, addAmbition, createPlan, openAction } from './lib/plan.mjs';
import { axeViolations, describeViolations } from './lib/a11y.mjs';

const stack = useStack();

/** The files of a zip archive (stored or deflated), by name, read from its
 * central directory. */
function unzip(bytes) {
  const buf = Buffer.from(bytes);
  let end = buf.length - 22;
  while (end >= 0 && buf.readUInt32LE(end) !== 0x06054b50) end -= 1;
  assert.ok(end >= 0, 'the file ends with a zip directory');
  const count = buf.readUInt16LE(end + 10);
  let at = buf.readUInt32LE(end + 16);
  const files = new Map();
  for (let i = 0; i < count; i += 1) {
    assert.equal(buf.readUInt32LE(at), 0x02014b50, 'a directory entry');
    const method = buf.readUInt16LE(at + 10);
    const size = buf.readUInt32LE(at + 20);
    const nameLength = buf.readUInt16LE(at + 28);
    const extra = buf.readUInt16LE(at + 30) + buf.readUInt16LE(at + 32);
    const local = buf.readUInt32LE(at + 42);
    const name = buf.toString('utf8', at + 46, at + 46 + nameLength);
    const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
    const data = buf.subarray(start, start + size);
    files.set(name, (method === 8 ? inflateRawSync(data) : data).toString('utf8'));
    at += 46 + nameLength + extra;
  }
  return files;
}

async function tablet(name, options = {}) {
  return device(stack.browser, name, { hasTouch: true, viewport: { width: 1280, height: 800 }, ...options });
}

async function openMeeting(page, planUrl) {
  await page.goto(`${planUrl}?tab=vergaderingen`);
  const link = page.locator('.meeting-list a').first();
  await link.waitFor({ timeout: 20_000 });
  await link.click();
  await page.waitForURL(/\/vergadering\/[1-9A-HJ-NP-Za-km-z]+$/);
  await page.locator('.agenda-item').first().waitFor();
}

async function attend(page, organisation, people, { excused = false } = {}) {
  await page.locator('#attendance-organisation').selectOption({ label: organisation });
  await page.fill('#attendance-people', people);
  if (excused) await page.locator('#attendance-excused').check();
  await page.getByRole('button', { name: 'Aanwezigheid noteren' }).click();
  await page.locator('.attendance-list li', { hasText: organisation }).waitFor();
}

async function decide(page, { item, text, action, owner }) {
  await page.locator('#decision-item').selectOption({ label: item });
  await page.fill('#decision-text', text);
  if (action) await page.locator('.decision-form label.check', { hasText: action }).locator('input').check();
  if (owner) await page.fill('#decision-owner', owner);
  await page.getByRole('button', { name: 'Besluit noteren' }).last().click();
  await page.locator('.decision', { hasText: text }).waitFor();
}

test('a meeting on three tablets leaves its minutes, also as .docx', async () => {
  const wijk = 'moscou-vogelhoek';
  const { page: secretary } = await tablet('secretaris');
  await secretary.goto(`${stack.relay.url}/?token=${stack.token}`);
  await waitForSyncState(secretary, 'online');
  await introduce(secretary, 'Sara', 'OCMW Gent');
  const planUrl = await createPlan(secretary, stack.relay.url, wijk);
  await addAmbition(secretary, 'Iedereen een huisarts');
  await addAction(secretary, 'Iedereen een huisarts', 'Infomarkt eerstelijnszorg', 'gepland');
  await addAction(secretary, 'Iedereen een huisarts', 'Huisbezoeken senioren', 'lopend');

  // The agenda proposes what changed (in the last four weeks: everything).
  await secretary.getByRole('tab', { name: 'Vergaderingen' }).click();
  await secretary.getByText('Nog geen vergadering.').waitFor();
  await secretary.fill('#meeting-place', 'Buurtcentrum Moscou');
  await secretary.getByRole('button', { name: 'Vergadering starten' }).click();
  await secretary.waitForURL(/\/vergadering\//);
  const meetingUrl = secretary.url();
  const first = secretary.locator('.agenda-item').first();
  await first.locator('h3', { hasText: 'Iedereen een huisarts' }).waitFor();
  await first.getByText('Nieuwe actie: Infomarkt eerstelijnszorg').waitFor();
  await first.getByText('Nieuwe actie: Huisbezoeken senioren').waitFor();

  // Two partners join from the plan, without being sent the meeting's URL;
  // the third tablet has no direct links, so going offline cuts it off.
  const { page: health } = await tablet('wgc');
  await health.goto(`${stack.relay.url}/?token=${stack.token}`);
  await introduce(health, 'Jan', 'WGC De Kaai');
  await openMeeting(health, planUrl);
  const { context: streetContext, page: street } = await tablet('straathoek', { direct: false });
  await street.goto(`${stack.relay.url}/?token=${stack.token}`);
  await introduce(street, 'Mo', 'Straathoekwerk');
  await openMeeting(street, planUrl);
  assert.equal(street.url(), meetingUrl);

  // The street worker's tablet loses the network for part of the meeting.
  await streetContext.setOffline(true);
  await waitForSyncState(street, 'offline');
  await attend(street, 'Straathoekwerk', 'Mo');
  await street.locator('.agenda-item', { has: street.locator('h3', { hasText: 'Iedereen een huisarts' }) }).locator('textarea')
    .fill('Straathoekwerk ziet senioren die geen huisarts meer vinden.');
  await decide(street, { item: 'Iedereen een huisarts', text: 'Huisbezoeken uitbreiden naar de Vogelhoek', action: 'Huisbezoeken senioren', owner: 'Straathoekwerk' });

  await attend(secretary, 'OCMW welzijnsbureau', 'Sara, Ilse');
  await attend(health, 'Wijkgezondheidscentrum', 'Jan');
  await attend(health, 'Buurtwerk', '', { excused: true });
  await decide(secretary, { item: 'Iedereen een huisarts', text: 'Tweede infomarkt in het voorjaar', action: 'Infomarkt eerstelijnszorg', owner: 'WGC De Kaai' });
  await health.getByRole('button', { name: 'Punt toevoegen' }).waitFor();
  await health.fill('#item-title', 'Varia');
  await health.getByRole('button', { name: 'Punt toevoegen' }).click();

  // Back online: every tablet holds every attendee, note and decision.
  await streetContext.setOffline(false);
  for (const page of [secretary, health, street]) {
    await waitFor(async () => (await page.locator('.attendance-list li').count()) === 4, { timeout: 30_000, message: 'four organisations' });
    await page.locator('.decision', { hasText: 'Huisbezoeken uitbreiden' }).waitFor({ timeout: 30_000 });
    await page.locator('.decision', { hasText: 'Tweede infomarkt' }).waitFor({ timeout: 30_000 });
    await page.locator('.agenda-item h3', { hasText: 'Varia' }).waitFor({ timeout: 30_000 });
  }
  await waitFor(async () => (await secretary.locator('.agenda-item textarea').first().inputValue()).includes('geen huisarts meer'), { message: 'the offline note' });

  // Each decision is opvolging on its actie, dated and attributed.
  await health.goto(planUrl);
  await openAction(health, 'Huisbezoeken senioren');
  await health.locator('.editor').getByText('Besluit wijkactieteam: Huisbezoeken uitbreiden naar de Vogelhoek').waitFor({ timeout: 20_000 });
  await health.keyboard.press('Escape');

  // One decision is done; the meeting is closed; the minutes say it all.
  await secretary.locator('.decision', { hasText: 'Tweede infomarkt' }).getByLabel('Afgehandeld').check();
  const violations = await axeViolations(secretary);
  assert.equal(violations.length, 0, `axe on the meeting:\n${describeViolations(violations)}`);
  await secretary.getByRole('button', { name: 'Vergadering afsluiten' }).click();
  await secretary.getByText('Deze vergadering is afgesloten.').waitFor();
  await secretary.getByRole('link', { name: 'Verslag bekijken' }).click();
  await secretary.locator('.minutes h1', { hasText: 'Verslag wijkactieteam Moscou - Vogelhoek' }).waitFor();
  const minutes = await secretary.locator('.minutes').innerText();
  for (const expected of [
    'Buurtcentrum Moscou', 'OCMW welzijnsbureau\tSara, Ilse\taanwezig', 'Wijkgezondheidscentrum\tJan\taanwezig',
    'Straathoekwerk\tMo\taanwezig', 'Buurtwerk\t\tverontschuldigd',
    'Nieuwe actie: Infomarkt eerstelijnszorg', 'Nieuwe actie: Huisbezoeken senioren',
    'Straathoekwerk ziet senioren die geen huisarts meer vinden.',
    'Besluit (afgehandeld): Tweede infomarkt in het voorjaar',
    'Besluit: Huisbezoeken uitbreiden naar de Vogelhoek — over Huisbezoeken senioren — opgenomen door Straathoekwerk',
    'Varia',
  ]) {
    assert.ok(minutes.includes(expected), `the minutes lack ${expected}:\n${minutes}`);
  }
  const minuteViolations = await axeViolations(secretary);
  assert.equal(minuteViolations.length, 0, `axe on the minutes:\n${describeViolations(minuteViolations)}`);

  const [download] = await Promise.all([
    secretary.waitForEvent('download'),
    secretary.getByRole('button', { name: 'Opslaan als Word-document (.docx)' }).click(),
  ]);
  assert.match(download.suggestedFilename(), /^verslag-moscou-vogelhoek-\d{4}-\d{2}-\d{2}\.docx$/);
  const files = unzip(await readFile(await download.path()));
  assert.ok(files.has('[Content_Types].xml') && files.has('word/styles.xml'), `parts: ${[...files.keys()]}`);
  const text = await secretary.evaluate((xml) => {
    const doc = new DOMParser().parseFromString(xml, 'application/xml');
    if (doc.getElementsByTagName('parsererror').length) return null;
    return [...doc.getElementsByTagNameNS('*', 'p')].map((p) =>
      [...p.getElementsByTagNameNS('*', 't')].map((t) => t.textContent).join('')).join('\n');
  }, files.get('word/document.xml'));
  assert.ok(text !== null, 'word/document.xml is well-formed XML');
  for (const expected of ['Verslag wijkactieteam Moscou - Vogelhoek', 'Sara, Ilse', 'Straathoekwerk',
    '• Besluit: Huisbezoeken uitbreiden naar de Vogelhoek', 'Nieuwe actie: Infomarkt eerstelijnszorg']) {
    assert.ok(text.includes(expected), `the .docx lacks ${expected}:\n${text}`);
  }

  // The next meeting starts from the decision still open.
  await secretary.goto(`${planUrl}?tab=vergaderingen`);
  await secretary.getByRole('button', { name: 'Vergadering starten' }).click();
  await secretary.waitForURL((url) => url.pathname.startsWith('/vergadering/') && url.href !== meetingUrl);
  const carried = secretary.locator('.agenda-item').first();
  await carried.locator('h3', { hasText: 'Openstaande besluiten van de vorige vergadering' }).waitFor();
  await carried.locator('.decision', { hasText: 'Huisbezoeken uitbreiden' }).waitFor();
  assert.equal(await carried.locator('.decision', { hasText: 'Tweede infomarkt' }).count(), 0, 'a decision done is not carried');

  for (const page of [secretary, health, street]) assert.deepEqual(page.errors, []);
});
