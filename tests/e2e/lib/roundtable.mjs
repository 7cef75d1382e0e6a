// Steps on a ronde tafel page that several tests share.
import assert from 'node:assert/strict';
import { waitFor } from './browser.mjs';

/** The card on `page` whose text contains `text`. */
export function tableCard(page, text) {
  return page.locator('.table-card', { has: page.locator('.card-text', { hasText: text }) });
}

/**
 * Selects `card` (its button, pressed): its tools open in the one panel,
 * focus moves into that panel, and the panel's selects list every other
 * card once. Returns the panel.
 */
export async function openCardTools(page, card) {
  const button = card.locator('button.card-select');
  await button.click();
  await card.locator('button.card-select[aria-pressed="true"]').waitFor();
  assert.equal(await page.locator('button.card-select[aria-pressed="true"]').count(), 1, 'one card is selected');
  const tools = page.locator('#card-tools');
  await tools.waitFor();
  assert.equal(await page.locator('.card-tools').count(), 1, 'one tools panel on the page');
  assert.equal(await tools.getAttribute('data-card'), await card.getAttribute('data-card'), 'the tools are the selected card\'s');
  assert.equal(await button.getAttribute('aria-controls'), 'card-tools');
  await waitFor(() => tools.evaluate((t) => t.contains(document.activeElement)), { message: 'focus in the tools panel' });
  const others = (await page.locator('.table-card').count()) - 1;
  for (const select of ['select[id^="link-"]', 'select[id^="merge-"]']) {
    assert.equal(await page.locator(select).count(), 1, `one ${select} on the page`);
    assert.equal(await tools.locator(`${select} option:not([value=""])`).count(), others, `${select} lists every other card once`);
  }
  return tools;
}

/** Escape closes the tools; focus goes back to the card's button. */
export async function closeCardTools(page, card) {
  await page.keyboard.press('Escape');
  await page.locator('#card-tools').waitFor({ state: 'detached' });
  const button = card.locator('button.card-select');
  assert.equal(await button.getAttribute('aria-pressed'), 'false');
  assert.equal(await button.getAttribute('aria-controls'), null, 'no reference to a panel that is gone');
  await waitFor(() => button.evaluate((b) => b === document.activeElement), { message: 'focus back on the card\'s button' });
}
