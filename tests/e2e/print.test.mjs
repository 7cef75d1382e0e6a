// Printing to A4: the wijkactieplan's outline, a campaign and a ronde
// tafel's outcome. In print media everything made for the screen (header,
// sync indicator, tabs, forms, buttons, sharing) is gone, the content is
// there in black on white and fits the paper's width, and Chromium makes an
// A4 PDF of a sensible number of pages.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { useStack } from './lib/stack.mjs';
import { waitForSyncState } from './lib/browser.mjs';
import { CONTENT, sharedWorkspace } from './lib/documents.mjs';
import { openCardTools, tableCard } from './lib/roundtable.mjs';

const stack = useStack();
let page;
let paths;
const workspace = sharedWorkspace(stack, { viewport: { width: 1280, height: 800 } });

/** The documents to print, made once by the first test that needs them. */
async function ready() {
  ({ page, paths } = await workspace());
}

// A4's printable width with print.css's 15 mm side margins, in CSS pixels.
const PAPER_WIDTH = Math.floor(((210 - 2 * 15) / 25.4) * 96);

async function open(path, shown) {
  await page.emulateMedia({ media: 'screen' });
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto(`${stack.relay.url}${path}`);
  await waitForSyncState(page, 'online');
  await page.locator(shown).first().waitFor();
}

/** Switches to print media at the paper's width. */
async function printMedia() {
  await page.setViewportSize({ width: PAPER_WIDTH, height: 1100 });
  await page.emulateMedia({ media: 'print' });
}

/** Whether each element matching `selector` is rendered (not display:none
 * itself or through an ancestor); [] when there is none. */
function rendered(selector) {
  return page.locator(selector).evaluateAll((els) => els.map((el) => el.checkVisibility()));
}

/** Asserts that `selector` is shown on screen and hidden in print. */
async function screenOnly(selectors) {
  await page.emulateMedia({ media: 'screen' });
  const onScreen = {};
  for (const s of selectors) onScreen[s] = await rendered(s);
  await page.emulateMedia({ media: 'print' });
  for (const s of selectors) {
    assert.ok(onScreen[s].length > 0 && onScreen[s].some(Boolean), `${s} is on the screen`);
    assert.deepEqual(await rendered(s), onScreen[s].map(() => false), `${s} is hidden in print`);
  }
}

/** Nothing in the page is wider than the paper, and the text is black. */
async function fitsAndIsBlack(contentSelector) {
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= PAPER_WIDTH + 1, `page is ${width}px wide, the paper ${PAPER_WIDTH}px`);
  const colours = await page.locator(contentSelector).evaluateAll((els) => [...new Set(els.map((e) => getComputedStyle(e).color))]);
  assert.deepEqual(colours, ['rgb(0, 0, 0)'], `${contentSelector} prints black`);
}

/** Prints to an A4 PDF; returns its number of pages. With REGIE_PRINT_DIR
 * set, the PDF is kept there to look at. */
async function pdfPages(name) {
  const pdf = await page.pdf({ format: 'A4', preferCSSPageSize: true });
  if (process.env.REGIE_PRINT_DIR) {
    await writeFile(path.join(process.env.REGIE_PRINT_DIR, `${name}.pdf`), pdf);
    await page.screenshot({ path: path.join(process.env.REGIE_PRINT_DIR, `${name}.png`), fullPage: true });
  }
  const text = pdf.toString('latin1');
  assert.ok(text.startsWith('%PDF-'), 'a PDF');
  // Chromium writes the page boxes in points: A4 is 595 × 842.
  const box = text.match(/\/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]/);
  assert.ok(box, 'the PDF names its page size');
  assert.ok(Math.abs(Number(box[1]) - 595) < 2 && Math.abs(Number(box[2]) - 842) < 2, `A4 pages (got ${box[1]} × ${box[2]})`);
  return (text.match(/\/Type\s*\/Page(?![s\w])/g) || []).length;
}

test('the wijkactieplan prints its outline: ambities, acties, status and progress', async () => {
  await ready();
  await open(paths.plan, '.action-title');
  await screenOnly(['.topbar', '.sync-status', '.tabs', '.share', '#new-ambition', '.new-action-title', 'button[type="submit"]', '.whoami-prompt']);
  await printMedia();
  assert.equal(await page.locator('.tabs button').first().isVisible(), false, 'no tab buttons');
  await page.getByText('Voortgang van het plan: 40 %').waitFor({ state: 'visible' });
  for (const [ambition, actions] of Object.entries(CONTENT.ambitions)) {
    assert.ok(await page.locator('section.ambition h2', { hasText: ambition }).isVisible(), `${ambition} printed`);
    for (const [title, status, percent] of actions) {
      const row = page.locator('li.action', { has: page.locator('.action-title', { hasText: title }) });
      assert.ok(await row.locator('.action-title').isVisible(), `${title} printed`);
      const select = row.locator('select.action-status');
      assert.ok(await select.isVisible(), `status of ${title} printed`);
      assert.equal(await select.evaluate((s) => s.selectedOptions[0].textContent), status[0].toUpperCase() + status.slice(1));
      // Printed as text: no border, no drop-down arrow.
      assert.equal(await select.evaluate((s) => getComputedStyle(s).appearance), 'none');
      assert.equal(await select.evaluate((s) => getComputedStyle(s).borderTopStyle), 'none');
      assert.equal((await row.locator('.action-progress').textContent()).trim(), percent);
      assert.ok(await row.locator('.action-progress').isVisible());
      assert.equal(await row.evaluate((r) => getComputedStyle(r).breakInside), 'avoid', 'an actie is not split over two pages');
    }
  }
  assert.equal(await page.locator('section.ambition h2').first().evaluate((h) => getComputedStyle(h).breakAfter), 'avoid', 'a heading stays with what follows');
  await fitsAndIsBlack('h1, h2, .action-title, .action-progress, select.action-status');
  const pages = await pdfPages('plan');
  assert.ok(pages >= 1 && pages <= 2, `5 acties fit on 1–2 A4 pages (got ${pages})`);
});

test('a campaign prints its parts, commitment and signatures', async () => {
  await ready();
  await open(paths.campaign, '.signature');
  await screenOnly(['.topbar', '.share', '.signatures form', '.updates form', 'button[type="submit"]', '.back-link']);
  await printMedia();
  await page.getByRole('heading', { name: `Campagne: ${CONTENT.campaign}` }).waitFor({ state: 'visible' });
  for (const text of Object.values(CONTENT.cards)) {
    assert.ok(await page.locator('.parts li', { hasText: text }).isVisible(), `part "${text}" printed`);
  }
  const commitment = page.locator('#commitment');
  assert.ok(await commitment.isVisible(), 'the commitment is printed');
  assert.equal(await commitment.inputValue(), CONTENT.commitment);
  // All of it, not the text area's first rows: nothing scrolls out of sight.
  assert.ok(await commitment.evaluate((t) => t.scrollHeight <= t.clientHeight + 1), 'the whole commitment shows');
  assert.equal(await page.locator('#campaign-status').evaluate((s) => s.selectedOptions[0].textContent), 'Voorgesteld');
  assert.ok(await page.locator('#campaign-status').isVisible(), 'the status is printed');
  for (const [organisation, who] of CONTENT.signatures) {
    const signature = page.locator('.signature', { hasText: organisation });
    assert.ok(await signature.isVisible(), `${organisation}'s signature printed`);
    // Who signed and when (date and time, in the interface's own notation).
    assert.match(await signature.textContent(), new RegExp(`${who} ondertekend op \\S*\\d\\S* \\d{1,2}:\\d{2}`));
    assert.equal(await signature.evaluate((s) => getComputedStyle(s).breakInside), 'avoid');
  }
  assert.ok(await page.locator('.updates li', { hasText: 'Eerste overleg' }).isVisible(), 'the follow-up is printed');
  await fitsAndIsBlack('h1, h2, h3, .parts li, .signature, #commitment');
  const pages = await pdfPages('campagne');
  assert.ok(pages >= 1 && pages <= 2, `a small campaign fits on 1–2 A4 pages (got ${pages})`);
});

test('a ronde tafel prints its outcome: cards per column, links, scores and the grid', async () => {
  await ready();
  await open(paths.table, '.grid .piste-dot');
  // The tools of a selected card are on the screen, and not on paper.
  await openCardTools(page, tableCard(page, CONTENT.cards.probleem));
  await screenOnly(['.topbar', '.share', '.card-tools', '.card-select', '.add-card', '.compose', '.my-scores', '.timer', '.phase[aria-pressed="false"]', 'button[type="submit"]']);
  await printMedia();
  assert.equal(await page.locator('.phase[aria-pressed="true"]').isVisible(), true, 'the phase the table reached is printed');
  for (const [section, text] of Object.entries(CONTENT.cards)) {
    const card = page.locator(`.table-column[data-section="${section}"] .table-card`, { hasText: text });
    assert.ok(await card.locator('.card-text').isVisible(), `${section} card "${text}" printed`);
    assert.equal(await card.evaluate((c) => getComputedStyle(c).breakInside), 'avoid', 'a card is not split over two pages');
  }
  assert.ok(await page.locator('.link-list li', { hasText: 'probleem – oplossing' }).isVisible(), 'the link is printed');
  assert.match(await page.locator('.grid-legend li', { hasText: CONTENT.cards.piste }).textContent(), /haalbaarheid 4\.0 \(± 0\.0\), effect 5\.0 \(± 0\.0\), 1 score/);
  const grid = await page.locator('.grid svg').boundingBox();
  assert.ok(grid && grid.width > 150 && grid.width <= PAPER_WIDTH, `the grid is printed at a readable size (${grid?.width}px)`);
  assert.ok(await page.locator('.participants li', { hasText: 'Hilde' }).isVisible(), 'who was at the table is printed');
  await fitsAndIsBlack('h1, h2, .card-text, .link-list li, .grid-legend li');
  const pages = await pdfPages('tafel');
  assert.ok(pages >= 1 && pages <= 4, `one table fits on 1–4 A4 pages (got ${pages})`);
});
