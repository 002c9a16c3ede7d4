import { spawn } from "node:child_process";
import path from "node:path";
import { expect, test, type Browser, type Page } from "@playwright/test";
import { createRemoteJWKSet, decodeJwt, jwtVerify } from "jose";
import * as oauth from "oauth4webapi";
import { answerPasswordPrompts, signInAs, suffix } from "./helpers";

// Conformance of the resource-server endpoints with clients written independently of Tessera:
// oauth4webapi (RFC 8414 discovery, RFC 8693 through its generic token endpoint request, RFC 7662,
// RFC 9068) and jose's remote JWKS, against the production build the suite serves. The PATs and the
// application's client credentials come from the console, made by the demo admins the way a
// person would. The resource server is one of the "Enterprise REST API" application (SPEC §9).

test.describe.configure({ mode: "serial" });

const TOKEN_EXCHANGE = "urn:ietf:params:oauth:grant-type:token-exchange";
const ACCESS_TOKEN = "urn:ietf:params:oauth:token-type:access_token";
const AUDIENCE = "https://api.enterprise.example";
// Plain http on 127.0.0.1: the clients refuse it unless told this is a test.
const insecure = { [oauth.allowInsecureRequests]: true } as const;
const client: oauth.Client = { client_id: "e2e-assessments-vendor" };
/** RFC 7662 also lets the protected resource authenticate with a bearer token: a Tessera API PAT with tokens:introspect. */
const bearer =
  (pat: string): oauth.ClientAuth =>
  (_as, _client, _body, headers) => {
    headers.set("authorization", `Bearer ${pat}`);
  };

const run = suffix();
type Pat = { value: string; sid: string; description: string };
type Credentials = { clientId: string; clientSecret: string };
let baseURL: string;
let as: oauth.AuthorizationServer;
let acmeAdmin: Page;
let introspector: Credentials;
let tesseraIntrospector: Pat;
let vendor: Pat;
let doomed: Pat;
let assessVendor: Pat;
let globexIntrospector: Credentials;
let globexVendor: Pat;
// Enterprise tokens with allowed IP addresses (SPEC §12): this machine's, and a range it is not in.
let localOnly: Pat;
let fenced: Pat;

async function adminPage(browser: Browser, email: string): Promise<Page> {
  const page = await (await browser.newContext({ baseURL })).newPage();
  await answerPasswordPrompts(page);
  await signInAs(page, email, "/admin/tokens");
  return page;
}

type PatOptions = { application?: string; rep?: string; preset?: string; permissions?: string[]; allowedIps?: string };

async function createPat(page: Page, label: string, options: PatOptions): Promise<Pat> {
  const description = `${label} ${run}`;
  await page.getByRole("button", { name: "Create token" }).click();
  const dialog = page.getByRole("dialog", { name: "Create personal access token" });
  if (options.application) await dialog.getByLabel("Application", { exact: true }).selectOption({ label: options.application });
  if (options.rep) await dialog.getByLabel("Service rep").selectOption({ label: options.rep });
  await dialog.getByLabel("Description").fill(description);
  if (options.preset) await dialog.getByLabel("Preset").selectOption({ label: options.preset });
  for (const permission of options.permissions ?? []) await dialog.getByLabel(permission, { exact: true }).check();
  if (options.allowedIps) await dialog.getByLabel("Allowed IP addresses").fill(options.allowedIps);
  await dialog.getByRole("button", { name: "Create" }).click();
  await expect(dialog.getByTestId("token-value")).toBeVisible();
  const value = (await dialog.getByTestId("token-value").textContent())?.trim() ?? "";
  const sid =
    (
      await dialog
        .getByText(/Account SID/)
        .locator("code")
        .textContent()
    )?.trim() ?? "";
  await dialog.getByRole("button", { name: "Done" }).click();
  await expect(dialog).toBeHidden();
  expect(value).toMatch(/^tsr_[0-9A-Za-z]{38}$/);
  return { value, sid, description };
}

/** The application's client id and a new client secret, made on its page as an admin would. */
async function createClientSecret(page: Page, application: string): Promise<Credentials> {
  await page.goto("/admin/applications");
  await page.getByRole("link", { name: application, exact: true }).click();
  await expect(page.getByRole("heading", { name: application, level: 1 })).toBeVisible();
  await page.getByRole("button", { name: "Create client secret" }).click();
  const secret = page.getByTestId("client-secret");
  await expect(secret).toBeVisible();
  const clientSecret = (await secret.textContent())?.trim() ?? "";
  const clientId = (await page.getByTestId("client-id").first().textContent())?.trim() ?? "";
  expect(clientSecret).toMatch(/^tcs_/);
  await page.keyboard.press("Escape");
  await page.goto("/admin/tokens");
  return { clientId, clientSecret };
}

async function exchange(subject: Pat, parameters: Record<string, string> = {}) {
  const response = await oauth.genericTokenEndpointRequest(
    as,
    client,
    oauth.None(),
    TOKEN_EXCHANGE,
    { subject_token: subject.value, subject_token_type: ACCESS_TOKEN, ...parameters },
    insecure,
  );
  return oauth.processGenericTokenEndpointResponse(as, client, response);
}

/** Introspection as an application's resource server (HTTP Basic client credentials), or with a Tessera API PAT. */
async function introspect(caller: Credentials | Pat, token: string) {
  const [asClient, auth] =
    "clientId" in caller ? [{ client_id: caller.clientId }, oauth.ClientSecretBasic(caller.clientSecret)] : [client, bearer(caller.value)];
  const response = await oauth.introspectionRequest(as, asClient, auth, token, insecure);
  return oauth.processIntrospectionResponse(as, asClient, response);
}

/** The RFC 6749 §5.2 error a failed exchange answered with ("issued" when it succeeded). */
async function exchangeError(subject: Pat, parameters: Record<string, string>) {
  const error = await exchange(subject, parameters).then(
    () => "issued",
    (reason: unknown) => reason,
  );
  if (error instanceof oauth.ResponseBodyError) return { status: error.status, error: error.error };
  if (error === "issued") return error;
  throw error;
}

test.beforeAll(async ({ browser }, testInfo) => {
  baseURL = String(testInfo.project.use.baseURL);
  const issuer = new URL(baseURL);
  as = await oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, { algorithm: "oauth2", ...insecure }));

  acmeAdmin = await adminPage(browser, "sysadmin@acme.test");
  const enterprise = "Enterprise REST API";
  introspector = await createClientSecret(acmeAdmin, enterprise);
  tesseraIntrospector = await createPat(acmeAdmin, "Tessera introspection", { permissions: ["tokens:introspect"] });
  vendor = await createPat(acmeAdmin, "Assessments vendor", {
    application: enterprise,
    rep: "Alexander Swanson (alexander.swanson)",
    preset: "Assessments integration",
  });
  doomed = await createPat(acmeAdmin, "Vendor to offboard", {
    application: enterprise,
    rep: "Dominic Reinke (dominic.reinke)",
    preset: "Assessments integration",
  });
  localOnly = await createPat(acmeAdmin, "Vendor on this host", {
    application: enterprise,
    preset: "Assessments integration",
    allowedIps: "127.0.0.1\n::1",
  });
  fenced = await createPat(acmeAdmin, "Vendor in another network", {
    application: enterprise,
    preset: "Assessments integration",
    allowedIps: "192.0.2.0/24",
  });
  assessVendor = await createPat(acmeAdmin, "Assess on Cloud plugin", { application: "Assess on Cloud", preset: "IDE Plugins" });

  const globexAdmin = await adminPage(browser, "sysadmin@globex.test");
  globexIntrospector = await createClientSecret(globexAdmin, enterprise);
  globexVendor = await createPat(globexAdmin, "Globex assessments", { application: enterprise, preset: "Assessments integration" });
  await globexAdmin.context().close();
});

test.afterAll(async () => {
  await acmeAdmin?.context().close();
});

test("RFC 8414: discovery names the issuer, the token and introspection endpoints and the JWKS", async ({ request }) => {
  expect(as).toMatchObject({
    issuer: baseURL,
    token_endpoint: `${baseURL}/api/v1/oauth/token`,
    introspection_endpoint: `${baseURL}/api/v1/oauth/introspect`,
    jwks_uri: `${baseURL}/.well-known/jwks.json`,
  });
  expect(as.grant_types_supported).toContain(TOKEN_EXCHANGE);
  const metadata = await request.get("/.well-known/oauth-authorization-server");
  expect(metadata.headers()["cache-control"]).toBe("public, max-age=3600");
  const jwks = await request.get("/.well-known/jwks.json");
  expect(jwks.headers()["cache-control"]).toBe("public, max-age=60");
  const { keys } = (await jwks.json()) as { keys: Record<string, unknown>[] };
  expect(keys.length).toBeGreaterThan(0);
  for (const key of keys) expect(key).toMatchObject({ kty: "EC", crv: "P-256", alg: "ES256", use: "sig", kid: expect.any(String) });
  for (const key of keys) expect(key).not.toHaveProperty("d");
});

test("RFC 8693: a narrowed exchange yields a JWT that jose verifies offline against the remote JWKS, and oauth4webapi accepts as an RFC 9068 access token", async () => {
  const result = await exchange(vendor, { audience: AUDIENCE, scope: "assessments:write" });
  expect(result).toMatchObject({ token_type: "bearer", scope: "assessments:write", issued_token_type: ACCESS_TOKEN });
  expect(result.expires_in).toBeGreaterThan(0);
  expect(result.expires_in).toBeLessThanOrEqual(900);

  const { payload, protectedHeader } = await jwtVerify(result.access_token, createRemoteJWKSet(new URL(String(as.jwks_uri))), {
    issuer: as.issuer,
    audience: AUDIENCE,
    algorithms: ["ES256"],
  });
  expect(protectedHeader).toMatchObject({ alg: "ES256", typ: "at+jwt" });
  expect(payload).toMatchObject({
    scope: "assessments:write",
    org: "acme",
    account_sid: vendor.sid,
    client_id: vendor.sid,
    token_id: expect.any(String),
  });
  expect(Number(payload.exp) - Number(payload.iat)).toBeLessThanOrEqual(900);

  const request = new Request("http://assessments.example/", { headers: { authorization: `Bearer ${result.access_token}` } });
  const claims = await oauth.validateJwtAccessToken(as, request, AUDIENCE, insecure);
  expect(claims.client_id).toBe(vendor.sid);
});

test("RFC 8693: widening is invalid_scope, another grant type unsupported_grant_type, an unusable PAT invalid_request", async () => {
  expect(await exchangeError(vendor, { scope: "assessments:write orders:write" })).toEqual({ status: 400, error: "invalid_scope" });
  expect(await exchangeError(vendor, { scope: "tokens:admin" })).toEqual({ status: 400, error: "invalid_scope" });
  expect(await exchangeError(vendor, { resource: "not-an-absolute-uri" })).toEqual({ status: 400, error: "invalid_target" });
  // A token is valid for its one application: another audience is RFC 8693's invalid_target.
  expect(await exchangeError(vendor, { audience: "https://assess.example/api" })).toEqual({ status: 400, error: "invalid_target" });
  expect(await exchangeError({ ...vendor, value: `tsr_${"A".repeat(38)}` }, {})).toEqual({ status: 400, error: "invalid_request" });
  const response = await oauth.genericTokenEndpointRequest(as, client, oauth.None(), "client_credentials", {}, insecure);
  await expect(oauth.processGenericTokenEndpointResponse(as, client, response)).rejects.toMatchObject({ error: "unsupported_grant_type" });
});

test("RFC 7662: a PAT and an exchanged JWT introspect as active, with scope, client_id, username, org and account SID", async () => {
  expect(await introspect(introspector, vendor.value)).toMatchObject({
    active: true,
    scope: "employees:read assessments:read assessments:write",
    client_id: vendor.sid,
    username: "alexander.swanson",
    token_type: "Bearer",
    iss: as.issuer,
    aud: AUDIENCE,
    org: "acme",
    account_sid: vendor.sid,
    application: "enterprise-rest-api",
    exp: expect.any(Number),
    iat: expect.any(Number),
    sub: expect.any(String),
  });
  const { access_token: jwt } = await exchange(vendor, { scope: "assessments:read", audience: AUDIENCE });
  expect(await introspect(introspector, jwt)).toMatchObject({
    active: true,
    scope: "assessments:read",
    aud: AUDIENCE,
    client_id: vendor.sid,
  });
});

test("RFC 7662: a resource server of one application learns nothing of another application's tokens", async () => {
  expect(await introspect(introspector, assessVendor.value)).toEqual({ active: false });
  const { access_token: assessJwt } = await exchange(assessVendor);
  expect(decodeJwt(assessJwt).aud).toBe("https://assess.example/api");
  expect(await introspect(introspector, assessJwt)).toEqual({ active: false });
  // The Tessera API's own introspection (a PAT holding tokens:introspect) answers for Tessera API tokens only.
  expect(await introspect(tesseraIntrospector, vendor.value)).toEqual({ active: false });
  expect(await introspect(tesseraIntrospector, tesseraIntrospector.value)).toMatchObject({ active: true, application: "tessera-api" });
  // A wrong client secret is RFC 6749's invalid_client, with a Basic challenge.
  await expect(introspect({ ...introspector, clientSecret: `tcs_${"A".repeat(43)}` }, vendor.value)).rejects.toMatchObject({ status: 401 });
  const raw = await fetch(String(as.introspection_endpoint), {
    method: "POST",
    headers: {
      authorization: `Basic ${Buffer.from(`${introspector.clientId}:tcs_${"A".repeat(43)}`).toString("base64")}`,
      "content-type": "application/x-www-form-urlencoded",
    },
    body: new URLSearchParams({ token: vendor.value }),
  });
  expect(raw.status).toBe(401);
  expect(raw.headers.get("www-authenticate")).toContain("Basic");
  expect(await raw.json()).toMatchObject({ error: "invalid_client" });
});

test("RFC 7662: another organization's tokens, and garbage, are exactly {active: false}", async () => {
  const { access_token: jwt } = await exchange(vendor, { audience: AUDIENCE });
  expect(await introspect(globexIntrospector, vendor.value)).toEqual({ active: false });
  expect(await introspect(globexIntrospector, jwt)).toEqual({ active: false });
  expect(await introspect(introspector, "garbage")).toEqual({ active: false });
  expect(await introspect(introspector, `tsr_${"A".repeat(38)}`)).toEqual({ active: false });
});

test("a revoked PAT cannot be exchanged, and the JWTs it was exchanged for introspect as inactive", async () => {
  const { access_token: jwt } = await exchange(doomed, { audience: AUDIENCE });
  expect(await introspect(introspector, jwt)).toMatchObject({ active: true });

  await acmeAdmin.goto(`/admin/tokens?q=${doomed.sid}`);
  const row = acmeAdmin.getByRole("row").filter({ hasText: doomed.description });
  await expect(row).toHaveCount(1);
  const confirm = acmeAdmin.getByRole("dialog", { name: "Revoke token?" });
  await expect(async () => {
    await row.getByRole("button", { name: "Revoke" }).click();
    await expect(confirm).toBeVisible({ timeout: 2000 });
  }).toPass();
  await confirm.getByRole("button", { name: "Revoke" }).click();
  await expect(confirm).toBeHidden();
  await expect(row).toContainText("Revoked");

  // Servers may answer from a cache for the moment it takes the revocation's notification to arrive.
  await expect
    .poll(() => exchangeError(doomed, { audience: AUDIENCE }), { timeout: 5000 })
    .toEqual({ status: 400, error: "invalid_request" });
  expect(await introspect(introspector, jwt)).toEqual({ active: false });
  await expect.poll(() => introspect(introspector, doomed.value), { timeout: 5000 }).toEqual({ active: false });
});

test("the example resource server accepts what it should and refuses the rest, offline and by introspection", async () => {
  const server = spawn(process.execPath, [path.resolve("examples/resource-server/server.mjs")], {
    env: {
      ...process.env,
      TESSERA_ISSUER: baseURL,
      ORGANIZATION: "acme",
      CLIENT_ID: introspector.clientId,
      CLIENT_SECRET: introspector.clientSecret,
      // One proxy in front: the client address is the last X-Forwarded-For entry.
      TRUSTED_PROXY_HOPS: "1",
      PORT: "0",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  try {
    let stderr = "";
    server.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const url = await new Promise<string>((resolve, reject) => {
      server.stdout.on("data", (chunk: Buffer) => {
        const match = /listening on (http:\/\/\S+)/.exec(chunk.toString());
        if (match?.[1]) resolve(match[1]);
      });
      server.on("exit", (code) => reject(new Error(`the example exited with ${code}: ${stderr}`)));
    });
    const call = (token?: string, from = "127.0.0.1") =>
      fetch(`${url}/assessments`, {
        method: "POST",
        headers: { "x-forwarded-for": `203.0.113.66, ${from}`, ...(token ? { authorization: `Bearer ${token}` } : {}) },
      });

    const writer = await exchange(vendor, { audience: AUDIENCE, scope: "assessments:write" });
    const created = await call(writer.access_token);
    expect(created.status).toBe(201);
    expect(await created.json()).toMatchObject({ org: "acme", account_sid: vendor.sid });

    const reader = await exchange(vendor, { audience: AUDIENCE, scope: "assessments:read" });
    const refused = await call(reader.access_token);
    expect(refused.status).toBe(403);
    expect(refused.headers.get("www-authenticate")).toContain('error="insufficient_scope"');

    // Another application's token, JWT or PAT, whatever it holds: refused.
    expect((await call((await exchange(assessVendor)).access_token)).status).toBe(401);
    expect((await call(assessVendor.value)).status).toBe(401);
    // Same keys, same audience, enough scope — but another organization's: refused.
    const foreign = await exchange(globexVendor, { audience: AUDIENCE, scope: "assessments:write" });
    expect(decodeJwt(foreign.access_token)).toMatchObject({ org: "globex", aud: AUDIENCE });
    expect((await call(foreign.access_token)).status).toBe(401);
    expect((await call(globexVendor.value)).status).toBe(401);
    expect((await call()).status).toBe(401);
    expect((await call(`${writer.access_token.slice(0, -4)}AAAA`)).status).toBe(401);

    // The introspection alternative: the PAT itself, checked online; revocation counts at once.
    expect((await call(vendor.value)).status).toBe(201);
    expect((await call(doomed.value)).status).toBe(401);

    // Allowed IP addresses: Tessera tells (introspection, the JWT's allowed_cidrs), the resource server enforces.
    expect((await call(localOnly.value)).status).toBe(201);
    expect((await call(localOnly.value, "198.51.100.7")).status).toBe(403);
    expect((await call(fenced.value)).status).toBe(403);
    expect((await call(fenced.value, "192.0.2.44")).status).toBe(201);
    const localJwt = await exchange(localOnly, { audience: AUDIENCE, scope: "assessments:write" });
    expect(decodeJwt(localJwt.access_token)).toMatchObject({ allowed_cidrs: ["127.0.0.1/32", "::1/128"] });
    expect((await call(localJwt.access_token)).status).toBe(201);
    expect((await call(localJwt.access_token, "198.51.100.7")).status).toBe(403);
    // Tessera itself holds token exchange to the list: this machine is not in the fenced range.
    expect(await exchangeError(fenced, { audience: AUDIENCE })).toEqual({ status: 403, error: "access_denied" });
  } finally {
    server.kill();
  }
});
