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

export async function signInAs(page: Page, email: string, landing: "/admin/tokens" | "/options"): Promise<void> {
  await signIn(page, email);
  await expect(page).toHaveURL(new RegExp(`${landing}$`));
}
