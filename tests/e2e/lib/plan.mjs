// Steps on the plan pages, written as a person would take them.
import { createHash, randomBytes } from 'node:crypto';

export async function createPlan(page, baseUrl, wijk) {
  await page.goto(`${baseUrl}/`);
  await page.selectOption('#wijk-select', wijk);
  // "Maak wijkactieplan", or "Open het plan van …" when the wijk has one
  // (one plan per wijk: an earlier test on this relay may have made it).
  await page.locator('form.create-plan button[type="submit"]').click();
  await page.waitForURL(/\/plan\/[1-9A-HJ-NP-Za-km-z]+$/);
  return page.url();
}

export async function addAmbition(page, title) {
  await page.fill('#new-ambition', title);
  await page.getByRole('button', { name: 'Ambitie toevoegen' }).click();
  await page.locator('section.ambition h2', { hasText: title }).waitFor();
}

export function ambition(page, title) {
  return page.locator('section.ambition', { has: page.locator('h2', { hasText: title }) });
}

export async function addAction(page, ambitionTitle, title, status) {
  const section = ambition(page, ambitionTitle);
  await section.locator('.new-action-title').fill(title);
  await section.locator('.new-action-status').selectOption(status);
  await section.getByRole('button', { name: 'Actie toevoegen' }).click();
  await action(page, title).waitFor();
}

/** Opens an actie's dialog by its title in the outline. */
export async function openAction(page, title) {
  await page.locator('.action-title', { hasText: title }).click();
  await page.locator('#editor-title', { hasText: title }).waitFor();
}

export function action(page, title) {
  return page.locator('li.action', { has: page.locator('.action-title', { hasText: title }) });
}

export async function actionStatus(page, title) {
  return action(page, title).locator('select.action-status').inputValue();
}

export async function actionTitles(page) {
  return page.locator('.action-title').allTextContents();
}

const ALPHABET = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';

function base58(bytes) {
  let n = BigInt('0x' + Buffer.from(bytes).toString('hex'));
  let out = '';
  while (n > 0n) { out = ALPHABET[Number(n % 58n)] + out; n /= 58n; }
  for (const b of bytes) { if (b !== 0) break; out = '1' + out; }
  return out;
}

/** A well-formed automerge-repo document id that nobody has. */
export function unknownDocumentId() {
  const body = randomBytes(16);
  const sha = (b) => createHash('sha256').update(b).digest();
  const check = sha(sha(body)).subarray(0, 4);
  return base58(Buffer.concat([body, check]));
}
