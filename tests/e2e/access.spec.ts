import { expect, test } from "@playwright/test";
import { signInAs } from "./helpers";

test("only admins are offered an account SID; a rep's tokens always get a generated one", async ({ page }) => {
  await signInAs(page, "alexander.swanson@acme.test", "/options");
  await page.getByRole("button", { name: "Create token" }).click();
  const repDialog = page.getByRole("dialog", { name: "Create personal access token" });
  await expect(repDialog.getByLabel("Description")).toBeVisible();
  await expect(repDialog.getByLabel("Account SID")).toHaveCount(0);
  await repDialog.getByRole("button", { name: "Cancel" }).click();
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/login$/);

  await signInAs(page, "sysadmin@acme.test", "/admin/tokens");
  await page.getByRole("button", { name: "Create token" }).click();
  await expect(page.getByRole("dialog", { name: "Create personal access token" }).getByLabel("Account SID")).toBeVisible();
});
