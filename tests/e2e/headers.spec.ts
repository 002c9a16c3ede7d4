import { expect, test, type Page } from "@playwright/test";
import { signInAs } from "./helpers";

const nonceOf = (csp: string) => /script-src [^;]*'nonce-([A-Za-z0-9+/=]+)'/.exec(csp)?.[1];

test("/login carries a nonce CSP that differs per response and matches its script tags", async ({ request }) => {
  const nonces: string[] = [];
  for (let i = 0; i < 2; i += 1) {
    const response = await request.get("/login");
    expect(response.status()).toBe(200);
    const csp = response.headers()["content-security-policy"] ?? "";
    for (const directive of ["object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'", "form-action 'self'", "'strict-dynamic'"]) {
      expect(csp).toContain(directive);
    }
    expect(csp).not.toContain("unsafe-eval");
    expect(csp).not.toMatch(/script-src[^;]*'unsafe-inline'/);
    const nonce = nonceOf(csp);
    expect(nonce).toBeTruthy();
    nonces.push(nonce ?? "");
    const html = await response.text();
    const scripts = html.match(/<script\b[^>]*>/g) ?? [];
    expect(scripts.length).toBeGreaterThan(0);
    for (const tag of scripts) expect(tag).toContain(`nonce="${nonce}"`);
    expect(response.headers()["permissions-policy"]).toContain("camera=()");
    expect(response.headers()["x-content-type-options"]).toBe("nosniff");
    expect(response.headers()["referrer-policy"]).toBe("same-origin");
    // Plain HTTP: no HSTS, even when a client claims otherwise (no trusted proxy here).
    expect(response.headers()["strict-transport-security"]).toBeUndefined();
  }
  expect(nonces[0]).not.toBe(nonces[1]);
  const claimed = await request.get("/login", { headers: { "x-forwarded-proto": "https" } });
  expect(claimed.headers()["strict-transport-security"]).toBeUndefined();
});

test("API routes carry a CSP that allows nothing", async ({ request }) => {
  const response = await request.get("/api/v1/me");
  expect(response.headers()["content-security-policy"]).toContain("default-src 'none'");
  expect(response.headers()["x-content-type-options"]).toBe("nosniff");
});

// Every CSP violation a page reports, from the document's securitypolicyviolation events.
async function watchViolations(page: Page): Promise<() => Promise<string[]>> {
  await page.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { __csp: string[] }).__csp = seen;
    document.addEventListener("securitypolicyviolation", (event) => seen.push(`${event.violatedDirective} ${event.blockedURI}`));
  });
  const console: string[] = [];
  page.on("console", (message) => {
    if (/Content Security Policy/i.test(message.text())) console.push(message.text());
  });
  return async () => [...console, ...(await page.evaluate(() => (window as unknown as { __csp?: string[] }).__csp ?? []))];
}

test("a rep's Options page works under the CSP with no violations", async ({ page }) => {
  const violations = await watchViolations(page);
  await signInAs(page, "dominic.reinke@acme.test", "/options");
  await page.getByRole("button", { name: "Create token" }).click();
  await expect(page.getByRole("dialog", { name: "Create personal access token" })).toBeVisible();
  expect(await violations()).toEqual([]);
});

test("the console and the API reference work under the CSP with no violations", async ({ page }) => {
  const violations = await watchViolations(page);
  await page.goto("/docs/api");
  await expect(page.getByText("Tessera API").first()).toBeVisible({ timeout: 20_000 });
  await expect(page.getByText("Authorization: Bearer $TESSERA_TOKEN").first()).toBeVisible();
  expect(await violations()).toEqual([]);

  await signInAs(page, "sysadmin@acme.test", "/admin/tokens");
  expect(await violations()).toEqual([]);
  await page.getByRole("button", { name: "Create token" }).click();
  const dialog = page.getByRole("dialog", { name: "Create personal access token" });
  await expect(dialog).toBeVisible();
  expect(await violations()).toEqual([]);
  await page.keyboard.press("Escape");
  await expect(dialog).toBeHidden();
  for (const path of ["/admin/audit", "/admin/reps", "/admin/settings", "/admin/outbox"]) {
    await page.goto(path);
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
    expect(await violations(), path).toEqual([]);
  }
});
