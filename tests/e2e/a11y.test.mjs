// WCAG 2.1 AA on every page, filled with real content: axe-core reports no
// serious or critical violation; every visible control is a touch target of
// at least 44 × 44 px (inline links in a sentence are exempt, as WCAG 2.5.5
// allows; a checkbox or radio counts with its wrapping label); Tab reaches
// every control, and each shows a focus indicator of at least 2 px with 3:1
// contrast against what is behind it; in the actie dialog, Tab stays inside;
// at 320 px wide the page reflows instead of scrolling sideways.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useStack } from './lib/stack.mjs';
import { device, waitForSyncState } from './lib/browser.mjs';
import { unknownDocumentId } from './lib/plan.mjs';
import { CONTENT, sharedWorkspace } from './lib/documents.mjs';
import { openCardTools, tableCard } from './lib/roundtable.mjs';
import { axeViolations, describeViolations, keyboardProblems, smallTargets, widerThanViewport } from './lib/a11y.mjs';

const stack = useStack();
let page;
let paths;
// A tablet in landscape, the device the action team uses most.
const workspace = sharedWorkspace(stack, { hasTouch: true, viewport: { width: 1280, height: 800 } });

async function ready() {
  ({ page, paths } = await workspace());
}

/** Runs the three checks on what `page` shows now, as subtests, so the
 * report names the page and the check that failed. */
async function checkPage(t, { within } = {}) {
  await t.test('axe: no serious or critical WCAG 2.1 A/AA violations', async () => {
    const violations = await axeViolations(page);
    assert.equal(violations.length, 0, `axe found:\n${describeViolations(violations)}`);
  });
  await t.test('touch targets are at least 44 × 44 px', async () => {
    const small = await smallTargets(page, { within: within ?? 'body' });
    assert.deepEqual(small, [], `too small:\n  ${small.join('\n  ')}`);
  });
  await t.test('Tab reaches every control, with a visible focus indicator', async () => {
    const { problems, total } = await keyboardProblems(page, { within });
    assert.ok(total > 0, 'the page has controls to reach');
    assert.deepEqual(problems, [], `keyboard:\n  ${problems.join('\n  ')}`);
  });
  await t.test('reflows at 320 px wide without scrolling sideways (1.4.10)', async () => {
    const size = page.viewportSize();
    await page.setViewportSize({ width: 320, height: 640 });
    try {
      const wide = await widerThanViewport(page);
      assert.deepEqual(wide, [], `wider than 320 px:\n  ${wide.join('\n  ')}`);
    } finally {
      await page.setViewportSize(size);
    }
  });
}

async function visit(path, shown) {
  await ready();
  await page.goto(`${stack.relay.url}${path}`);
  await waitForSyncState(page, 'online');
  await shown();
}

async function openTab(name) {
  await page.getByRole('tab', { name }).click();
  await page.locator('[role="tab"][aria-selected="true"]', { hasText: name }).waitFor();
}

test('the checks find what they look for', async () => {
  // A page with one of each problem, so a green run means the app is clean,
  // not that a check looks at nothing.
  const { context, page: probe } = await device(stack.browser, 'probe');
  await probe.setContent(`<!DOCTYPE html><html lang="nl"><head><title>Proef</title>
    <style>body { font: 18px sans-serif } .pale { color: #bbb } #bare:focus-visible { outline: none }</style></head>
    <body><main><h1>Proef</h1><p class="pale">Lichtgrijs op wit</p><input id="unlabelled" type="text">
    <button id="tiny" style="padding: 0; font-size: 10px">k</button> <a id="alone" href="#x">los</a>
    <p>Een zin met <a id="inline" href="#y">een link</a> erin.</p>
    <button id="bare" style="min-height: 44px; min-width: 44px">Geen focusrand</button>
    <button id="skipped" tabindex="-1" style="min-height: 44px">Niet met Tab</button></main></body></html>`);
  try {
    const rules = (await axeViolations(probe)).map((v) => v.id);
    assert.ok(rules.includes('color-contrast'), `axe reports low contrast (got ${rules})`);
    assert.ok(rules.includes('label'), `axe reports an input without a label (got ${rules})`);
    const small = await smallTargets(probe);
    assert.ok(small.some((s) => s.startsWith('button#tiny')), 'a small button is reported');
    assert.ok(small.some((s) => s.startsWith('a#alone')), 'a link on its own is reported');
    assert.ok(!small.some((s) => s.startsWith('a#inline')), 'a link inside a sentence is exempt');
    const { problems } = await keyboardProblems(probe);
    assert.ok(problems.some((p) => p.startsWith('no visible focus on button#bare')), `a focus without a ring is reported (got ${problems})`);
    assert.ok(problems.some((p) => p.startsWith('not reachable with Tab: button#skipped')), 'a control Tab skips is reported');
  } finally {
    await context.close();
  }
});

test('home, asking "Wie ben je?"', async (t) => {
  await visit('/', () => page.locator('form.identity').waitFor());
  await checkPage(t);
});

test('home, with the plans on this device', async (t) => {
  await visit('/', () => page.locator('form.identity').waitFor());
  await page.fill('#me-name', 'Hilde');
  await page.fill('#me-organisation', 'Dienst Wonen');
  await page.getByRole('button', { name: 'Bewaar' }).click();
  await page.locator('.plan-list li').first().waitFor();
  await checkPage(t);
});

for (const tab of ['Overzicht', 'Tabel', 'Bord', 'Signalen', 'Team', 'Budget', 'Vergaderingen', 'Geschiedenis']) {
  test(`plan, tab ${tab}`, async (t) => {
    await visit(paths.plan, () => page.locator('.action-title').first().waitFor());
    await openTab(tab);
    await checkPage(t);
  });
}

test('plan, history with a session opened and the plan as it was', async (t) => {
  await visit(paths.plan, () => page.locator('.action-title').first().waitFor());
  await openTab('Geschiedenis');
  const session = page.locator('li.session').first();
  await session.locator('summary').click();
  await session.locator('.edits li').first().waitFor();
  await session.getByRole('button', { name: 'Bekijk het plan na deze sessie' }).click();
  await page.locator('.as-of-view .as-of-action').first().waitFor();
  await checkPage(t);
});

// The dialog is aria-modal, so Tab must stay inside it (and the printing
// and history disclosures inside it must be reachable too).
test('plan, the actie dialog', async (t) => {
  await visit(paths.plan, () => page.locator('.action-title').first().waitFor());
  const [title] = CONTENT.ambitions['Eenzaamheid verminderen'][0];
  await page.locator('.action-title', { hasText: title }).click();
  await page.locator('#editor-title', { hasText: title }).waitFor();
  await checkPage(t, { within: '.editor' });
});

test('knelpunten', async (t) => {
  await visit('/knelpunten', () => page.locator('section.knelpunt', { hasText: CONTENT.knelpunt }).waitFor());
  await checkPage(t);
});

test('knelpunten, with bereidheid polsen opened and a regisseur\'s inbox', async (t) => {
  await visit('/knelpunten', () => page.locator('section.knelpunt', { hasText: CONTENT.knelpunt }).waitFor());
  await page.locator('section.knelpunt details.readiness summary').first().click();
  await page.locator('#inbox-regisseur').selectOption({ index: 1 });
  await page.locator('.inbox-domains').waitFor();
  await checkPage(t);
});

test('signalenbundel', async (t) => {
  await visit('/signalenbundel', () => page.locator('.bundle-table tbody tr').first().waitFor());
  await checkPage(t);
});

test('adresboek', async (t) => {
  await visit('/adresboek', () => page.locator('main h1').waitFor());
  await page.locator('main table, main ul').first().waitFor();
  await checkPage(t);
});

test('ronde tafel', async (t) => {
  await visit(paths.table, () => page.locator('.grid .piste-dot').first().waitFor());
  await checkPage(t);
});

test('ronde tafel, a card\'s tools open', async (t) => {
  await visit(paths.table, () => page.locator('.grid .piste-dot').first().waitFor());
  await openCardTools(page, tableCard(page, CONTENT.cards.probleem));
  await checkPage(t);
});

test('campagne', async (t) => {
  await visit(paths.campaign, () => page.locator('.signature').first().waitFor());
  await checkPage(t);
});

test('dit toestel', async (t) => {
  await visit('/toestel', () => page.locator('main h1').waitFor());
  await checkPage(t);
});

test('deellinks', async (t) => {
  await visit('/links', () => page.locator('.link-list, .links p.muted').first().waitFor());
  await checkPage(t);
});

test('auditspoor', async (t) => {
  await visit('/audit', () => page.locator('table.audit, main section.card p.muted').first().waitFor());
  await checkPage(t);
});

test('niet gevonden (a path that is no page)', async (t) => {
  await visit('/bestaat-niet', () => page.getByRole('heading', { name: 'Niet gevonden' }).waitFor());
  await checkPage(t);
});

test('niet gevonden (a plan nobody has)', async (t) => {
  await visit(`/plan/${unknownDocumentId()}`, () => page.getByRole('heading', { name: 'Niet gevonden' }).waitFor({ timeout: 15_000 }));
  await checkPage(t);
});
