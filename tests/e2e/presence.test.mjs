// Presence: people in the same plan see each other, and which action the
// other is working on.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useStack } from './lib/stack.mjs';
import { introduce } from './lib/people.mjs';
import { device, waitForSyncState } from './lib/browser.mjs';
import { action, addAction, addAmbition, createPlan } from './lib/plan.mjs';

const stack = useStack();


test('two people in one plan see each other and what the other edits', async () => {
  const { page: a } = await device(stack.browser, 'Anna');
  await a.goto(`${stack.relay.url}/?token=${stack.token}`);
  await waitForSyncState(a, 'online');
  // Saying who you are is refused without a name.
  await a.getByRole('button', { name: 'Bewaar' }).click();
  await a.locator('.identity [role="alert"]').waitFor();
  await introduce(a, 'Anna', 'WGC Rabot');
  await createPlan(a, stack.relay.url, 'rabot-blaisantvest');
  await addAmbition(a, 'Gezondheid');
  await addAction(a, 'Gezondheid', 'Wijkgezondheidsdag', 'gepland');
  const link = await a.inputValue('#edit-link');

  const { page: b } = await device(stack.browser, 'Jan');
  await b.goto(link);
  await action(b, 'Wijkgezondheidsdag').waitFor({ timeout: 15_000 });
  await introduce(b, 'Jan', 'OCMW Gent');

  await a.locator('.presence li', { hasText: 'Jan (OCMW Gent)' }).waitFor({ timeout: 15_000 });
  await b.locator('.presence li', { hasText: 'Anna (WGC Rabot)' }).waitFor({ timeout: 15_000 });

  await action(b, 'Wijkgezondheidsdag').locator('select.action-status').focus();
  await action(a, 'Wijkgezondheidsdag').locator('.editing-badge', { hasText: 'Jan bewerkt dit' }).waitFor({ timeout: 15_000 });
  await b.locator('#new-ambition').focus();
  await action(a, 'Wijkgezondheidsdag').locator('.editing-badge').waitFor({ state: 'detached', timeout: 15_000 });
  assert.deepEqual([...a.errors, ...b.errors], []);
});
