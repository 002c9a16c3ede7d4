import { expect, test, type APIRequestContext, type Page } from "@playwright/test";
import { DEMO_PASSWORD, signInAs } from "./helpers";

// Against the production server: the password limit is taken before the password is checked, so
// a burst of parallel guesses cannot slip through before the first of them is counted.

test.beforeEach(async ({ page }) => {
  const prompt = page.getByRole("dialog", { name: "Confirm your password" });
  await page.addLocatorHandler(prompt, async () => {
    await prompt.getByLabel("Password").fill(DEMO_PASSWORD);
    await prompt.getByRole("button", { name: "Confirm" }).click();
    await expect(prompt).toBeHidden();
  });
});

async function createRep(page: Page, username: string, email: string): Promise<void> {
  await page.goto("/admin/reps");
  await page.getByRole("button", { name: "Create rep" }).click();
  const dialog = page.getByRole("dialog", { name: "Create service rep" });
  await dialog.getByLabel("Username").fill(username);
  await dialog.getByLabel("Email").fill(email);
  await dialog.getByLabel("Display name").fill(`Target ${username}`);
  await dialog.getByLabel("Role").selectOption({ label: "Service rep" });
  await dialog.getByRole("button", { name: "Create" }).click();
  await expect(dialog.getByTestId("one-time-password")).toBeVisible();
  await dialog.getByRole("button", { name: "Done" }).click();
  await expect(dialog).toBeHidden();
}

/** One sign-in through Auth.js's credentials callback; the refusal code it redirects with. */
async function signInAttempt(request: APIRequestContext, csrfToken: string, email: string, password: string) {
  const response = await request.post("/api/auth/callback/credentials", { form: { csrfToken, email, password }, maxRedirects: 0 });
  return new URL(response.headers()["location"] ?? "", "http://x").searchParams.get("code");
}

test("40 parallel wrong passwords for one e-mail check at most 5; the audit log records the rest as rate_limited", async ({ page, request }) => {
  const username = `e2e.burst.${Date.now().toString(36)}`;
  const email = `${username}@acme.test`;
  await signInAs(page, "sysadmin@acme.test", "/admin/tokens");
  await createRep(page, username, email);

  const { csrfToken } = (await (await request.get("/api/auth/csrf")).json()) as { csrfToken: string };
  const codes = await Promise.all(Array.from({ length: 40 }, (_, attempt) => signInAttempt(request, csrfToken, email, `wrong-${attempt}`)));
  const answered = (code: string) => codes.filter((each) => each === code).length;
  expect(answered("invalid_credentials") + answered("rate_limited")).toBe(40);
  expect(answered("invalid_credentials")).toBeLessThanOrEqual(5);

  // Every attempt is audited, with the reason: only the passwords actually checked say invalid_credentials.
  const csv = await (await page.request.get("/admin/audit/export?action=sign_in.failed")).text();
  const rows = csv.split("\r\n").filter((line) => line.includes(`,${username},`));
  const audited = (reason: string) => rows.filter((row) => row.includes(`reason: ${reason}`)).length;
  expect(rows).toHaveLength(40);
  expect(audited("invalid_credentials")).toBe(answered("invalid_credentials"));
  expect(audited("rate_limited")).toBe(answered("rate_limited"));
});
