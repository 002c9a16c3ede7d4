import { expect, test, type Page } from "@playwright/test";
import { answerPasswordPrompts, DEMO_PASSWORD, signIn, signInAs, suffix } from "./helpers";

// SPEC §10: one person, one e-mail and password, a membership per organization; the organization
// is in the URL, so two tabs work in two organizations at once.

test.beforeEach(async ({ page }) => {
  await answerPasswordPrompts(page);
});

const CONSULTANT = "consultant@partner.test";
const rowOf = (page: Page, text: string) => page.getByRole("row").filter({ hasText: text });

async function createOwnToken(page: Page, description: string, organization?: string) {
  await page.getByRole("button", { name: "Create token" }).click();
  const dialog = page.getByRole("dialog", { name: "Create personal access token" });
  if (organization) await dialog.getByLabel("Organization").selectOption({ label: organization });
  await dialog.getByLabel("Application", { exact: true }).selectOption({ label: "Tessera API" });
  await dialog.getByLabel("Description").fill(description);
  await dialog.getByLabel("tokens:read", { exact: true }).check();
  await dialog.getByRole("button", { name: "Create" }).click();
  await expect(dialog.getByTestId("token-value")).toBeVisible();
  return dialog;
}

test("the consultant switches organizations in one tab while another tab stays in its own, each acting in its organization", async ({
  context,
  page,
}) => {
  await signIn(page, CONSULTANT);
  // The default organization is the first they joined: Acme, where they are a rep.
  await expect(page).toHaveURL(/\/acme\/options$/);
  const select = page.getByLabel("Organization");
  await expect(select).toHaveValue("acme");
  await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link")).toHaveText(["Options"]);

  const other = await context.newPage();
  await answerPasswordPrompts(other);
  await other.goto("/globex/admin/tokens");
  await expect(other.getByRole("heading", { name: "Personal access tokens", level: 1 })).toBeVisible();
  await expect(other.getByLabel("Organization")).toHaveValue("globex");

  // Switching the first tab to Globex (where they are an admin) and back leaves the second alone.
  await select.selectOption({ label: "Globex" });
  await expect(page).toHaveURL(/\/globex\/admin\/tokens$/);
  await page.getByLabel("Organization").selectOption({ label: "Acme Staffing" });
  await expect(page).toHaveURL(/\/acme\/options$/);
  await expect(other).toHaveURL(/\/globex\/admin\/tokens$/);

  // Each tab's changes land in its own organization.
  const inAcme = `Acme side ${suffix()}`;
  const inGlobex = `Globex side ${suffix()}`;
  await (await createOwnToken(page, inAcme)).getByRole("button", { name: "Done" }).click();
  await (await createOwnToken(other, inGlobex)).getByRole("button", { name: "Done" }).click();
  await page.reload();
  await other.reload();
  await expect(rowOf(page, inAcme)).toHaveCount(1);
  await expect(rowOf(page, inGlobex)).toHaveCount(0);
  await expect(rowOf(other, inGlobex)).toHaveCount(1);
  await expect(rowOf(other, inAcme)).toHaveCount(0);
});

test("Options' create dialog makes a token for the organization chosen in its Organization field", async ({ page }) => {
  await signIn(page, CONSULTANT);
  await expect(page).toHaveURL(/\/acme\/options$/);
  const description = `For Globex ${suffix()}`;
  const dialog = await createOwnToken(page, description, "Globex");
  await expect(dialog.getByText("It is listed on Globex's Options page")).toBeVisible();
  await dialog.getByRole("button", { name: "Done" }).click();
  await page.reload();
  await expect(rowOf(page, description)).toHaveCount(0);
  await page.goto("/globex/options");
  await expect(rowOf(page, description)).toHaveCount(1);
});

test("an organization the person is not in answers 404, exactly like one that does not exist; old paths lead into the default one", async ({
  page,
}) => {
  await signIn(page, "sysadmin@acme.test");
  await expect(page).toHaveURL(/\/acme\/admin\/tokens$/);
  const notMember = await page.goto("/globex/admin/tokens");
  const notMemberText = await page.getByRole("main").textContent();
  const missing = await page.goto("/no-such-organization/admin/tokens");
  expect(notMember?.status()).toBe(404);
  expect(missing?.status()).toBe(404);
  expect(await page.getByRole("main").textContent()).toBe(notMemberText);
  // A rep of Acme gets 404 on Acme's admin pages, whatever they are elsewhere.
  await page.context().clearCookies();
  await signIn(page, CONSULTANT);
  await expect(page).toHaveURL(/\/acme\/options$/);
  expect((await page.goto("/acme/admin/reps"))?.status()).toBe(404);
  // Bookmarks from before organizations were in the URL still work.
  await page.goto("/options?state=active");
  await expect(page).toHaveURL(/\/acme\/options\?state=active$/);
});

test("a person in two organizations: invited to the second, they accept; an admin-set password opens only its organization", async ({
  browser,
  page,
}) => {
  const id = suffix();
  const email = `e2e-two-${id}@partner.test`;
  const acmePassword = DEMO_PASSWORD + DEMO_PASSWORD;
  // Acme's admin creates the person with a password Acme's admin knows; Globex's admin adds the same address.
  await signInAs(page, "sysadmin@acme.test", "/acme/admin/tokens");
  await page.goto("/acme/admin/reps");
  await page.getByRole("button", { name: "Create rep" }).click();
  let dialog = page.getByRole("dialog", { name: "Create service rep" });
  await dialog.getByLabel("Username").fill(`two.${id}`);
  await dialog.getByLabel("Email").fill(email);
  await dialog.getByLabel("Display name").fill(`Two ${id}`);
  await dialog.getByLabel("Initial password").fill(acmePassword);
  await dialog.getByRole("button", { name: "Create" }).click();
  await expect(dialog.getByTestId("one-time-password")).toBeVisible();
  await dialog.getByRole("button", { name: "Done" }).click();

  const globex = await browser.newContext();
  const globexAdmin = await globex.newPage();
  await answerPasswordPrompts(globexAdmin);
  await signInAs(globexAdmin, "sysadmin@globex.test", "/globex/admin/tokens");
  await globexAdmin.goto("/globex/admin/reps");
  await globexAdmin.getByRole("button", { name: "Create rep" }).click();
  dialog = globexAdmin.getByRole("dialog", { name: "Create service rep" });
  await dialog.getByLabel("Username").fill(`two.g.${id}`);
  await dialog.getByLabel("Email").fill(email);
  await dialog.getByLabel("Display name").fill(`Two in Globex ${id}`);
  await dialog.getByRole("button", { name: "Create" }).click();
  // They already have an account: Globex invites them, and nothing of theirs changes until they accept (SPEC §14).
  await expect(dialog.getByRole("status")).toHaveText(`Invitation sent to ${email}; they join when they accept.`);
  await dialog.getByRole("button", { name: "Done" }).click();
  const invitations = globexAdmin.getByRole("region", { name: "Pending invitations" });
  await expect(invitations.getByRole("row").filter({ hasText: email })).toContainText(`two.g.${id}`);
  // Globex's admin sees no membership of theirs yet, and never Acme's.
  await expect(rowOf(globexAdmin, `Two in Globex ${id}`)).toHaveCount(0);
  await expect(rowOf(globexAdmin, `two.${id} `)).toHaveCount(0);

  // At sign-in, the person is shown the invitation on /account first, and accepts it.
  const twoContext = await browser.newContext();
  const two = await twoContext.newPage();
  await signIn(two, email, acmePassword);
  await expect(two).toHaveURL(/\/account$/);
  const invitationList = two.getByRole("region", { name: "Invitations" });
  const invitation = invitationList.getByRole("listitem").filter({ hasText: "Globex invites you as a service rep" });
  await expect(invitation).toContainText(`Username two.g.${id}`);
  await invitation.getByRole("button", { name: "Accept" }).click();
  await expect(invitation.getByRole("status")).toContainText("You joined Globex");
  // Globex's admin now sees the membership, and the invitation is gone.
  await globexAdmin.reload();
  await expect(rowOf(globexAdmin, `Two in Globex ${id}`)).toHaveCount(1);
  await expect(invitations.getByRole("row").filter({ hasText: email })).toHaveCount(0);

  // The password Acme's admin set (and knows) opens Acme alone; Globex opens once the person
  // chooses their own (SPEC §14). Joining Globex ended nothing and withdrew nothing.
  expect((await two.goto("/acme/options"))?.status()).toBe(200);
  expect((await two.goto("/globex/options"))?.status()).toBe(404);
  // Changing it on /account keeps it Acme's: Acme's admin could do that as well as the person. A
  // password of their own comes through a link to their mailbox (tests/integration/people/change-password.test.ts).
  await two.goto("/account");
  await expect(two.getByRole("heading", { name: "Invitations" })).toHaveCount(0);
  const change = two.getByRole("region", { name: "Change password" });
  await expect(change).toContainText("An administrator of Acme Staffing set your password");
  const own = `${DEMO_PASSWORD} of their own`;
  const form = change.getByRole("form", { name: "Change password" });
  await form.getByLabel("Current password").fill(acmePassword);
  await form.getByLabel("New password", { exact: true }).fill(own);
  await form.getByLabel("Confirm new password").fill(own);
  await form.getByRole("button", { name: "Change password" }).click();
  await expect(form.getByRole("status")).toContainText("it opens only the organization whose administrator set that one");
  expect((await two.goto("/globex/options"))?.status()).toBe(404);
  await two.goto("/account");
  await two.getByRole("button", { name: "Mail me a link" }).click();
  await expect(two.getByRole("form", { name: "Choose a password of your own" }).getByRole("status")).toContainText(
    `We mailed a link to ${email}`,
  );
  await globex.close();

  // Acme deactivates its membership: with nothing else open to them, the person is out at once.
  // (Their own person, not the demo consultant, whom other specs use at the same time.)
  await page.reload();
  const row = rowOf(page, `two.${id} `);
  await row.getByRole("button", { name: "Deactivate" }).click();
  await page
    .getByRole("dialog", { name: `Deactivate Two ${id}?` })
    .getByRole("button", { name: "Deactivate" })
    .click();
  await expect(row).toContainText("Inactive");
  await two.goto("/acme/options");
  await expect(two).toHaveURL(/\/login$/);
  await twoContext.close();
});
