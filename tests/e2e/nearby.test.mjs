// Pairing with a device nearby, the dialog only (the links themselves have
// their own tests): the header button opens it, a device that can edit may
// grant either, "Toon mijn code" shows a QR code and the text code or says
// why not, an empty code is refused in words, and Escape closes the dialog
// with focus back on the button.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useStack } from './lib/stack.mjs';
import { device, waitForSyncState } from './lib/browser.mjs';

const stack = useStack();

test('the nearby dialog shows a code or why not, and Escape closes it', async () => {
  const { page } = await device(stack.browser, 'A');
  await page.goto(`${stack.relay.url}/?token=${stack.token}`);
  await waitForSyncState(page, 'online');

  const open = page.getByRole('button', { name: 'Verbind met een toestel in de buurt' });
  await open.click();
  const dialog = page.getByRole('dialog', { name: 'Verbind met een toestel in de buurt' });
  await dialog.waitFor();
  const status = dialog.locator('[data-test=pairing-status]');
  assert.equal(await status.getAttribute('role'), 'status');
  assert.match(await status.innerText(), /Kies wat het andere toestel mag/);
  // An edit link may grant editing; editing is what it grants unless told.
  assert.ok(await dialog.locator('[data-test=grant-edit]').isChecked());
  await dialog.getByText('Alleen lezen').click();
  assert.ok(await dialog.locator('[data-test=grant-read]').isChecked());

  await dialog.getByRole('button', { name: 'Toon mijn code' }).click();
  await page.waitForFunction(() => {
    const s = document.querySelector('[data-test=pairing-status]');
    return s && !['Code maken…', ''].includes(s.textContent.trim());
  });
  if (await dialog.locator('[data-test=pairing-qr]').count()) {
    assert.match(await status.innerText(), /Laat het andere toestel deze code scannen/);
    const code = await dialog.locator('[data-test=pairing-code]').inputValue();
    assert.match(code, /^[0-9A-Z $%*+\-./:]{40,}$/);
    assert.match(await dialog.locator('[data-test=pairing-qr] path').getAttribute('d'), /^M\d+ \d+h\d+v1h-\d+z/);
  } else {
    // No links yet on this build: the reason is announced instead.
    assert.equal(await status.getAttribute('data-state'), 'error');
    assert.notEqual((await status.innerText()).trim(), '');
  }

  await dialog.locator('[data-test=pairing-take]').click();
  assert.match(await status.innerText(), /Typ of plak eerst de code van het andere toestel/);

  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'detached' });
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'nearby-open');
  assert.deepEqual(page.errors, []);
});
