import { fileURLToPath } from "node:url";
import { expect, test, type Page } from "@playwright/test";
import { answerPasswordPrompts, signInAs, suffix } from "./helpers";

// The e2e server runs with a short sudo window: answer the password prompt wherever it appears.
test.beforeEach(async ({ page }) => {
  await answerPasswordPrompts(page);
});

const rowOf = (page: Page, text: string) => page.getByRole("row").filter({ hasText: text });
const PETSTORE = fileURLToPath(new URL("../fixtures/openapi/petstore-v3.json", import.meta.url));

test("admin creates an application, adds a scope, imports the petstore scopes, creates a client secret and archives it", async ({
  page,
}) => {
  const id = suffix();
  const name = `E2E Pets ${id}`;
  await signInAs(page, "sysadmin@acme.test", "/admin/tokens");

  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Applications" }).click();
  await expect(page.getByRole("heading", { name: "Applications", level: 1 })).toBeVisible();
  await expect(rowOf(page, "Tessera API")).toContainText("Built in");
  await expect(rowOf(page, "Enterprise REST API")).toHaveCount(1);
  await expect(rowOf(page, "Assess on Cloud")).toContainText("https://assess.example/api");

  // Create: the new application's page opens.
  await page.getByRole("button", { name: "Create application" }).click();
  const create = page.getByRole("dialog", { name: "Create application" });
  await create.getByLabel("Name").fill(name);
  await create.getByLabel("Audience").fill(`https://pets-${id}.example/api`);
  await create.getByLabel("Docs URL").fill("https://pets.example/docs");
  await create.getByRole("button", { name: "Create" }).click();
  await expect(page).toHaveURL(/\/admin\/applications\/[0-9a-f-]{36}$/);
  const applicationId = new URL(page.url()).pathname.split("/").pop() ?? "";
  await expect(page.getByRole("heading", { name, level: 1 })).toBeVisible();

  // Add a scope: the id is checked as it is typed.
  await page.getByRole("button", { name: "Add scope" }).click();
  const add = page.getByRole("dialog", { name: "Add scope" });
  await add.getByLabel("Scope id").fill("Pets Admin");
  await expect(add.getByText("is not a scope id")).toBeVisible();
  await add.getByLabel("Scope id").fill("pets:admin");
  await expect(add.getByText("is not a scope id")).toHaveCount(0);
  await add.getByLabel("Description").fill("Manage the pet store");
  await add.getByLabel("Docs URL").fill("https://pets.example/docs/admin");
  await add.getByLabel("Admin only").check();
  await add.getByRole("button", { name: "Add" }).click();
  await expect(add).toBeHidden();
  const scopeRow = rowOf(page, "pets:admin");
  await expect(scopeRow).toContainText("Manage the pet store");
  await expect(scopeRow.getByRole("link", { name: "Docs for pets:admin" })).toHaveAttribute("href", "https://pets.example/docs/admin");

  // Import the petstore document: preview, then import.
  await page.getByRole("button", { name: "Import from OpenAPI" }).click();
  const importDialog = page.getByRole("dialog", { name: "Import from OpenAPI" });
  await importDialog.getByLabel("Upload file").setInputFiles(PETSTORE);
  await expect(importDialog.getByLabel("OpenAPI document")).toHaveValue(/petstore_auth/);
  await importDialog.getByRole("button", { name: "Preview" }).click();
  const added = importDialog.getByRole("list", { name: "Added" });
  await expect(added).toContainText("write:pets");
  await expect(added).toContainText("read:pets");
  // The scope added by hand is not in the document: importing deprecates it.
  await expect(importDialog.getByRole("list", { name: "Deprecated" })).toContainText("pets:admin");
  await importDialog.getByRole("button", { name: "Import", exact: true }).click();
  await expect(importDialog).toBeHidden();
  await expect(page.getByRole("status").filter({ hasText: "Imported" })).toBeVisible();
  await expect(rowOf(page, "read:pets")).toContainText("read your pets");
  await expect(rowOf(page, "write:pets")).toHaveCount(1);
  await expect(rowOf(page, "pets:admin")).toContainText("Deprecated");
  await expect(rowOf(page, "pets:admin").getByRole("button", { name: "Restore" })).toBeVisible();

  // A client secret, shown once with the client id.
  await page.getByRole("button", { name: "Create client secret" }).click();
  const secret = page.getByTestId("client-secret");
  await expect(secret).toHaveText(/^tcs_[A-Za-z0-9_-]{43}$/);
  await expect(page.getByTestId("client-id")).toHaveText(applicationId);
  const value = (await secret.textContent()) ?? "";
  const shown = page.getByRole("dialog", { name: "New client secret" });
  await expect(shown.getByRole("button", { name: "Copy" })).toBeVisible();
  await shown.getByRole("button", { name: "Done" }).click();
  await expect(shown).toBeHidden();
  await expect(page.getByText(value)).toHaveCount(0);
  await expect(page.getByRole("region", { name: "Client secrets" }).getByRole("row").filter({ hasText: "tcs_" })).toHaveCount(1);

  // Archive: the confirmation says how many live tokens it stops.
  await page.getByRole("button", { name: "Archive", exact: true }).click();
  const archive = page.getByRole("dialog", { name: `Archive ${name}?` });
  await expect(archive).toContainText("It has no live tokens.");
  await archive.getByRole("button", { name: "Archive" }).click();
  await expect(archive).toBeHidden();
  await expect(page.getByRole("button", { name: "Unarchive" })).toBeVisible();

  await page.goto("/admin/applications");
  await expect(rowOf(page, name)).toContainText("Archived");
  await expect(rowOf(page, name).getByRole("link", { name })).toHaveAttribute("href", `/acme/admin/applications/${applicationId}`);
});

test("the built-in Tessera API is read-only, and an unknown application is not found", async ({ page }) => {
  await signInAs(page, "sysadmin@acme.test", "/admin/tokens");
  await page.goto("/admin/applications");
  await rowOf(page, "Tessera API").getByRole("link", { name: "Tessera API" }).click();
  await expect(page.getByRole("heading", { name: "Tessera API", level: 1 })).toBeVisible();
  await expect(page.getByRole("note").filter({ hasText: "is built in" })).toBeVisible();
  await expect(page.getByRole("cell", { name: "tokens:read", exact: true })).toHaveCount(1);
  for (const button of ["Add scope", "Import from OpenAPI", "Create client secret", "Archive", "Add preset", "Edit"]) {
    await expect(page.getByRole("button", { name: button, exact: true }), button).toHaveCount(0);
  }

  const response = await page.goto("/admin/applications/00000000-0000-4000-8000-000000000000");
  expect(response?.status()).toBe(404);
  await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
});

test("a rep has no Applications link and gets 404 at /admin/applications", async ({ page }) => {
  await signInAs(page, "alexander.swanson@acme.test", "/options");
  await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Applications" })).toHaveCount(0);
  const response = await page.goto("/admin/applications");
  expect(response?.status()).toBe(404);
  await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
});

test("admin creates an Assess on Cloud token from its Extended Access preset, with docs links per scope", async ({ page }) => {
  const description = `E2E assessments ${suffix()}`;
  await signInAs(page, "sysadmin@acme.test", "/admin/tokens");
  await page.getByRole("button", { name: "Create token" }).click();
  const dialog = page.getByRole("dialog", { name: "Create personal access token" });
  await dialog.getByLabel("Application", { exact: true }).selectOption({ label: "Assess on Cloud" });
  await expect(dialog.getByRole("checkbox", { name: "candidates:read", exact: true })).toBeVisible();
  await expect(dialog.getByRole("link", { name: "Docs for candidates:read" })).toHaveAttribute(
    "href",
    "https://assess.example/docs/api/candidates#list",
  );
  await dialog.getByLabel("Preset").selectOption({ label: "Extended Access" });
  await expect(dialog.getByRole("checkbox", { name: "candidates:write", exact: true })).toBeChecked();
  await expect(dialog.getByRole("checkbox", { name: "settings:admin", exact: true })).not.toBeChecked();
  await dialog.getByLabel("Description").fill(description);
  await dialog.getByRole("button", { name: "Create" }).click();
  await expect(dialog.getByTestId("token-value")).toBeVisible();
  await dialog.getByRole("button", { name: "Done" }).click();
  await expect(dialog).toBeHidden();
  await expect(rowOf(page, description)).toHaveCount(1);
});
