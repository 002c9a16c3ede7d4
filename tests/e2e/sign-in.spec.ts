import { expect, test } from "@playwright/test";
import { signIn, signInAs } from "./helpers";

test("admin signs in, lands on /admin/tokens and sees the admin navigation", async ({ page }) => {
  await signInAs(page, "sysadmin@acme.test", "/acme/admin/tokens");
  const nav = page.getByRole("navigation", { name: "Main" });
  for (const link of ["Tokens", "Reps", "Audit", "Settings", "Options"]) {
    await expect(nav.getByRole("link", { name: link })).toBeVisible();
  }
  await expect(page.getByRole("banner")).toContainText("Acme Staffing");
});

test("a rep signs in, lands on Options, and gets 404 on the admin pages", async ({ page }) => {
  await signInAs(page, "susan@acme.test", "/options");
  const nav = page.getByRole("navigation", { name: "Main" });
  await expect(nav.getByRole("link", { name: "Options" })).toBeVisible();
  await expect(nav.getByRole("link", { name: "Tokens" })).toHaveCount(0);
  for (const path of ["/admin/tokens", "/admin/reps", "/admin/audit", "/admin/settings"]) {
    const response = await page.goto(path);
    expect(response?.status(), path).toBe(404);
    await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
  }
});

test("a wrong password shows one message that does not say which field was wrong", async ({ page }) => {
  await signIn(page, "dominic.reinke@acme.test", "not-the-password");
  await expect(page.getByRole("main").getByRole("alert")).toHaveText("Incorrect email or password.");
  await expect(page).toHaveURL(/\/login$/);
  await expect(page.getByLabel("Email")).toHaveValue("dominic.reinke@acme.test");

  await signIn(page, "nobody@acme.test", "not-the-password");
  await expect(page.getByRole("main").getByRole("alert")).toHaveText("Incorrect email or password.");
});

test("sign-out returns to /login and the console is closed again", async ({ page }) => {
  await signInAs(page, "kevin.prow@globex.test", "/options");
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/login$/);
  await page.goto("/options");
  await expect(page).toHaveURL(/\/login$/);
});

test("after sign-out, a copy of the session cookie no longer opens the console", async ({ browser, page }) => {
  await signInAs(page, "sysadmin@globex.test", "/admin/tokens");
  const copied = await page.context().cookies();
  expect(copied.some((cookie) => cookie.name.endsWith("authjs.session-token"))).toBe(true);
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/login$/);

  const thief = await browser.newContext();
  await thief.addCookies(copied);
  const stolen = await thief.newPage();
  await stolen.goto("/admin/tokens");
  await expect(stolen).toHaveURL(/\/login$/);
  // Auth.js's own session endpoint says signed out too.
  expect(await (await stolen.request.get("/api/auth/session")).json()).toBeNull();
  await thief.close();
});

test("signing out through Auth.js's own endpoint ends the server-side session too", async ({ browser, page }) => {
  await signInAs(page, "sysadmin@acme.test", "/admin/tokens");
  const copied = await page.context().cookies();
  const { csrfToken } = (await (await page.request.get("/api/auth/csrf")).json()) as { csrfToken: string };
  await page.request.post("/api/auth/signout", { form: { csrfToken }, maxRedirects: 0 });

  const thief = await browser.newContext();
  await thief.addCookies(copied);
  const stolen = await thief.newPage();
  await stolen.goto("/admin/tokens");
  await expect(stolen).toHaveURL(/\/login$/);
  await thief.close();
});

test("every demo user can sign in and lands on the page for their role", async ({ page }) => {
  const users = [
    ["sysadmin@acme.test", "/admin/tokens"],
    ["alexander.swanson@acme.test", "/options"],
    ["dominic.reinke@acme.test", "/options"],
    ["susan@acme.test", "/options"],
    ["sysadmin@globex.test", "/admin/tokens"],
    ["kevin.prow@globex.test", "/options"],
    // A rep of Acme since before they joined Globex as an admin: Acme is their default organization.
    ["consultant@partner.test", "/acme/options"],
  ] as const;
  for (const [email, landing] of users) {
    await page.context().clearCookies();
    await signInAs(page, email, landing);
  }
});
