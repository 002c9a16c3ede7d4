import { expect, test, type APIRequestContext, type Browser, type Page } from "@playwright/test";
import { request as httpRequest } from "node:http";
import fc from "fast-check";
import { DEMO_PASSWORD, signInAs, suffix } from "./helpers";

// Nasty input against every route and page of the production server; the only assertion is the
// one that matters here: no answer is a 5xx. Everything is deterministic (a fixed list, plus
// fast-check samples from a fixed seed), so a failure reproduces. Requests that carry junk
// credentials go to 127.0.0.2; sign-ins use unknown e-mails only. Raw requests bind 127.0.0.2 as
// their source address too, but Playwright's request context cannot choose one, and Linux answers a
// connection to 127.0.0.2 from 127.0.0.1: its junk spends the other specs' budget of failed API
// authentications. The last hook waits until that address is let in again.

const SEED = 20_261_202;
const port = Number(process.env.E2E_PORT ?? 3100);
const JUNK_ORIGIN = `http://127.0.0.2:${port}`;
const sample = <T>(arbitrary: fc.Arbitrary<T>, count: number, offset = 0) => fc.sample(arbitrary, { seed: SEED + offset, numRuns: count });
const b64 = (text: string | Uint8Array) => Buffer.from(text).toString("base64url");
const UUID = "0b7f9a52-8e3c-4d1a-9f6e-2c5b7a1d3e4f";

const CURSORS = [
  b64(JSON.stringify({ s: "created_desc", v: "x 1", id: UUID })),
  b64(JSON.stringify({ s: "created_desc", v: "2026-02-30T00:00:00.000Z", id: UUID })),
  b64(JSON.stringify({ s: "expires_asc", v: "infinity", id: "1" })),
  b64(JSON.stringify({ s: "description_asc", v: "a\u0000", id: UUID })),
  b64(JSON.stringify({ at: "0000-01-01T00:00:00.000Z", id: UUID })),
  b64(JSON.stringify({ at: "+275760-09-13T00:00:00.000Z", id: UUID })),
  b64(JSON.stringify({ at: 1e308, id: 123 })),
  b64(JSON.stringify({ s: "created_desc", v: 99999999999999999999999, id: UUID })),
  b64("null"),
  b64("[]"),
  b64("\u0000\u0000"),
  "%00",
  "x".repeat(600),
  ...sample(fc.uint8Array({ minLength: 1, maxLength: 80 }), 6).map(b64),
  ...sample(fc.json(), 6, 1).map(b64),
  ...sample(fc.record({ at: fc.string(), v: fc.string(), s: fc.string(), id: fc.string() }, { requiredKeys: [] }), 6, 2).map((v) =>
    b64(JSON.stringify(v)),
  ),
].map(encodeURIComponent);

// Raw query strings: some deliberately malformed (percent-escapes that are not UTF-8).
const QUERIES = [
  ...CURSORS.map((cursor) => `cursor=${cursor}`),
  ...CURSORS.slice(0, 4).map((cursor) => `cursor=${cursor}&sort=description_asc`),
  "cursor=a&cursor=b",
  "limit=-1",
  "limit=0",
  "limit=1e309",
  "limit=99999999999999999999999",
  "limit=NaN",
  "limit[]=1",
  "state=active&state=revoked",
  "state[a]=b",
  "sort=__proto__",
  "sort=constructor",
  "user_id=not-a-uuid",
  "user_id=00000000-0000-0000-0000-000000000000",
  "actor=%FF&rep=zzz",
  "from=0000-01-01&to=9999-12-31",
  "from=2024-02-30",
  "to=9999-12-31",
  "from=-000001-01-01",
  "action=%00",
  "search=%00",
  "search=%FF",
  "search=%E0%A4%A",
  "search=%",
  "%FF=%FE",
  "q=%C0%AF",
  `search=${"x".repeat(10_240)}`,
  `cursor=${"A".repeat(10_240)}`,
  "outside_policy=yes&outsidePolicy=1",
  "status=sent&status[]=x",
  "access_token=junk",
  "a[b][c][d]=1",
  "__proto__[x]=1",
];

const AUTHORIZATIONS = [
  "Bearer ",
  "Bearer",
  "bearer tsr_",
  `Bearer tsr_${"A".repeat(38)}`,
  `Bearer tsr_${"0".repeat(10_000)}`,
  "Bearer \u00e9\u00ff\u00fe",
  "Basic Zm9vOmJhcg==",
  "Bearer a b c",
  ...sample(fc.string({ unit: "binary-ascii", maxLength: 60 }), 8, 3).map((junk) => `Bearer ${junk.replace(/[\x00-\x1f\x7f]/g, "")}`),
];

const deep = (depth: number) => `${"[".repeat(depth)}${"]".repeat(depth)}`;
const BODIES: { body: string; type?: string }[] = [
  { body: "{" },
  { body: "" },
  { body: "null" },
  { body: "[]" },
  { body: '"text"' },
  { body: "1e999" },
  { body: "123456789012345678901234567890" },
  { body: deep(10_000) },
  { body: `{"a":${deep(2_000)}}` },
  { body: '{"description":{"a":1},"permissions":"orders:read"}' },
  { body: '{"description":"fuzz","permissions":["orders:read"],"expires_at":"0000-01-01T00:00:00Z"}' },
  { body: '{"description":"fuzz","permissions":["orders:read"],"expires_at":"9999-12-31T23:59:59-23:59"}' },
  { body: '{"description":"fuzz\\u0000nul","permissions":["orders:read"]}' },
  { body: '{"description":"fuzz","permissions":["orders:read\\u0000"]}' },
  { body: '{"description":"fuzz","permissions":["orders:read"],"account_sid":"\\u0000"}' },
  { body: '{"reason":"\\u0000"}' },
  { body: '{"active":1e999,"permissions":[1,2]}' },
  { body: '{"__proto__":{"admin":true},"constructor":{"prototype":{}}}' },
  { body: '{"ids":["x","\\u0000"]}' },
  { body: '{"ids":[1e999]}' },
  { body: '{"user_id":"00000000-0000-0000-0000-000000000000"}' },
  { body: '{"description":"fuzz","permissions":["orders:read"]}', type: "text/plain" },
  { body: "description=fuzz&permissions=orders:read", type: "application/x-www-form-urlencoded" },
  { body: "token=%FF&token_type_hint=%00", type: "application/x-www-form-urlencoded" },
  { body: "token=a&token=b&subject_token=%00&subject_token_type=x&scope=%FF", type: "application/x-www-form-urlencoded" },
  { body: "--x\r\nContent-Disposition: form-data; name=token\r\n\r\n\u0000\r\n", type: "multipart/form-data" },
  { body: '{"token":"x"}', type: "application/json; charset=utf-16" },
  ...sample(fc.json({ maxDepth: 4 }), 10, 4).map((body) => ({ body })),
  ...sample(fc.string({ maxLength: 200 }), 4, 5).map((body) => ({ body })),
];

type Endpoint = { method: string; path: string; body?: boolean; authorized?: boolean; list?: boolean };

function apiEndpoints(sacrificial: string, application: string): Endpoint[] {
  const idPaths = [sacrificial, "not-a-uuid", "%FF", "x".repeat(2_000)];
  const applicationPaths = [application, "not-a-uuid", "%FF", "x".repeat(2_000)];
  return [
    { method: "GET", path: "/api/health" },
    { method: "GET", path: "/api/ready" },
    { method: "GET", path: "/api/v1/openapi.json" },
    { method: "GET", path: "/.well-known/jwks.json" },
    { method: "GET", path: "/.well-known/oauth-authorization-server" },
    { method: "GET", path: "/api/v1/me", authorized: true },
    { method: "GET", path: "/api/v1/tokens", authorized: true, list: true },
    { method: "POST", path: "/api/v1/tokens", body: true, authorized: true },
    { method: "PUT", path: "/api/v1/tokens", body: true, authorized: true },
    { method: "POST", path: "/api/v1/tokens/revoke", body: true, authorized: true },
    { method: "GET", path: "/api/v1/reps", authorized: true, list: true },
    { method: "GET", path: "/api/v1/audit-events", authorized: true, list: true },
    { method: "POST", path: "/api/v1/oauth/introspect", body: true, authorized: true },
    { method: "POST", path: "/api/v1/oauth/token", body: true },
    { method: "GET", path: "/api/v1/applications", authorized: true },
    { method: "POST", path: "/api/v1/applications", body: true, authorized: true },
    ...applicationPaths.flatMap((id) => [
      { method: "GET", path: `/api/v1/applications/${id}`, authorized: true },
      { method: "PATCH", path: `/api/v1/applications/${id}`, body: true, authorized: true },
      { method: "POST", path: `/api/v1/applications/${id}/import`, body: true, authorized: true },
      { method: "DELETE", path: `/api/v1/applications/${id}/client-secrets/${id}`, body: true, authorized: true },
    ]),
    // Not for the real application: two live secrets are all it may have, and oauth.spec makes one.
    ...applicationPaths
      .slice(1)
      .map((id) => ({ method: "POST", path: `/api/v1/applications/${id}/client-secrets`, body: true, authorized: true })),
    ...idPaths.flatMap((id) => [
      { method: "GET", path: `/api/v1/tokens/${id}`, authorized: true },
      { method: "PATCH", path: `/api/v1/tokens/${id}`, body: true, authorized: true },
    ]),
    // Last: these may rotate or revoke the sacrificial token, which is what it is for.
    ...idPaths.flatMap((id) => [
      { method: "POST", path: `/api/v1/tokens/${id}/rotate`, body: true, authorized: true },
      { method: "DELETE", path: `/api/v1/tokens/${id}`, body: true, authorized: true },
    ]),
  ];
}

type Failure = { method: string; url: string; status: number; note: string };

// Every 5xx is printed as it happens (so a long run that times out still names them) and collected.
async function hit(
  api: APIRequestContext,
  failures: Failure[],
  method: string,
  url: string,
  options: { headers?: Record<string, string>; data?: string },
  note: string,
) {
  const response = await api.fetch(url, { method, headers: options.headers, data: options.data, maxRedirects: 0, failOnStatusCode: false });
  if (response.status() >= 500) {
    const failure = { method, url: url.slice(0, 200), status: response.status(), note: note.slice(0, 200) };
    console.log("5xx", JSON.stringify(failure));
    failures.push(failure);
  }
  await response.dispose();
}

async function signedIn(browser: Browser, email: string, landing: "/admin/tokens" | "/options"): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  const prompt = page.getByRole("dialog", { name: "Confirm your password" });
  await page.addLocatorHandler(prompt, async () => {
    await prompt.getByLabel("Password").fill(DEMO_PASSWORD);
    await prompt.getByRole("button", { name: "Confirm" }).click();
  });
  await signInAs(page, email, landing);
  return page;
}

async function createPat(page: Page, description: string, permissions: string[]): Promise<string> {
  await page.getByRole("button", { name: "Create token" }).click();
  const dialog = page.getByRole("dialog", { name: "Create personal access token" });
  await dialog.getByLabel("Description").fill(description);
  for (const permission of permissions) await dialog.getByLabel(permission, { exact: true }).check();
  await dialog.getByRole("button", { name: "Create" }).click();
  // An auto-waiting assertion lets the password prompt's handler run; textContent() would not.
  await expect(dialog.getByTestId("token-value")).toBeVisible();
  const value = (await dialog.getByTestId("token-value").textContent())?.trim() ?? "";
  await dialog.getByRole("button", { name: "Done" }).click();
  await expect(dialog).toBeHidden();
  return value;
}

test.describe.configure({ timeout: 300_000 });

let api: APIRequestContext;
let bearer: Record<string, string>;
let endpoints: Endpoint[];

test.beforeAll(async ({ browser, playwright }) => {
  test.setTimeout(120_000);
  const admin = await signedIn(browser, "sysadmin@globex.test", "/admin/tokens");
  const token = await createPat(admin, `Fuzz ${suffix()}`, [
    "tokens:read",
    "tokens:write",
    "tokens:admin",
    "reps:read",
    "audit:read",
    "tokens:introspect",
    "applications:read",
    "applications:write",
  ]);
  await admin.context().close();
  api = await playwright.request.newContext({ baseURL: JUNK_ORIGIN });
  bearer = { authorization: `Bearer ${token}` };
  const created = await api.post("/api/v1/tokens", {
    headers: bearer,
    data: { description: "fuzz sacrificial", permissions: ["tokens:read"] },
  });
  expect(created.status()).toBe(201);
  // The organization's Enterprise REST API: junk may change its name, never break it.
  const applications = await api.get("/api/v1/applications", { headers: bearer });
  const enterprise = ((await applications.json()) as { data: { id: string; slug: string }[] }).data.find(
    (application) => application.slug === "enterprise-rest-api",
  );
  expect(enterprise).toBeDefined();
  endpoints = apiEndpoints((await created.json()).token.id, enterprise?.id ?? "");
});

// This spec spends the client address's budget of failed API authentications (30 a minute,
// lib/api/auth-failures.ts); playwright.config.ts runs it last, so no spec has to wait for it.
test.afterAll(async () => {
  await api.dispose();
});

test("fuzz: no API route answers 5xx to odd query strings and tampered cursors", async () => {
  const failures: Failure[] = [];
  for (const endpoint of endpoints.filter((e) => e.method === "GET")) {
    const auth = endpoint.authorized ? bearer : {};
    for (const query of endpoint.list ? QUERIES : QUERIES.slice(-12))
      await hit(api, failures, endpoint.method, `${endpoint.path}?${query}`, { headers: auth }, "query");
  }
  expect(failures).toEqual([]);
});

test("fuzz: no API route answers 5xx to odd Authorization and Content-Type headers", async () => {
  const failures: Failure[] = [];
  for (const endpoint of endpoints.filter((e) => e.authorized || e.body).slice(0, 12)) {
    for (const authorization of AUTHORIZATIONS) {
      await hit(
        api,
        failures,
        endpoint.method,
        endpoint.path,
        { headers: { authorization, "content-type": "application/json" }, data: "{}" },
        `authorization: ${authorization}`,
      );
    }
  }
  expect(failures).toEqual([]);
});

test("fuzz: no API route answers 5xx to odd bodies", async () => {
  const failures: Failure[] = [];
  for (const endpoint of endpoints.filter((e) => e.body)) {
    const auth = endpoint.authorized ? bearer : {};
    for (const { body, type } of BODIES) {
      await hit(
        api,
        failures,
        endpoint.method,
        endpoint.path,
        { headers: { ...auth, "content-type": type ?? "application/json" }, data: body },
        `body ${type ?? "json"}: ${body}`,
      );
    }
  }
  expect(failures).toEqual([]);
});

test("fuzz: Auth.js endpoints never answer 5xx (sign-ins name e-mails that do not exist)", async () => {
  const failures: Failure[] = [];
  for (const path of [
    "/api/auth/session",
    "/api/auth/csrf",
    "/api/auth/providers",
    "/api/auth/signin",
    "/api/auth/signout",
    "/api/auth/error?error=%FF",
    "/api/auth/nope",
    "/api/auth/callback/credentials",
    "/api/auth/callback/nope",
  ]) {
    for (const query of ["", ...QUERIES.slice(-10)])
      await hit(api, failures, "GET", `${path}${path.includes("?") ? "&" : "?"}${query}`, {}, "auth query");
    for (const { body, type } of BODIES.slice(0, 8).concat(BODIES.slice(20, 27))) {
      await hit(
        api,
        failures,
        "POST",
        path,
        { headers: { "content-type": type ?? "application/x-www-form-urlencoded" }, data: body },
        `auth body: ${body}`,
      );
    }
    await hit(
      api,
      failures,
      "POST",
      path,
      { headers: { "content-type": "application/x-www-form-urlencoded" }, data: "email=nobody%40fuzz.test&password=%00&csrfToken=%FF" },
      "auth sign-in",
    );
  }
  expect(failures).toEqual([]);
});

const PAGES = [
  "/",
  "/login",
  "/options",
  "/admin/tokens",
  "/globex/options",
  "/globex/admin/tokens",
  "/globex/admin/audit",
  "/globex/admin/audit/export",
  "/globex/admin/reps",
  "/globex/admin/settings",
  "/globex/admin/outbox",
  "/acme/options",
  "/no-such-org/admin/tokens",
  "/%FF/options",
  "/docs/api",
  "/no-such-page",
  "/globex/admin/%FF",
  "/%00",
];
const LIST_PAGES = new Set([
  "/globex/options",
  "/globex/admin/tokens",
  "/globex/admin/audit",
  "/globex/admin/audit/export",
  "/globex/admin/outbox",
]);

for (const [email, landing] of [
  ["sysadmin@globex.test", "/admin/tokens"],
  ["kevin.prow@globex.test", "/options"],
] as const) {
  test(`fuzz: no console page answers 5xx to odd query strings or headers (${email})`, async ({ browser }) => {
    const page = await signedIn(browser, email, landing);
    const failures: Failure[] = [];
    const queryKeys = ["cursor", "state", "sort", "rep", "user", "search", "status", "action", "actor", "from", "to", "limit", "outside"];
    for (const path of PAGES) {
      const list = LIST_PAGES.has(path);
      for (const query of list ? QUERIES : QUERIES.slice(-8)) await hit(page.request, failures, "GET", `${path}?${query}`, {}, "query");
      if (list)
        for (const key of queryKeys)
          for (const value of CURSORS.slice(0, 3)) await hit(page.request, failures, "GET", `${path}?${key}=${value}`, {}, key);
      const oddHeaders: Record<string, string>[] = [
        { rsc: "1" },
        { "next-router-state-tree": "%FF" },
        { "next-router-state-tree": encodeURIComponent(JSON.stringify([deep(50)])) },
        { "next-action": "junk" },
        { accept: "text/x-component" },
        { "x-forwarded-proto": "https" },
        { "x-forwarded-host": "evil.test" },
      ];
      for (const headers of oddHeaders) {
        await hit(page.request, failures, "GET", path, { headers }, JSON.stringify(headers));
        await hit(
          page.request,
          failures,
          "POST",
          path,
          { headers: { ...headers, "content-type": "text/plain;charset=UTF-8" }, data: '["$K1"]' },
          `POST ${JSON.stringify(headers)}`,
        );
      }
      for (const { body, type } of BODIES.slice(0, 3)) {
        await hit(
          page.request,
          failures,
          "POST",
          path,
          { headers: { "next-action": "0".repeat(42), "content-type": type ?? "text/plain;charset=UTF-8" }, data: body },
          `action body: ${body}`,
        );
      }
    }
    await page.context().close();
    expect(failures).toEqual([]);
  });
}

const FORWARDING: [string, string][] = [
  ["x-forwarded-proto", "http, https"],
  ["x-forwarded-proto", "gopher"],
  ["x-forwarded-host", "[::1"],
  ["x-forwarded-host", "evil.example:99999"],
  ["x-forwarded-port", "99999"],
  ["forwarded", "proto=https;host=[::1"],
  ["next-router-state-tree", "%%%garbage"],
];

/** A raw HTTP/1.1 request, so the Host header and the method are exactly what an attacker sends. */
function rawStatus(method: string, path: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(
      { host: "127.0.0.2", localAddress: "127.0.0.2", port, method, path, headers, setHost: !("host" in headers) },
      (response) => {
        response.resume();
        resolve(response.statusCode ?? 0);
      },
    );
    request.on("error", reject);
    request.end();
  });
}

test("fuzz: odd methods, Host and forwarding headers never answer 5xx (Auth.js built its URLs from them)", async () => {
  const failures: string[] = [];
  const cases: [string, string, Record<string, string>][] = [];
  for (const path of ["/login", "/admin/tokens", "/", "/api/health", "/api/v1/me"]) {
    for (const method of ["TRACE", "PROPFIND", "FOO"]) cases.push([method, path, {}]);
    for (const host of ["evil.example:99999", "[::1", "a b"]) cases.push(["GET", path, { host }]);
    for (const [name, value] of FORWARDING) {
      cases.push(["GET", path, { [name]: value }]);
      cases.push(["GET", path, { [name]: value, rsc: "1" }]);
    }
  }
  for (const [method, path, headers] of cases) {
    const status = await rawStatus(method, path, headers);
    if (status >= 500) failures.push(`${method} ${path} ${JSON.stringify(headers)} → ${status}`);
  }
  expect(failures).toEqual([]);
  expect(await rawStatus("TRACE", "/api/health", {})).toBe(405);
  expect(await rawStatus("GET", "/login", { host: "[::1" })).toBe(400);
});
