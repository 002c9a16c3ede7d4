import { request as httpRequest, type IncomingHttpHeaders } from "node:http";
import { expect, test, type APIRequestContext } from "@playwright/test";
import { createRep, DEMO_PASSWORD, signIn, signInAs, suffix } from "./helpers";

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

/** One sign-in through Auth.js's credentials callback; the refusal code it redirects with. */
async function signInAttempt(request: APIRequestContext, csrfToken: string, email: string, password: string) {
  const response = await request.post("/api/auth/callback/credentials", { form: { csrfToken, email, password }, maxRedirects: 0 });
  return new URL(response.headers()["location"] ?? "", "http://x").searchParams.get("code");
}

test("40 parallel wrong passwords for one e-mail check at most 5; the audit log records the rest as rate_limited", async ({
  page,
  request,
}) => {
  const username = `e2e.burst.${suffix()}`;
  const email = `${username}@acme.test`;
  await signInAs(page, "sysadmin@acme.test", "/admin/tokens");
  await createRep(page, username, email);

  const { csrfToken } = (await (await request.get("/api/auth/csrf")).json()) as { csrfToken: string };
  const codes = await Promise.all(Array.from({ length: 40 }, (_, attempt) => signInAttempt(request, csrfToken, email, `wrong-${attempt}`)));
  const answered = (code: string) => codes.filter((each) => each === code).length;
  expect(answered("invalid_credentials") + answered("rate_limited")).toBe(40);
  expect(answered("invalid_credentials")).toBeLessThanOrEqual(5);

  // Every attempt is audited, with the reason: only the passwords actually checked say
  // invalid_credentials, one event each; the refusals are counted in one event a minute.
  const csv = await (await page.request.get("/admin/audit/export?action=sign_in.failed")).text();
  const rows = csv.split("\r\n").filter((line) => line.includes(`,${username},`));
  const withReason = (reason: string) => rows.filter((row) => row.includes(`reason: ${reason}`));
  const audited = (reason: string) => withReason(reason).reduce((sum, row) => sum + Number(/count: (\d+)/.exec(row)?.[1] ?? 1), 0);
  expect(audited("invalid_credentials")).toBe(answered("invalid_credentials"));
  expect(audited("rate_limited")).toBe(answered("rate_limited"));
  expect(withReason("rate_limited").length).toBeLessThanOrEqual(2);
});

/** One HTTP exchange sent from a loopback address of our choosing, so the server sees another client. */
function sendFrom(localAddress: string, url: URL, init: { method: string; headers?: Record<string, string>; body?: string }) {
  return new Promise<{ headers: IncomingHttpHeaders; body: string }>((resolve, reject) => {
    const outgoing = httpRequest(url, { method: init.method, headers: init.headers, localAddress }, (response) => {
      let body = "";
      response.setEncoding("utf8");
      response.on("data", (chunk: string) => (body += chunk));
      response.on("end", () => resolve({ headers: response.headers, body }));
    });
    outgoing.on("error", reject);
    outgoing.end(init.body);
  });
}

/** A sign-in through the credentials callback from `localAddress`: the refusal code (or null) and the cookies set. */
async function signInFrom(baseURL: string, localAddress: string, email: string, password: string) {
  const csrf = await sendFrom(localAddress, new URL("/api/auth/csrf", baseURL), { method: "GET" });
  const { csrfToken } = JSON.parse(csrf.body) as { csrfToken: string };
  const cookie = (csrf.headers["set-cookie"] ?? []).map((each) => each.split(";")[0]).join("; ");
  const response = await sendFrom(localAddress, new URL("/api/auth/callback/credentials", baseURL), {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie },
    body: new URLSearchParams({ csrfToken, email, password }).toString(),
  });
  const location = response.headers["location"];
  const code = new URL(typeof location === "string" ? location : "", "http://x").searchParams.get("code");
  return { code, cookies: response.headers["set-cookie"] ?? [] };
}

test("a browser that signed in before gets in while strangers keep the account's limit spent", async ({ page, browser, baseURL }) => {
  if (!baseURL) throw new Error("the suite needs a baseURL");
  const username = `e2e.victim.${suffix()}`;
  const email = `${username}@acme.test`;
  await signInAs(page, "sysadmin@acme.test", "/admin/tokens");
  const password = await createRep(page, username, email);

  // The victim signs in once; the browser keeps a device cookie after the session ends.
  const victim = await browser.newContext();
  const victimPage = await victim.newPage();
  await signIn(victimPage, email, password);
  await expect(victimPage).toHaveURL(/\/options$/);
  expect((await victim.cookies()).find((cookie) => cookie.name === "tessera-device")).toMatchObject({ httpOnly: true, sameSite: "Lax" });
  await victim.clearCookies({ name: /authjs/ });
  // The credentials callback route sets it too.
  const direct = await signInFrom(baseURL, "127.0.0.6", email, password);
  expect(direct.code).toBeNull();
  expect(direct.cookies.some((cookie) => cookie.startsWith("tessera-device=") && /HttpOnly/i.test(cookie))).toBe(true);

  // Strangers, from three other addresses, spend the account's 15 attempts per five minutes.
  for (const address of ["127.0.0.2", "127.0.0.3", "127.0.0.4"]) {
    for (let guess = 0; guess < 5; guess += 1)
      expect((await signInFrom(baseURL, address, email, `wrong-${guess}`)).code).toBe("invalid_credentials");
  }
  expect((await signInFrom(baseURL, "127.0.0.5", email, password)).code).toBe("rate_limited");

  // The victim's browser gets in at once; a browser that never signed in to the account waits.
  await signIn(victimPage, email, password);
  await expect(victimPage).toHaveURL(/\/options$/);
  const stranger = await browser.newContext();
  const strangerPage = await stranger.newPage();
  await signIn(strangerPage, email, password);
  await expect(strangerPage.getByText("Too many failed attempts. Wait a minute, then try again.")).toBeVisible();
  await Promise.all([victim.close(), stranger.close()]);
});
