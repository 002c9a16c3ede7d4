import { sign } from "node:crypto";
import { expect, test, type Page } from "@playwright/test";
import { answerPasswordPrompts, DEMO_PASSWORD, signIn, signInAs, SUDO_WINDOW_SECONDS, suffix } from "./helpers";

// The e2e server runs with a short sudo window, so the password prompt can come back during
// any test; answer it wherever it appears (the sudo test below checks the prompt itself).
test.beforeEach(async ({ page }, testInfo) => {
  if (testInfo.title.startsWith("sudo mode")) return;
  await answerPasswordPrompts(page);
});

// Each test uses its own descriptions, so tests never depend on one another's tokens.
const unique = (label: string) => `${label} ${suffix()}`;

type CreateOptions = {
  description: string;
  application?: string;
  rep?: string;
  preset?: string;
  permissions?: string[];
  /** Restrictions, typed as a person would. */
  allowedIps?: string;
  rateLimit?: string;
};

/** Creates a token in the dialog; its scopes are the Enterprise REST API's unless another application is named. */
async function createToken(page: Page, options: CreateOptions) {
  await page.getByRole("button", { name: "Create token" }).click();
  const dialog = page.getByRole("dialog", { name: "Create personal access token" });
  await dialog.getByLabel("Application", { exact: true }).selectOption({ label: options.application ?? "Enterprise REST API" });
  if (options.rep) await dialog.getByLabel("Service rep").selectOption({ label: options.rep });
  await dialog.getByLabel("Description").fill(options.description);
  if (options.preset) await dialog.getByLabel("Preset").selectOption({ label: options.preset });
  for (const permission of options.permissions ?? []) await dialog.getByLabel(permission, { exact: true }).check();
  if (options.allowedIps !== undefined) await dialog.getByLabel("Allowed IP addresses").fill(options.allowedIps);
  if (options.rateLimit !== undefined) await dialog.getByLabel("Rate limit (requests per minute)").fill(options.rateLimit);
  await dialog.getByRole("button", { name: "Create" }).click();
  await expect(dialog.getByTestId("token-value")).toBeVisible();
  const value = (await dialog.getByTestId("token-value").textContent()) ?? "";
  const sid =
    (await dialog
      .getByText(/Account SID/)
      .locator("code")
      .textContent()) ?? "";
  return { dialog, value, sid };
}

const rowOf = (page: Page, description: string) => page.getByRole("row").filter({ hasText: description });

test("admin creates a token for alexander.swanson with the Assessments preset, sees it once, finds it by account SID", async ({ page }) => {
  await signInAs(page, "sysadmin@acme.test", "/admin/tokens");
  const description = unique("Assessments vendor");
  const { dialog, value, sid } = await createToken(page, {
    description,
    rep: "Alexander Swanson (alexander.swanson)",
    preset: "Assessments integration",
  });
  expect(value).toMatch(/^tsr_[0-9A-Za-z]{38}$/);
  expect(sid).toMatch(/^[0-9a-f]{32}$/);
  await expect(dialog.getByRole("button", { name: "Copy" })).toBeVisible();
  await expect(dialog.getByRole("button", { name: "Download" })).toBeVisible();
  const download = page.waitForEvent("download");
  await dialog.getByRole("button", { name: "Download" }).click();
  expect((await download).suggestedFilename()).toMatch(/^assessments-vendor-.*\.txt$/);
  await dialog.getByRole("button", { name: "Done" }).click();
  await expect(dialog).toBeHidden();

  // The value is gone for good: not in the page, not after a reload.
  await expect(page.getByText(value)).toHaveCount(0);
  await page.getByLabel("Search").fill(sid);
  await page.getByRole("button", { name: "Apply" }).click();
  await expect(page).toHaveURL(new RegExp(`q=${sid}`));
  const row = rowOf(page, description);
  await expect(row).toHaveCount(1);
  await expect(row).toContainText("alexander.swanson");
  await expect(row).toContainText(sid);
  await expect(row).toContainText("3 permissions");
  expect(await page.content()).not.toContain(value);
});

test("admin filters by rep, edits permissions, deactivates and reactivates, regenerates, revokes and deletes", async ({ page }) => {
  await signInAs(page, "sysadmin@acme.test", "/admin/tokens");
  const description = unique("Lifecycle");
  const { dialog } = await createToken(page, { description, rep: "Dominic Reinke (dominic.reinke)", preset: "Messaging" });
  await dialog.getByRole("button", { name: "Done" }).click();

  await page.getByLabel("Service rep").selectOption({ label: "Dominic Reinke (dominic.reinke)" });
  await expect(page).toHaveURL(/rep=/);
  await expect(rowOf(page, description)).toHaveCount(1);
  for (const username of await page.getByRole("row").locator("td:nth-child(2)").allTextContents()) {
    expect(username).toBe("dominic.reinke");
  }

  // Edit permissions.
  await rowOf(page, description).getByRole("button", { name: "Edit" }).click();
  const edit = page.getByRole("dialog", { name: "Edit token" });
  await edit.getByLabel("orders:read", { exact: true }).check();
  await edit.getByRole("button", { name: "Save" }).click();
  await expect(edit).toBeHidden();
  await expect(rowOf(page, description)).toContainText("4 permissions");

  // Deactivate and reactivate.
  const active = rowOf(page, description).getByRole("switch", { name: "Active" });
  await expect(active).toHaveAttribute("aria-checked", "true");
  await active.click();
  await expect(active).toHaveAttribute("aria-checked", "false");
  await expect(rowOf(page, description)).toContainText("Inactive");
  await active.click();
  await expect(active).toHaveAttribute("aria-checked", "true");

  // Regenerate: a new value, shown once; the old row is revoked.
  await rowOf(page, description).first().getByRole("button", { name: "Regenerate" }).click();
  await page.getByRole("dialog", { name: "Regenerate token?" }).getByRole("button", { name: "Regenerate" }).click();
  const fresh = page.getByRole("dialog", { name: "New token value" });
  await expect(fresh.getByTestId("token-value")).toHaveText(/^tsr_[0-9A-Za-z]{38}$/);
  await fresh.getByRole("button", { name: "Done" }).click();
  await expect(rowOf(page, description)).toHaveCount(2);
  const live = rowOf(page, description).filter({ has: page.getByRole("button", { name: "Revoke" }) });
  await expect(live).toHaveCount(1);

  // Revoke (confirmed), then delete (confirmed).
  await live.getByRole("button", { name: "Revoke" }).click();
  const revoke = page.getByRole("dialog", { name: "Revoke token?" });
  await revoke.getByLabel("Reason (optional)").fill("Vendor offboarded");
  await revoke.getByRole("button", { name: "Revoke" }).click();
  await expect(revoke).toBeHidden();
  await expect(rowOf(page, description).filter({ hasText: "Vendor offboarded" })).toHaveCount(1);
  await expect(rowOf(page, description).getByRole("button", { name: "Revoke" })).toHaveCount(0);

  // Exactly two rows are left (the regenerated original and its successor). Delete them one at a
  // time, waiting for the dialog to close and the row to go before the next click: a loop on a
  // live row count raced the list's refresh.
  const confirmDelete = page.getByRole("dialog", { name: "Delete token?" });
  for (const remaining of [1, 0]) {
    await rowOf(page, description).first().getByRole("button", { name: "Delete" }).click();
    await confirmDelete.getByRole("button", { name: "Delete" }).click();
    await expect(confirmDelete).toBeHidden();
    await expect(rowOf(page, description)).toHaveCount(remaining);
  }
});

test("admin bulk-revokes two tokens", async ({ page }) => {
  await signInAs(page, "sysadmin@acme.test", "/admin/tokens");
  const first = unique("Bulk one");
  const second = unique("Bulk two");
  for (const description of [first, second]) {
    const { dialog } = await createToken(page, { description, rep: "Susan Meyer (susan)", preset: "Read-only" });
    await dialog.getByRole("button", { name: "Done" }).click();
  }
  await page.getByRole("checkbox", { name: `Select ${first}` }).check();
  await page.getByRole("checkbox", { name: `Select ${second}` }).check();
  await page.getByRole("button", { name: "Revoke selected" }).click();
  await page
    .getByRole("dialog", { name: /Revoke 2 tokens/ })
    .getByRole("button", { name: "Revoke" })
    .click();
  await expect(page.getByRole("status").filter({ hasText: "Revoked 2 tokens." })).toBeVisible();
  for (const description of [first, second]) {
    await expect(rowOf(page, description).getByRole("switch", { name: "Active" })).toBeDisabled();
    await expect(rowOf(page, description)).toContainText("Revoked");
  }
});

test("susan on Options sees only her own tokens and creates one", async ({ page }) => {
  await signInAs(page, "sysadmin@acme.test", "/admin/tokens");
  const someoneElses = unique("Dominic's integration");
  const { dialog: adminDialog } = await createToken(page, {
    description: someoneElses,
    rep: "Dominic Reinke (dominic.reinke)",
    preset: "Read-only",
  });
  await adminDialog.getByRole("button", { name: "Done" }).click();
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/login$/);

  await signInAs(page, "susan@acme.test", "/options");
  await expect(page.getByRole("columnheader", { name: "User" })).toHaveCount(0);
  await expect(page.getByLabel("Service rep")).toHaveCount(0);
  const description = unique("Susan's script");
  const { dialog, value } = await createToken(page, { description, permissions: ["messages:send"] });
  expect(value).toMatch(/^tsr_/);
  await expect(dialog.getByLabel("Service rep")).toHaveCount(0);
  await dialog.getByRole("button", { name: "Done" }).click();
  await expect(rowOf(page, description)).toHaveCount(1);
  // Tokens of other reps are not here, not even when searched for.
  await expect(rowOf(page, someoneElses)).toHaveCount(0);
  await page.goto(`/options?q=${encodeURIComponent(someoneElses)}`);
  await expect(page.getByText("0 tokens")).toBeVisible();
});

test("a rep cannot check an admin-only permission", async ({ page }) => {
  await signInAs(page, "dominic.reinke@acme.test", "/options");
  await page.getByRole("button", { name: "Create token" }).click();
  const dialog = page.getByRole("dialog", { name: "Create personal access token" });
  // The dialog opens on the built-in Tessera API, whose admin-only permissions these are.
  await expect(dialog.getByLabel("Application", { exact: true }).locator("option:checked")).toHaveText("Tessera API");
  for (const permission of ["tokens:admin", "reps:read", "audit:read", "tokens:introspect", "applications:read", "applications:write"]) {
    await expect(dialog.getByLabel(permission, { exact: true })).toBeDisabled();
  }
});

test("sudo mode: a change asks for the password, not again within the window, and again once it has passed", async ({ page }) => {
  await signIn(page, "alexander.swanson@acme.test");
  await expect(page).toHaveURL(/\/options$/);
  const prompt = page.getByRole("dialog", { name: "Confirm your password" });
  const description = unique("Sudo check");

  await page.getByRole("button", { name: "Create token" }).click();
  const dialog = page.getByRole("dialog", { name: "Create personal access token" });
  await dialog.getByLabel("Application", { exact: true }).selectOption({ label: "Enterprise REST API" });
  await dialog.getByLabel("Description").fill(description);
  await dialog.getByLabel("messages:send", { exact: true }).check();
  await dialog.getByRole("button", { name: "Create" }).click();
  await expect(prompt).toBeVisible();
  await prompt.getByLabel("Password").fill("wrong password");
  await prompt.getByRole("button", { name: "Confirm" }).click();
  await expect(prompt.getByText("Incorrect password.")).toBeVisible();
  await prompt.getByLabel("Password").fill(DEMO_PASSWORD);
  await prompt.getByRole("button", { name: "Confirm" }).click();
  await expect(dialog.getByTestId("token-value")).toBeVisible();
  await dialog.getByRole("button", { name: "Done" }).click();

  // Within the window: no prompt.
  const active = rowOf(page, description).getByRole("switch", { name: "Active" });
  await active.click();
  await expect(active).toHaveAttribute("aria-checked", "false");
  await expect(prompt).toBeHidden();

  // Once the window has passed, the next change asks again.
  await page.waitForTimeout((SUDO_WINDOW_SECONDS + 1) * 1000);
  await active.click();
  await expect(prompt).toBeVisible();
  await prompt.getByLabel("Password").fill(DEMO_PASSWORD);
  await prompt.getByRole("button", { name: "Confirm" }).click();
  await expect(active).toHaveAttribute("aria-checked", "true");
});

test("regenerate with a grace: the old value keeps working for a day, its row says until when, and Revoke ends it now", async ({
  page,
  request,
}) => {
  await signInAs(page, "sysadmin@acme.test", "/admin/tokens");
  const description = unique("Grace");
  const { dialog, value: oldValue } = await createToken(page, { description, application: "Tessera API", permissions: ["tokens:read"] });
  await dialog.getByRole("button", { name: "Done" }).click();

  await rowOf(page, description).getByRole("button", { name: "Regenerate" }).click();
  const regenerate = page.getByRole("dialog", { name: "Regenerate token?" });
  await regenerate.getByLabel("Keep the old value working").selectOption({ label: "1 day" });
  await regenerate.getByRole("button", { name: "Regenerate" }).click();
  const fresh = page.getByRole("dialog", { name: "New token value" });
  const newValue = ((await fresh.getByTestId("token-value").textContent()) ?? "").trim();
  await fresh.getByRole("button", { name: "Done" }).click();

  const old = rowOf(page, description).filter({ hasText: "Stops working" });
  await expect(old).toHaveCount(1);
  for (const value of [oldValue, newValue]) {
    expect((await request.get("/api/v1/me", { headers: { authorization: `Bearer ${value}` } })).status()).toBe(200);
  }
  await old.getByRole("button", { name: "Revoke" }).click();
  const revoke = page.getByRole("dialog", { name: "Revoke token?" });
  await revoke.getByRole("button", { name: "Revoke" }).click();
  // While the dialog is open the rows are hidden from the accessibility tree: wait for it to close.
  await expect(revoke).toBeHidden();
  await expect(rowOf(page, description)).toHaveCount(2);
  await expect(rowOf(page, description).filter({ hasText: "Stops working" })).toHaveCount(0);
  expect((await request.get("/api/v1/me", { headers: { authorization: `Bearer ${oldValue}` } })).status()).toBe(401);
  expect((await request.get("/api/v1/me", { headers: { authorization: `Bearer ${newValue}` } })).status()).toBe(200);
});

test("restrictions: a malformed range is refused in the dialog; allowed addresses and a rate limit are enforced and shown on the token page", async ({
  page,
  request,
}) => {
  await signInAs(page, "sysadmin@acme.test", "/admin/tokens");
  const description = unique("Office only");

  await page.getByRole("button", { name: "Create token" }).click();
  const dialog = page.getByRole("dialog", { name: "Create personal access token" });
  await dialog.getByLabel("Application", { exact: true }).selectOption({ label: "Tessera API" });
  await dialog.getByLabel("Description").fill(description);
  await dialog.getByLabel("tokens:read", { exact: true }).check();
  await dialog.getByLabel("Allowed IP addresses").fill("10.0.0.300\n192.0.2.0/24");
  await dialog.getByRole("button", { name: "Create" }).click();
  const allowed = dialog.getByLabel("Allowed IP addresses");
  await expect(allowed).toHaveAccessibleDescription(/“10\.0\.0\.300” is not an IP address or CIDR range/);
  await expect(allowed).toHaveValue("10.0.0.300\n192.0.2.0/24");
  await dialog.getByRole("button", { name: "Cancel" }).click();
  await expect(dialog).toBeHidden();

  // This browser's requests come from 127.0.0.1 (no trusted proxy in front of the e2e server).
  const elsewhere = await createToken(page, {
    description,
    application: "Tessera API",
    permissions: ["tokens:read"],
    allowedIps: "192.0.2.0/24",
  });
  await elsewhere.dialog.getByRole("button", { name: "Done" }).click();
  const refused = await request.get("/api/v1/me", { headers: { authorization: `Bearer ${elsewhere.value}` } });
  expect(refused.status()).toBe(403);
  expect(await refused.json()).toMatchObject({ code: "ip_not_allowed" });

  const local = await createToken(page, {
    description: `${description} local`,
    application: "Tessera API",
    permissions: ["tokens:read"],
    allowedIps: "127.0.0.1\n::1",
    rateLimit: "2",
  });
  await local.dialog.getByRole("button", { name: "Done" }).click();
  const me = () => request.get("/api/v1/me", { headers: { authorization: `Bearer ${local.value}` } });
  const first = await me();
  expect(first.status()).toBe(200);
  expect(first.headers()["ratelimit-policy"]).toBe('"token";q=2;w=60');
  expect((await me()).status()).toBe(200);
  const limited = await me();
  expect(limited.status()).toBe(429);
  expect(Number(limited.headers()["retry-after"])).toBeGreaterThan(0);

  await rowOf(page, `${description} local`)
    .getByRole("link", { name: `${description} local` })
    .click();
  const details = page.getByRole("definition");
  await expect(page.getByRole("heading", { level: 1, name: `${description} local` })).toBeVisible();
  await expect(details.filter({ hasText: "127.0.0.1/32" })).toContainText("::1/128");
  await expect(details.filter({ hasText: "2 requests per minute" })).toHaveCount(1);
});

test("the token page: details, permissions with descriptions, usage as a chart and as a table, client addresses, rotation history", async ({
  page,
  request,
}) => {
  await signInAs(page, "sysadmin@acme.test", "/admin/tokens");
  const description = unique("Paged");
  const { dialog, value } = await createToken(page, { description, application: "Tessera API", permissions: ["tokens:read"] });
  await dialog.getByRole("button", { name: "Done" }).click();
  for (let i = 0; i < 3; i += 1) {
    expect(
      (await request.get("/api/v1/me", { headers: { authorization: `Bearer ${value}`, "user-agent": "partner-sync/2.1" } })).status(),
    ).toBe(200);
  }

  await page.getByRole("link", { name: description }).click();
  await expect(page).toHaveURL(/\/acme\/tokens\/[0-9a-f-]{36}$/);
  await expect(page.getByRole("heading", { name: description, level: 1 })).toBeVisible();
  const details = page.getByRole("definition").filter({ hasText: "Tessera API" });
  await expect(details).toHaveCount(1);
  await expect(page.getByRole("listitem").filter({ hasText: "tokens:read" })).toContainText("—");
  for (const heading of ["Permissions", "Usage", "Client addresses", "Rotation history"]) {
    await expect(page.getByRole("heading", { name: heading, level: 2 })).toBeVisible();
  }
  await expect(page.getByRole("img", { name: "Requests per day" })).toBeVisible();
  // Usage and client addresses are written in batches every two seconds, one statement each:
  // reload until both show.
  const today = new Date().toISOString().slice(0, 10);
  await expect(async () => {
    await page.reload();
    await page.getByText("Show as a table").click();
    const table = page.getByRole("table", { name: "Requests per day" });
    // The day is the row's header; its first cell is the requests, the second the failures.
    await expect(table.getByRole("row").filter({ hasText: today }).getByRole("cell").first()).toHaveText("3", { timeout: 500 });
    await expect(
      page.getByRole("table", { name: "Client addresses" }).getByRole("row").filter({ hasText: "partner-sync/2.1" }),
    ).toHaveCount(1, { timeout: 500 });
  }).toPass({ timeout: 15_000 });
  await expect(page.getByText("This value has never been rotated.")).toBeVisible();
  // Another rep's page answers 404, as a foreign one does.
  const tokenUrl = new URL(page.url()).pathname;
  const susan = await page.context().browser()?.newContext();
  const susanPage = await susan?.newPage();
  if (!susan || !susanPage) throw new Error("no second context");
  await signInAs(susanPage, "susan@acme.test", "/options");
  expect((await susanPage.goto(tokenUrl))?.status()).toBe(404);
  await susan.close();
});

test("a value reported leaked through POST /api/v1/credentials/revoke stops working, and the row says why", async ({ page, request }) => {
  await signInAs(page, "sysadmin@acme.test", "/admin/tokens");
  const description = unique("Leaked");
  const { dialog, value } = await createToken(page, { description, application: "Tessera API", permissions: ["tokens:read"] });
  await dialog.getByRole("button", { name: "Done" }).click();
  const bearer = { authorization: `Bearer ${value.trim()}` };
  expect((await request.get("/api/v1/me", { headers: bearer })).status()).toBe(200);
  // No authentication, and the same answer whatever matched.
  const reported = await request.post("/api/v1/credentials/revoke", { data: { credentials: [value.trim(), "tsr_not_a_token"] } });
  expect(reported.status()).toBe(202);
  expect((await request.get("/api/v1/me", { headers: bearer })).status()).toBe(401);
  await page.reload();
  await expect(rowOf(page, description)).toContainText("Reported leaked");
});

test("a signed GitHub secret-scanning report deactivates the token, and its page says where it was found", async ({ page, request }) => {
  await signInAs(page, "sysadmin@acme.test", "/admin/tokens");
  const description = unique("Scanned");
  const { dialog, value } = await createToken(page, { description, application: "Tessera API", permissions: ["tokens:read"] });
  await dialog.getByRole("button", { name: "Done" }).click();
  const bearer = { authorization: `Bearer ${value.trim()}` };
  const where = "https://github.com/octocat/Hello-World/blob/main/config.txt";
  const body = JSON.stringify([{ token: value.trim(), type: "tessera_pat", url: where, source: "content" }]);
  const signature = sign("sha256", Buffer.from(body), { key: process.env.E2E_GITHUB_SCANNING_PRIVATE_KEY ?? "", dsaEncoding: "der" });
  const reported = await request.post("/api/v1/secret-scanning/github", {
    data: body,
    headers: {
      "content-type": "application/json",
      "github-public-key-identifier": "e2e",
      "github-public-key-signature": signature.toString("base64"),
    },
  });
  expect(reported.status()).toBe(200);
  expect((await reported.json())[0]).toMatchObject({ label: "true_positive" });
  expect((await request.get("/api/v1/me", { headers: bearer })).status()).toBe(401);
  await page.reload();
  await expect(rowOf(page, description).getByRole("switch", { name: "Active" })).toHaveAttribute("aria-checked", "false");
  await rowOf(page, description).getByRole("link", { name: description }).click();
  await expect(page.getByRole("link", { name: where })).toHaveAttribute("href", where);
});
