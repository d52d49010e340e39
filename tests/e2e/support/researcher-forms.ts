import type { Locator, Page } from 'playwright-core';
import { expectAccessible } from './accessibility.ts';

/** The researcher's account forms, found the way a screen reader finds them: by role and accessible name. */

export interface Credentials {
  username: string;
  password: string;
}

export function setupCard(page: Page): Locator {
  return page.getByRole('region', { name: 'Create the first researcher account' });
}

export function signInCard(page: Page): Locator {
  return page.getByRole('region', { name: 'Sign in' });
}

/** Fills the first-run form and submits it with the button. */
export async function createFirstAccount(page: Page, { username, password }: Credentials): Promise<void> {
  const card = setupCard(page);
  await card.waitFor();
  await expectAccessible(page, 'console: first-run setup card');
  await card.getByLabel('Username').fill(username);
  await card.getByLabel(/^Password/).fill(password);
  await card.getByLabel('Confirm password').fill(password);
  await card.getByRole('button', { name: 'Create account and sign in' }).click();
}

/** Fills the sign-in form and submits it with Enter, as people do. */
export async function signIn(page: Page, { username, password }: Credentials): Promise<void> {
  const card = signInCard(page);
  await card.waitFor();
  await expectAccessible(page, 'console: sign-in card');
  await card.getByLabel('Username').fill(username);
  await card.getByLabel('Password').fill(password);
  await card.getByLabel('Password').press('Enter');
}
