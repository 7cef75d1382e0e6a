// Interop: a stock automerge-repo JS client (Node, no storage) syncs through
// our relay, with itself and with the real app, in both directions.
//
// The client presents the token as a query parameter, as any stock client
// can. Our plan schema stores strings as Automerge *scalar* strings
// (autosurgeon `String`), which Automerge 3 JS shows as `ImmutableString`.
// A JS client that assigns a plain string writes collaborative text instead;
// the app reads both.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startStack } from './lib/stack.mjs';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { Repo, isImmutableString } from '@automerge/automerge-repo';
import { BrowserWebSocketClientAdapter } from '@automerge/automerge-repo-network-websocket';
import { device, waitFor, waitForSyncState } from './lib/browser.mjs';
import { action, addAction, addAmbition, createPlan } from './lib/plan.mjs';

const TIMEOUT = 20_000;

let browser;
let relay;
let port;
let dataDir;
let token;
const repos = [];
const pages = [];

before(async () => {
  ({ port, dataDir, relay, token, browser } = await startStack());
});

after(async () => {
  // Repos first: the client adapter throws on socket errors other than
  // ECONNREFUSED, so it must be gone before the relay is.
  for (const repo of repos) await repo.shutdown();
  await browser?.close();
  await relay?.stop();
  for (const page of pages) assert.deepEqual(page.errors, [], 'no uncaught errors in the app');
});

/** A fresh stock repo: its own peer id, one WebSocket to the relay, no storage. */
function jsRepo() {
  const adapter = new BrowserWebSocketClientAdapter(`ws://127.0.0.1:${port}/sync?token=${token}`);
  const repo = new Repo({ network: [adapter] });
  repos.push(repo);
  return repo;
}

/** `repo.find` with a deadline and a message that says what was sought. */
async function find(repo, url) {
  try {
    return await repo.find(url, { signal: AbortSignal.timeout(TIMEOUT) });
  } catch (e) {
    throw new Error(`JS client could not find ${url} through the relay: ${e.message}`);
  }
}

function relayHas(documentId) {
  return waitFor(() => existsSync(path.join(dataDir, `${documentId}.automerge`)), {
    timeout: TIMEOUT,
    message: `the relay to store ${documentId}.automerge`,
  });
}

/** Plain JS value of a plan field: scalar strings become primitive strings. */
function str(value) {
  return isImmutableString(value) ? value.val : value;
}

test('a document made by one JS client reaches a second, fresh JS client through the relay', async () => {
  const a = jsRepo();
  const handle = a.create({ title: 'Buurtsoep', items: [] });
  handle.change((d) => { d.items.push('prei', 'wortel'); d.day = 'vrijdag'; });
  assert.match(handle.documentId, /^[1-9A-HJ-NP-Za-km-z]+$/, 'a base58check document id');
  assert.equal(handle.url, `automerge:${handle.documentId}`);
  await relayHas(handle.documentId);

  const b = jsRepo();
  const found = await find(b, handle.url);
  await waitFor(() => found.doc()?.items?.length === 2, { timeout: TIMEOUT, message: 'B to see both items' });
  assert.deepEqual(
    JSON.parse(JSON.stringify(found.doc())),
    { title: 'Buurtsoep', items: ['prei', 'wortel'], day: 'vrijdag' },
  );

  // And live: a later change by A reaches B.
  handle.change((d) => { d.items.push('ui'); });
  await waitFor(() => found.doc()?.items?.length === 3, { timeout: TIMEOUT, message: "B to see A's later change" });
  assert.deepEqual([...found.doc().items], ['prei', 'wortel', 'ui']);
});

let planUrl;
let planPage;

test('a plan made in the app is read by a JS client', async () => {
  const { page } = await device(browser, 'app');
  pages.push(page);
  planPage = page;
  await page.goto(`${relay.url}/?token=${token}`);
  await waitForSyncState(page, 'online', TIMEOUT);
  const url = await createPlan(page, relay.url, 'ledeberg');
  const documentId = new URL(url).pathname.split('/').pop();
  planUrl = `automerge:${documentId}`;
  await addAmbition(page, 'Zorg dichtbij');
  await addAction(page, 'Zorg dichtbij', 'Buurtsoep op vrijdag', 'gepland');
  await relayHas(documentId);

  const js = jsRepo();
  const handle = await find(js, planUrl);
  await waitFor(() => handle.doc()?.ambitions?.[0]?.actions?.length === 1, {
    timeout: TIMEOUT, message: 'the JS client to see the action made in the app',
  });
  const doc = handle.doc();
  // The app writes scalar strings; Automerge 3 JS shows them as ImmutableString.
  for (const value of [doc.kind, doc.wijk, doc.ambitions[0].title, doc.ambitions[0].actions[0].status]) {
    assert.ok(isImmutableString(value), `scalar string expected, got ${typeof value} ${value}`);
  }
  assert.equal(doc.schema, 2n, 'schema is an Automerge uint, which JS reads as a BigInt');
  assert.equal(str(doc.kind), 'wijkactieplan');
  assert.equal(str(doc.wijk), 'ledeberg');
  assert.equal(doc.ambitions.length, 1);
  assert.equal(str(doc.ambitions[0].title), 'Zorg dichtbij');
  assert.ok(str(doc.ambitions[0].id), 'the ambition has an id');
  const [act] = doc.ambitions[0].actions;
  assert.equal(str(act.title), 'Buurtsoep op vrijdag');
  assert.equal(str(act.status), 'Gepland', 'status is stored as the variant name');
  assert.ok(str(act.id), 'the action has an id');
  // Long texts are collaborative text, which Automerge 3 JS reads as a plain string.
  assert.equal(typeof act.description, 'string', 'the description is Automerge text');
  assert.equal(act.weight, 1n);
});

test('a change by a JS client shows in the open app without a reload', async () => {
  assert.ok(planUrl && planPage, 'needs the plan of the previous test');
  await planPage.evaluate(() => { window.__notReloaded = true; });

  const js = jsRepo();
  const handle = await find(js, planUrl);
  // Plain assignment, as any JS client would write it (becomes text).
  handle.change((d) => {
    d.ambitions[0].title = 'Zorg heel dichtbij';
    d.ambitions[0].actions[0].status = 'Lopend';
  });

  await planPage.locator('section.ambition h2', { hasText: /^Zorg heel dichtbij$/ })
    .waitFor({ timeout: TIMEOUT })
    .catch((e) => { throw new Error(`the app did not show the title changed by the JS client: ${e.message}`); });
  await waitFor(async () => (await action(planPage, 'Buurtsoep op vrijdag').locator('select.action-status').inputValue()) === 'lopend', {
    timeout: TIMEOUT, message: 'the app to show the status changed by the JS client',
  });
  assert.equal(await planPage.locator('section.ambition h2').count(), 1);
  assert.equal(await planPage.evaluate(() => window.__notReloaded), true, 'the page was not reloaded');
});
