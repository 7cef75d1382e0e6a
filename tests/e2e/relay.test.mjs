// The relay as a server: health, the app with client-side routes, and
// garbage on the sync socket.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startStack } from './lib/stack.mjs';
import WebSocket from 'ws';

let relay;
let token;

before(async () => {
  ({ relay, token } = await startStack({ browser: false }));
});

after(async () => {
  const { code } = await relay.stop('SIGTERM');
  assert.equal(code, 0, 'the relay shuts down cleanly on SIGTERM');
});

test('health and the app (with a fallback for client routes)', async () => {
  const health = await fetch(`${relay.url}/healthz`);
  assert.equal(await health.text(), 'ok');
  for (const route of ['/', '/plan/abc']) {
    const page = await fetch(`${relay.url}${route}`);
    assert.equal(page.status, 200);
    assert.match(await page.text(), /<title>Regie<\/title>/);
  }
});

test('a frame that is not CBOR closes that connection, not the relay', async () => {
  const ws = new WebSocket(`${relay.url.replace('http', 'ws')}/sync?token=${token}`);
  await new Promise((resolve, reject) => { ws.on('open', resolve); ws.on('error', reject); });
  const closed = new Promise((resolve) => ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })));
  ws.send(Buffer.from([0xff, 0x00, 0x13]));
  const { code, reason } = await closed;
  assert.equal(code, 1008);
  assert.match(reason, /malformed CBOR/);
  const health = await fetch(`${relay.url}/healthz`);
  assert.equal(health.status, 200);
});

test('the sync socket and the access check refuse a missing or wrong token', async () => {
  for (const query of ['', '?token=wrong']) {
    const status = await new Promise((resolve, reject) => {
      const ws = new WebSocket(`${relay.url.replace('http', 'ws')}/sync${query}`);
      ws.on('unexpected-response', (_req, res) => resolve(res.statusCode));
      ws.on('open', () => reject(new Error('accepted without a valid token')));
      ws.on('error', () => {});
    });
    assert.equal(status, 401);
    const headers = query ? { authorization: 'Bearer wrong' } : {};
    assert.equal((await fetch(`${relay.url}/api/access`, { headers })).status, 401);
  }
  // The API takes the token in a header only, never in the address.
  assert.equal((await fetch(`${relay.url}/api/access?token=${token}`)).status, 401);
  const ok = await fetch(`${relay.url}/api/access`, { headers: { authorization: `Bearer ${token}` } });
  const info = await ok.json();
  assert.equal(info.write, true);
  assert.equal(info.doc, null);
  assert.equal(info.scope, undefined, 'a link without a scope is the city\'s');
  assert.match(info.link, /^[0-9a-f]{10}$/, 'its public id');
});
