import { expect, test, type Browser } from "@playwright/test";
import { generate } from "otplib";
import { answerPasswordPrompts, createRep, signIn, signInAs, suffix } from "./helpers";

// /account (SPEC §14) in a real browser: the authenticator app from setup to sign-in, and Sessions.
// Each test signs in a rep of its own, made by the demo admin.

async function newRep(browser: Browser) {
  const admin = await (await browser.newContext()).newPage();
  await answerPasswordPrompts(admin);
  await signInAs(admin, "sysadmin@acme.test", "/admin/tokens");
  const username = `e2e.account.${suffix()}`;
  const email = `${username}@acme.test`;
  const password = await createRep(admin, username, email);
  await admin.context().close();
  return { email, password };
}

test("an authenticator app: set up with a code, then the password alone signs nobody in — not even through Auth.js's callback", async ({
  browser,
  playwright,
  baseURL,
}) => {
  const rep = await newRep(browser);
  const page = await (await browser.newContext()).newPage();
  await signIn(page, rep.email, rep.password);
  await expect(page).toHaveURL(/\/options$/);

  await page.goto("/account");
  await page.getByRole("button", { name: "Set up authenticator app" }).click();
  const setup = page.getByRole("form", { name: "Set up authenticator app" });
  await expect(setup.getByRole("img", { name: "QR code for your authenticator app" })).toBeVisible();
  const secret = (await setup.getByTestId("totp-secret").textContent()) ?? "";
  await setup.getByLabel("Code from the app").fill("000000");
  await setup.getByLabel("Current password").fill(rep.password);
  await setup.getByRole("button", { name: "Turn on" }).click();
  // A wrong code keeps the setup open, with the field's error.
  const code = await generate({ secret });
  if (code !== "000000") {
    await expect(setup.getByText(/That code does not match/)).toBeVisible();
    await setup.getByLabel("Code from the app").fill(code);
    await setup.getByLabel("Current password").fill(rep.password);
    await setup.getByRole("button", { name: "Turn on" }).click();
  }
  const codes = page.getByTestId("recovery-codes");
  await expect(codes).toBeVisible();
  const recovery = ((await codes.textContent()) ?? "").match(/[a-z2-9]{5}-[a-z2-9]{5}/g) ?? [];
  expect(recovery).toHaveLength(10);
  await page.getByRole("button", { name: "Done" }).click();
  await expect(page.getByText(/since/)).toBeVisible();
  await expect(page.getByText("Recovery codes left: 10 of 10.")).toBeVisible();

  // Straight to Auth.js with the right password: refused, and no session cookie.
  const direct = await playwright.request.newContext({ baseURL });
  const { csrfToken } = (await (await direct.get("/api/auth/csrf")).json()) as { csrfToken: string };
  const response = await direct.post("/api/auth/callback/credentials", {
    form: { csrfToken, email: rep.email, password: rep.password },
    maxRedirects: 0,
  });
  expect(new URL(response.headers()["location"] ?? "", "http://x").searchParams.get("code")).toBe("second_factor_required");
  expect((await direct.storageState()).cookies.map((cookie) => cookie.name)).not.toContainEqual(expect.stringMatching(/session-token/));
  expect((await direct.get("/account", { maxRedirects: 0 })).status()).toBe(307);
  await direct.dispose();

  // A new browser: the password, then a recovery code (the app's current code was just spent).
  const later = await (await browser.newContext()).newPage();
  await signIn(later, rep.email, rep.password);
  const codeField = later.getByLabel("Authentication code");
  await expect(codeField).toBeFocused();
  await codeField.fill("123 456");
  await later.getByRole("button", { name: "Verify" }).click();
  await expect(later.getByText(/That code is not valid/)).toBeVisible();
  await codeField.fill(recovery[0] ?? "");
  await later.getByRole("button", { name: "Verify" }).click();
  await expect(later).toHaveURL(/\/options$/);
  await later.goto("/account");
  await expect(later.getByText("Recovery codes left: 9 of 10.")).toBeVisible();
});

test("Sessions lists where the person is signed in; Sign out everywhere else ends the other browser's session", async ({ browser }) => {
  const rep = await newRep(browser);
  const laptop = await (await browser.newContext()).newPage();
  const phone = await (
    await browser.newContext({
      userAgent:
        "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1",
    })
  ).newPage();
  await signIn(laptop, rep.email, rep.password);
  await expect(laptop).toHaveURL(/\/options$/);
  await signIn(phone, rep.email, rep.password);
  await expect(phone).toHaveURL(/\/options$/);

  await laptop.goto("/account");
  const sessions = laptop.getByRole("region", { name: "Sessions" });
  await expect(sessions.getByRole("listitem")).toHaveCount(2);
  await expect(sessions.getByRole("listitem").first()).toContainText("This session");
  await expect(sessions.getByText("Safari on iOS")).toBeVisible();
  await sessions.getByRole("button", { name: "Sign out everywhere else" }).click();
  await expect(sessions.getByRole("listitem")).toHaveCount(1);

  await phone.reload();
  await expect(phone).toHaveURL(/\/login$/);
  await laptop.goto("/options");
  await expect(laptop).toHaveURL(/\/options$/);
});

test("a passkey: added on /account with the browser's authenticator, then the second step of sign-in", async ({ browser, baseURL }) => {
  const rep = await newRep(browser);
  // WebAuthn names a relying party by host name: the server's APP_URL is localhost (scripts/e2e-server.mjs).
  const context = await browser.newContext({ baseURL: (baseURL ?? "").replace("127.0.0.1", "localhost") });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send("WebAuthn.enable");
  await cdp.send("WebAuthn.addVirtualAuthenticator", {
    options: {
      protocol: "ctap2",
      transport: "internal",
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
      automaticPresenceSimulation: true,
    },
  });
  await signIn(page, rep.email, rep.password);
  await expect(page).toHaveURL(/\/options$/);

  await page.goto("/account");
  const add = page.getByRole("form", { name: "Add passkey" });
  await add.getByLabel("Passkey name").fill("Test laptop");
  await add.getByLabel("Current password").fill(rep.password);
  await add.getByRole("button", { name: "Add passkey" }).click();
  await expect(page.getByTestId("recovery-codes")).toBeVisible();
  await page.getByRole("button", { name: "Done" }).click();
  await expect(page.getByRole("list", { name: "Passkeys" }).getByText("Test laptop")).toBeVisible();

  // Signed out (the session cookie gone), then in again: password, then the passkey.
  await context.clearCookies({ name: /authjs/ });
  await signIn(page, rep.email, rep.password);
  await page.getByRole("button", { name: "Use a passkey" }).click();
  await expect(page).toHaveURL(/\/options$/);
  await page.goto("/account");
  await expect(page.getByRole("list", { name: "Passkeys" })).toContainText("last used");
});
