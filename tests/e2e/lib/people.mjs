// Saying who you are, as a person would.

/** Fills in "Wie ben je?" (unfolding it on a plan page) and saves. */
export async function introduce(page, name, organisation) {
  // On a plan page the question is folded away until asked for.
  const prompt = page.locator('details.whoami-prompt summary');
  if (await prompt.count()) await prompt.click();
  await page.fill('#me-name', name);
  await page.fill('#me-organisation', organisation);
  await page.getByRole('button', { name: 'Bewaar' }).click();
  await page.locator('#me-name').waitFor({ state: 'detached' });
}
