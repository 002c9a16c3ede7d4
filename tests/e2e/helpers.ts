import { randomBytes } from "node:crypto";
import { expect, type Page } from "@playwright/test";

export const DEMO_PASSWORD = "tessera-demo";
/** The e2e server's sudo window (see scripts/e2e-server.mjs). */
export const SUDO_WINDOW_SECONDS = 30;

export async function signIn(page: Page, email: string, password = DEMO_PASSWORD): Promise<void> {
  await page.goto("/login");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

/** Signs in and waits for the landing page: "/admin/tokens" or "/options" in any organization, or a path of one. */
export async function signInAs(page: Page, email: string, landing: string): Promise<void> {
  await signIn(page, email);
  await expect(page).toHaveURL(new RegExp(`${landing}$`));
}

/**
 * The e2e server's sudo window is short, so the password prompt can come back during any test:
 * answer it wherever it appears on this page.
 */
export async function answerPasswordPrompts(page: Page, password = DEMO_PASSWORD): Promise<void> {
  const prompt = page.getByRole("dialog", { name: "Confirm your password" });
  await page.addLocatorHandler(prompt, async () => {
    await prompt.getByLabel("Password").fill(password);
    await prompt.getByRole("button", { name: "Confirm" }).click();
    await expect(prompt).toBeHidden();
  });
}

/** A suffix no other test, worker or run uses at the same time: names made with it are the test's own. */
export function suffix(): string {
  return `${Date.now().toString(36)}${randomBytes(3).toString("hex")}`;
}

/** Creates a service rep of the signed-in admin's organization through the console; its one-time password. */
export async function createRep(page: Page, username: string, email: string): Promise<string> {
  await page.goto("/admin/reps");
  await page.getByRole("button", { name: "Create rep" }).click();
  const dialog = page.getByRole("dialog", { name: "Create service rep" });
  await dialog.getByLabel("Username").fill(username);
  await dialog.getByLabel("Email").fill(email);
  await dialog.getByLabel("Display name").fill(`Target ${username}`);
  await dialog.getByLabel("Role").selectOption({ label: "Service rep" });
  await dialog.getByRole("button", { name: "Create" }).click();
  const oneTimePassword = dialog.getByTestId("one-time-password");
  await expect(oneTimePassword).toBeVisible();
  const password = (await oneTimePassword.textContent())?.trim() ?? "";
  expect(password).not.toBe("");
  await dialog.getByRole("button", { name: "Done" }).click();
  await expect(dialog).toBeHidden();
  return password;
}
