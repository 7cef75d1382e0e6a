// The interface language: Dutch by default, switched to English in the
// header without a reload and without losing what was typed, kept across a
// reload, and switched back.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useStack } from './lib/stack.mjs';
import { device, waitForSyncState } from './lib/browser.mjs';

const stack = useStack();

async function htmlLang(page) {
  return page.evaluate(() => document.documentElement.lang);
}

test('switch to English and back; the choice survives a reload', async () => {
  const { page } = await device(stack.browser, 'A');
  await page.goto(`${stack.relay.url}/?token=${stack.token}`);
  await waitForSyncState(page, 'online');

  // Dutch first.
  await page.getByRole('heading', { name: 'Wijkactieplannen' }).waitFor();
  await page.getByRole('link', { name: 'Plannen' }).waitFor();
  assert.equal(await htmlLang(page), 'nl-BE');
  assert.equal(await page.getByRole('button', { name: 'Nederlands' }).getAttribute('aria-pressed'), 'true');

  // Something typed in an open form stays when the language changes.
  await page.fill('#me-name', 'Hilde');
  await page.getByRole('button', { name: 'English' }).click();
  await page.getByRole('heading', { name: 'Neighbourhood action plans' }).waitFor();
  await page.getByRole('navigation', { name: 'Main menu' }).getByRole('link', { name: 'Plans' }).waitFor();
  await page.getByText('Who are you?').waitFor();
  assert.equal(await page.inputValue('#me-name'), 'Hilde');
  assert.equal(await page.getByRole('button', { name: 'English' }).getAttribute('aria-pressed'), 'true');
  assert.equal(await htmlLang(page), 'en');

  // An English page: the directory.
  await page.getByRole('link', { name: 'Directory' }).click();
  await page.getByRole('heading', { name: 'Directory', level: 1 }).waitFor();
  await page.getByRole('heading', { name: 'Partner organisations' }).waitFor();
  await page.getByRole('button', { name: 'Add organisation' }).waitFor();

  // Still English after a reload.
  await page.reload();
  await page.getByRole('heading', { name: 'Partner organisations' }).waitFor();
  await page.getByRole('link', { name: 'Plans' }).waitFor();
  assert.equal(await htmlLang(page), 'en');

  // And back to Dutch.
  await page.getByRole('button', { name: 'Nederlands' }).click();
  await page.getByRole('heading', { name: 'Partnerorganisaties' }).waitFor();
  await page.getByRole('link', { name: 'Plannen' }).waitFor();
  assert.equal(await htmlLang(page), 'nl-BE');
  assert.deepEqual(page.errors, []);
});
