import { readFile } from "node:fs/promises";
import { expect, test, type Page } from "@playwright/test";
import { answerPasswordPrompts, signIn, signInAs, suffix } from "./helpers";

// The e2e server runs with a short sudo window: answer the password prompt wherever it appears.
test.beforeEach(async ({ page }) => {
  await answerPasswordPrompts(page);
});

const rowOf = (page: Page, text: string) => page.getByRole("row").filter({ hasText: text });

async function createRep(page: Page, rep: { username: string; email: string; displayName: string }): Promise<string> {
  await page.goto("/admin/reps");
  await page.getByRole("button", { name: "Create rep" }).click();
  const dialog = page.getByRole("dialog", { name: "Create service rep" });
  await dialog.getByLabel("Username").fill(rep.username);
  await dialog.getByLabel("Email").fill(rep.email);
  await dialog.getByLabel("Display name").fill(rep.displayName);
  await dialog.getByLabel("Role").selectOption({ label: "Service rep" });
  await dialog.getByRole("button", { name: "Create" }).click();
  const password = dialog.getByTestId("one-time-password");
  await expect(password).toBeVisible();
  const value = (await password.textContent()) ?? "";
  await dialog.getByRole("button", { name: "Done" }).click();
  await expect(dialog).toBeHidden();
  return value;
}

test("admin creates a rep, creates a token for them, deactivates the rep, sees all three in the audit log and downloads the CSV", async ({
  page,
}) => {
  const id = suffix();
  const rep = { username: `e2e.rep.${id}`, email: `e2e-${id}@acme.test`, displayName: `E2E Rep ${id}` };
  const description = `E2E vendor ${id}`;
  await signInAs(page, "sysadmin@acme.test", "/admin/tokens");

  const password = await createRep(page, rep);
  expect(password.length).toBeGreaterThanOrEqual(20);
  await expect(rowOf(page, rep.username)).toContainText("Service rep");
  await expect(rowOf(page, rep.username)).toContainText("Active");
  await expect(page.getByText(password)).toHaveCount(0);

  // A token for the new rep, from the rep's row.
  await rowOf(page, rep.username).getByRole("link", { name: "View tokens" }).click();
  await expect(page).toHaveURL(/\/admin\/tokens\?rep=/);
  await page.getByRole("button", { name: "Create token" }).click();
  const create = page.getByRole("dialog", { name: "Create personal access token" });
  // Opened from the rep's filtered table, the dialog already names the rep.
  await expect(create.getByLabel("Service rep").locator("option:checked")).toHaveText(`${rep.displayName} (${rep.username})`);
  await create.getByLabel("Application", { exact: true }).selectOption({ label: "Enterprise REST API" });
  await create.getByLabel("Description").fill(description);
  await create.getByLabel("Preset").selectOption({ label: "Read-only" });
  await create.getByRole("button", { name: "Create" }).click();
  await expect(create.getByTestId("token-value")).toBeVisible();
  await create.getByRole("button", { name: "Done" }).click();
  await expect(rowOf(page, description)).toHaveCount(1);

  // Deactivate the rep: their token stays (not revoked), the row says inactive.
  await page.goto("/admin/reps");
  await expect(rowOf(page, rep.username).getByRole("cell").nth(4)).toHaveText("1");
  await rowOf(page, rep.username).getByRole("button", { name: "Deactivate" }).click();
  await page
    .getByRole("dialog", { name: `Deactivate ${rep.displayName}?` })
    .getByRole("button", { name: "Deactivate" })
    .click();
  await expect(page.getByRole("status").filter({ hasText: "is deactivated" })).toBeVisible();
  await expect(rowOf(page, rep.username)).toContainText("Inactive");
  await expect(rowOf(page, rep.username).getByRole("button", { name: "Reactivate" })).toBeVisible();

  // The audit trail of all three, filtered to the rep.
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Audit" }).click();
  await page.getByLabel("Target rep").selectOption({ label: `${rep.displayName} (${rep.username})` });
  await page.getByRole("button", { name: "Apply" }).click();
  await expect(page).toHaveURL(/rep=/);
  const events = page.getByRole("row").filter({ has: page.getByRole("cell") });
  await expect(events).toHaveCount(3);
  await expect(events.nth(0)).toContainText("user.deactivated");
  await expect(events.nth(0)).toContainText("active: true → false");
  await expect(events.nth(1)).toContainText("token.created");
  await expect(events.nth(1)).toContainText(description);
  await expect(events.nth(2)).toContainText("user.created");
  await expect(events.nth(2)).toContainText(rep.email);
  for (const index of [0, 1, 2]) await expect(events.nth(index)).toContainText("sysadmin");

  // The CSV: the same three events, newest first, with their changes.
  const download = page.waitForEvent("download");
  await page.getByRole("link", { name: "Download CSV" }).click();
  const file = await download;
  expect(file.suggestedFilename()).toMatch(/^audit-log-\d{4}-\d{2}-\d{2}\.csv$/);
  const path = await file.path();
  const csv = await readFile(path, "utf8");
  const lines = csv.trimEnd().split("\r\n");
  expect(lines[0]).toBe("occurred_at,action,actor,actor_user_id,actor_token_id,target_type,target_id,target_rep,ip,user_agent,changes");
  expect(lines).toHaveLength(4);
  expect(lines.map((line) => line.split(",")[1])).toEqual(["action", "user.deactivated", "token.created", "user.created"]);
  for (const line of lines.slice(1)) {
    expect(line).toContain(",sysadmin,");
    expect(line).toContain(`,${rep.username},`);
  }
  expect(lines[1]).toContain("active: true → false");
  expect(lines[2]).toContain(`description: ${description}`);
  expect(csv).not.toContain(password);
});

test("a new rep signs in with the password shown once; once deactivated they are signed out, and reactivated they can return", async ({
  browser,
  page,
}) => {
  const id = suffix();
  const rep = { username: `e2e.login.${id}`, email: `e2e-login-${id}@acme.test`, displayName: `E2E Login ${id}` };
  await signInAs(page, "sysadmin@acme.test", "/admin/tokens");
  const password = await createRep(page, rep);

  const repContext = await browser.newContext();
  const repPage = await repContext.newPage();
  await signIn(repPage, rep.email, password);
  await expect(repPage).toHaveURL(/\/options$/);

  await page.goto("/admin/reps");
  await rowOf(page, rep.username).getByRole("button", { name: "Deactivate" }).click();
  await page
    .getByRole("dialog", { name: `Deactivate ${rep.displayName}?` })
    .getByRole("button", { name: "Deactivate" })
    .click();
  await expect(rowOf(page, rep.username)).toContainText("Inactive");

  await repPage.goto("/options");
  await expect(repPage).toHaveURL(/\/login$/);

  await rowOf(page, rep.username).getByRole("button", { name: "Reactivate" }).click();
  await page
    .getByRole("dialog", { name: `Reactivate ${rep.displayName}?` })
    .getByRole("button", { name: "Reactivate" })
    .click();
  await expect(rowOf(page, rep.username)).not.toContainText("Inactive");
  // Reactivation does not revive the session from before the deactivation.
  await repPage.goto("/options");
  await expect(repPage).toHaveURL(/\/login$/);
  await repContext.clearCookies();
  await signIn(repPage, rep.email, password);
  await expect(repPage).toHaveURL(/\/options$/);
  await repContext.close();
});

test("a password reset ends the rep's existing sessions; the new password works", async ({ browser, page }) => {
  const id = suffix();
  const rep = { username: `e2e.reset.${id}`, email: `e2e-reset-${id}@acme.test`, displayName: `E2E Reset ${id}` };
  await signInAs(page, "sysadmin@acme.test", "/admin/tokens");
  const password = await createRep(page, rep);
  const repContext = await browser.newContext();
  const repPage = await repContext.newPage();
  await signIn(repPage, rep.email, password);
  await expect(repPage).toHaveURL(/\/options$/);

  await page.goto("/admin/reps");
  await rowOf(page, rep.username).getByRole("button", { name: "Reset password" }).click();
  const dialog = page.getByRole("dialog", { name: "Reset password" });
  await dialog.getByRole("button", { name: "Reset password" }).click();
  const fresh = dialog.getByTestId("one-time-password");
  await expect(fresh).toBeVisible();
  const newPassword = (await fresh.textContent()) ?? "";
  expect(newPassword).not.toBe(password);

  await repPage.goto("/options");
  await expect(repPage).toHaveURL(/\/login$/);
  await signIn(repPage, rep.email, password);
  await expect(repPage.getByRole("main").getByRole("alert")).toHaveText("Incorrect email or password.");
  await signIn(repPage, rep.email, newPassword);
  await expect(repPage).toHaveURL(/\/options$/);
  await repContext.close();
});

test("the last active admin cannot demote themselves", async ({ page }) => {
  // Acme has one admin; Globex has two since the consultant joined it (SPEC §10).
  await signInAs(page, "sysadmin@acme.test", "/admin/tokens");
  await page.goto("/admin/reps");
  await rowOf(page, "sysadmin@acme.test").getByRole("button", { name: "Edit" }).click();
  const dialog = page.getByRole("dialog", { name: "Edit service rep" });
  await dialog.getByLabel("Role").selectOption({ label: "Service rep" });
  await dialog.getByRole("button", { name: "Save" }).click();
  await expect(dialog.getByRole("alert")).toContainText("You are the last active admin");
  await dialog.getByRole("button", { name: "Cancel" }).click();
  await expect(rowOf(page, "sysadmin@acme.test")).toContainText("System admin");
});

test("a stricter policy flags older tokens as outside policy; the admin filters and revokes them", async ({ page }) => {
  const description = `Forever ${suffix()}`;
  await signInAs(page, "sysadmin@globex.test", "/admin/tokens");
  await page.getByRole("button", { name: "Create token" }).click();
  const create = page.getByRole("dialog", { name: "Create personal access token" });
  await create.getByLabel("Service rep").selectOption({ label: "Kevin Prow (kevin.prow)" });
  await create.getByLabel("Description").fill(description);
  await create.getByLabel("Expiration").selectOption({ label: "No expiration" });
  await create.getByLabel("Application", { exact: true }).selectOption({ label: "Enterprise REST API" });
  await create.getByLabel("messages:send", { exact: true }).check();
  await create.getByRole("button", { name: "Create" }).click();
  await create.getByRole("button", { name: "Done" }).click();

  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Settings" }).click();
  const form = page.getByRole("form", { name: "Token policy" });
  await form.getByLabel("Maximum lifetime (days)").fill("90");
  await form.getByLabel("Require an expiration").check();
  await form.getByLabel("Default lifetime (days)").fill("30");
  await form.getByLabel("Expiry notices (days before)").fill("14, 3");
  await form.getByRole("button", { name: "Save policy" }).click();
  await expect(form.getByRole("status")).toHaveText("Policy saved.");
  await expect(page.getByText(/outside the policy/)).toBeVisible();

  await page.getByRole("link", { name: "Review them" }).click();
  await expect(page).toHaveURL(/policy=outside/);
  await expect(page.getByLabel("Outside policy only")).toBeChecked();
  await expect(rowOf(page, description)).toContainText("Outside policy");
  await page.getByRole("checkbox", { name: "Select all tokens on this page" }).check();
  await page.getByRole("button", { name: "Revoke selected" }).click();
  await page
    .getByRole("dialog", { name: /^Revoke \d+ tokens?\?$/ })
    .getByRole("button", { name: "Revoke" })
    .click();
  await expect(page.getByRole("status").filter({ hasText: /^Revoked \d+ tokens?\.$/ })).toBeVisible();
  await page.reload();
  await expect(page.getByText("0 tokens")).toBeVisible();

  // Kevin hears about it in the outbox (no SMTP in this suite), and the policy change is audited.
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Outbox" }).click();
  await expect(page.getByText("No mail server is configured")).toBeVisible();
  await expect(page.getByText(new RegExp(`Your token “${description}” was revoked|of your tokens were revoked`)).first()).toBeVisible();
  await page.goto("/admin/audit?action=policy.updated");
  await expect(page.getByRole("row").filter({ hasText: "policy.updated" }).first()).toContainText("maxLifetimeDays: none → 90");

  // Put the demo policy back for anyone using Globex after this test.
  await page.goto("/admin/settings");
  await form.getByLabel("Maximum lifetime (days)").fill("");
  await form.getByLabel("Require an expiration").uncheck();
  await form.getByLabel("Expiry notices (days before)").fill("7, 1");
  await form.getByRole("button", { name: "Save policy" }).click();
  await expect(form.getByRole("status")).toHaveText("Policy saved.");
});

test("reps get 404 on the administration pages and the audit export; without a session it answers 401", async ({ page, request }) => {
  await signInAs(page, "susan@acme.test", "/options");
  for (const path of ["/acme/admin/outbox", "/acme/admin/audit/export", "/admin/audit/export"]) {
    const response = await page.goto(path);
    expect(response?.status(), path).toBe(404);
  }
  expect((await request.get("/acme/admin/audit/export")).status()).toBe(401);
  // The path from before organizations were in the URL sends a stranger to sign in.
  expect((await request.get("/admin/audit/export", { maxRedirects: 0 })).status()).toBe(307);
});
