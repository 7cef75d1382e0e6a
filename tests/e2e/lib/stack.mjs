// What most end-to-end tests start with: a relay on a free port with a
// fresh data directory, an edit token for it, and a headless Chromium.
import { after, before } from 'node:test';
import { launch } from './browser.mjs';
import { createToken, freePort, startRelay, tempDir } from './relay.mjs';

export async function startStack({ browser = true } = {}) {
  const port = await freePort();
  const dataDir = await tempDir();
  const relay = await startRelay({ port, dataDir });
  const token = await createToken({ dataDir });
  return { port, dataDir, relay, token, browser: browser ? await launch() : undefined };
}

/** Starts a stack before the file's tests and stops it after them; the
 * returned object is filled in once it runs (`stack.relay`, `stack.token`,
 * `stack.browser`). */
export function useStack() {
  const stack = {};
  before(async () => {
    Object.assign(stack, await startStack());
  });
  after(async () => {
    await stack.browser?.close();
    await stack.relay?.stop();
  });
  return stack;
}
