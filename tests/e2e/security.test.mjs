// The app under the relay's Content-Security-Policy, and share-link tokens
// that do not linger: an edit link opened in a browser leaves no token in
// the address bar, in the history or in a Referer; `/api` gets the token as
// `Authorization: Bearer`. Going through the pages (home, a plan,
// knelpunten, adresboek, dit toestel) and making a plan raises no CSP
// violation, and a page that breaks the policy is caught by the same check.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useStack } from './lib/stack.mjs';
import { device, waitFor, waitForSyncState } from './lib/browser.mjs';
import { addAmbition, createPlan } from './lib/plan.mjs';

const stack = useStack();

/** Directives the served policy must hold (the page must run under them). */
const DIRECTIVES = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval' 'sha256-",
  "style-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
];

/** A page for `name` whose CSP violations are collected, from the
 * `securitypolicyviolation` events of every document it loads and from the
 * console; `problems()` lists them. Also keeps every request it makes. */
async function watched(name) {
  const { context, page } = await device(stack.browser, name);
  const violations = [];
  const consoleLines = [];
  const requests = [];
  await page.exposeBinding('__regieCspViolation', (_source, v) => { violations.push(v); });
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      window.__regieCspViolation({
        directive: e.effectiveDirective,
        blocked: e.blockedURI,
        sample: e.sample,
        page: location.pathname,
      });
    }, true);
  });
  page.on('console', (m) => {
    if (/Content[- ]Security[- ]Policy/i.test(m.text())) consoleLines.push(m.text());
  });
  page.on('request', (r) => requests.push(r));
  const problems = () => [
    ...violations.map((v) => `securitypolicyviolation: ${v.directive} blocked ${v.blocked} (${v.sample}) on ${v.page}`),
    ...consoleLines.map((l) => `console: ${l}`),
  ];
  return { context, page, problems, violations, consoleLines, requests };
}

/** Goes to a page through the app's own navigation and waits for its heading. */
async function visit(page, link, heading) {
  await page.locator('nav.mainnav').getByRole('link', { name: link }).click();
  await page.locator('main h1', { hasText: heading }).waitFor();
}

test('the app runs under the policy and keeps no token in addresses, history or Referer', async () => {
  const { context, page, problems, requests } = await watched('A');
  const base = stack.relay.url;
  const token = stack.token;

  const response = await page.goto(`${base}/?token=${token}`);
  const policy = response.headers()['content-security-policy'] || '';
  for (const directive of DIRECTIVES) assert.ok(policy.includes(directive), `${directive} in ${policy}`);
  assert.equal(response.headers()['x-content-type-options'], 'nosniff');
  assert.equal(response.headers()['referrer-policy'], 'no-referrer');
  assert.equal(response.headers()['x-frame-options'], 'DENY');
  await waitForSyncState(page, 'online');
  assert.equal(page.url(), `${base}/`, 'the token left the address bar');
  assert.equal(await page.evaluate(() => localStorage.getItem('regie.token')), token, 'the token is kept');

  // The app still works: a plan is made and edited, and syncs.
  const planUrl = await createPlan(page, base, 'ledeberg');
  await addAmbition(page, 'Zorg dichtbij');
  await waitForSyncState(page, 'online');
  const plan = new URL(planUrl).pathname;

  // The other pages, through the app's navigation.
  await visit(page, 'Knelpunten', 'Knelpunten');
  await visit(page, 'Adresboek', 'Adresboek');
  await visit(page, 'Dit toestel', 'Dit toestel');
  await visit(page, 'Plannen', 'Wijkactieplannen');
  assert.ok(!page.url().includes('token='), page.url());

  // A link to a plan with other parameters and a hash keeps those.
  await page.goto(`${base}${plan}?token=${token}&tab=signalen#inhoud`);
  // The plan opens on the tab the link names.
  await page.getByRole('tab', { name: 'Signalen', selected: true }).waitFor();
  await waitFor(async () => !page.url().includes('token='), { message: 'the token to leave a plan link' });
  assert.equal(page.url(), `${base}${plan}?tab=signalen#inhoud`);

  // No entry of the history has the token: every entry, as the browser keeps them.
  const cdp = await context.newCDPSession(page);
  const { entries } = await cdp.send('Page.getNavigationHistory');
  const visited = entries.map((e) => e.url);
  assert.equal(visited.length, await page.evaluate(() => history.length));
  assert.ok(visited.length >= 6, `the history holds the pages visited: ${visited.join(' ')}`);
  for (const url of visited) assert.ok(!url.includes('token='), `history entry ${url}`);
  // And going back shows none either.
  await page.goBack();
  await waitFor(() => page.url() !== `${base}${plan}?tab=signalen#inhoud`, { message: 'going back' });
  assert.ok(!page.url().includes('token='), page.url());

  // The token goes to /api only as a header, and never in a Referer.
  const api = requests.filter((r) => new URL(r.url()).pathname.startsWith('/api/'));
  assert.ok(api.length > 0, 'the app asked /api/access');
  for (const r of api) {
    assert.ok(!r.url().includes('token='), r.url());
    assert.equal((await r.allHeaders()).authorization, `Bearer ${token}`, r.url());
  }
  for (const r of requests) {
    const referer = (await r.allHeaders()).referer;
    assert.ok(!referer, `no Referer on ${r.url()} (was ${referer})`);
  }

  assert.deepEqual(problems(), [], 'no Content-Security-Policy violation');
  assert.deepEqual(page.errors, [], 'no uncaught errors in the app');
  await context.close();
});

test('a page that breaks the policy is caught by the same check', async () => {
  const { context, page, problems, violations, consoleLines } = await watched('B');
  await page.goto(`${stack.relay.url}/?token=${stack.token}`);
  await waitForSyncState(page, 'online');
  assert.deepEqual(problems(), [], 'nothing before the injection');

  // An inline script and an inline style element, as an injection would add them.
  await page.evaluate(() => {
    const script = document.createElement('script');
    script.textContent = 'window.__injected = true;';
    document.head.append(script);
    const style = document.createElement('style');
    style.textContent = 'body { display: none; }';
    document.head.append(style);
  });
  await waitFor(() => violations.length >= 2 && consoleLines.length >= 2, { message: 'the violations to be reported' });
  assert.equal(await page.evaluate(() => window.__injected), undefined, 'the inline script did not run');
  assert.notEqual(await page.evaluate(() => getComputedStyle(document.body).display), 'none', 'the style was not applied');
  const directives = violations.map((v) => v.directive).sort();
  assert.deepEqual(directives, ['script-src-elem', 'style-src-elem']);
  assert.ok(problems().length >= 4, problems().join('\n'));
  await context.close();
});
