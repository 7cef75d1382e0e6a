// Headless Debian Chromium through playwright-core. Each context is an
// isolated profile (its own IndexedDB): "another device".
import { chromium } from 'playwright-core';

const LAUNCH = {
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: [
    '--headless', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage',
    '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run',
  ],
};

export async function launch() {
  return chromium.launch(LAUNCH);
}

/** A browser with a profile on disk (`userDataDir`) that outlives it: closing
 * and launching again with the same directory is a browser restart. Returns
 * the context (its first page is `context.pages()[0]`). */
export async function launchPersistent(userDataDir) {
  return chromium.launchPersistentContext(userDataDir, LAUNCH);
}

/** A new page in a new context (`options`: e.g. touch, viewport); uncaught
 * page errors are collected. `direct: false` keeps the device off direct
 * links (`regie.mesh`): Playwright's `setOffline` cuts HTTP and WebSockets
 * but not WebRTC, so a test of a device with no network at all needs it. */
export async function device(browser, name, { direct = true, ...options } = {}) {
  const context = await browser.newContext(options);
  if (!direct) await context.addInitScript(() => localStorage.setItem('regie.mesh', 'off'));
  const page = await context.newPage();
  page.errors = [];
  page.on('pageerror', (e) => { page.errors.push(e); console.log(`# [${name}] pageerror: ${e.message}`); });
  const shown = process.env.REGIE_E2E_CONSOLE === 'all' ? ['error', 'warning', 'log', 'info'] : ['error'];
  page.on('console', (m) => { if (shown.includes(m.type())) console.log(`# [${name}] console: ${m.text()}`); });
  return { context, page };
}

/** Polls `fn` until it returns a truthy value. */
export async function waitFor(fn, { timeout = 15_000, message = 'condition' } = {}) {
  const deadline = Date.now() + timeout;
  let last;
  while (Date.now() < deadline) {
    try { last = await fn(); if (last) return last; } catch (e) { last = e; }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${message} (last: ${last})`);
}

export async function syncState(page) {
  return page.getAttribute('.sync-status', 'data-state');
}

export async function waitForSyncState(page, state, timeout = 15_000) {
  await page.waitForSelector(`.sync-status[data-state="${state}"]`, { timeout });
}
