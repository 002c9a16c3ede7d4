import { beforeEach, expect, it } from "vitest";
import { GET as getToken, PATCH as patchToken } from "@/app/api/v1/tokens/[id]/route";
import { POST as createTokenRoute } from "@/app/api/v1/tokens/route";
import { callRoute, createApiFixture, type ApiFixture } from "../../../fixtures/api";
import { createTokenViaApi } from "../../../fixtures/tokens-api";

// A fresh organization for every test: no test sees what another changed.
let f: ApiFixture;
beforeEach(async () => {
  f = await createApiFixture();
});

it("PATCH /api/v1/tokens/{id} — edits fields and the active switch", async () => {
  const created = await createTokenViaApi(f.rep.value, { description: "to edit", permissions: ["tokens:read"] });
  const response = await callRoute(patchToken, {
    method: "PATCH",
    token: f.rep.value,
    params: { id: created.token.id },
    body: { description: "edited", permissions: ["tokens:read", "tokens:write"], active: false },
  });
  expect(response.status).toBe(200);
  expect(await response.json()).toMatchObject({ description: "edited", permissions: ["tokens:read", "tokens:write"], state: "inactive" });
});

it("PATCH /api/v1/tokens/{id} — fields and the switch apply together or not at all", async () => {
  const created = await createTokenViaApi(f.admin.value, { description: "atomic", permissions: ["tokens:read"] });
  const refused = await callRoute(patchToken, {
    method: "PATCH",
    token: f.admin.value,
    params: { id: created.token.id },
    body: { description: "changed", active: false, expires_at: new Date(Date.now() - 60_000).toISOString() },
  });
  expect(refused.status).toBe(422);
  const after = await (await callRoute(getToken, { token: f.admin.value, params: { id: created.token.id } })).json();
  expect(after).toMatchObject({ description: "atomic", active: true, state: "active" });
});

it("PATCH /api/v1/tokens/{id} — unknown fields and bad values are 422; an oversized body is 413; bad JSON is 400", async () => {
  const id = f.rep.token.id;
  const unknown = await callRoute(patchToken, { method: "PATCH", token: f.rep.value, params: { id }, body: { secret_hash: "x" } });
  expect(unknown.status).toBe(422);
  const bad = await callRoute(patchToken, { method: "PATCH", token: f.rep.value, params: { id }, body: { expires_at: "soon" } });
  expect(bad.status).toBe(422);
  const huge = await callRoute(patchToken, {
    method: "PATCH",
    token: f.rep.value,
    params: { id },
    body: { description: "x".repeat(70_000) },
  });
  expect(huge.status).toBe(413);
  const broken = await callRoute(patchToken, { method: "PATCH", token: f.rep.value, params: { id }, body: "{not json" });
  expect(broken.status).toBe(400);
});

// Security review, third round (issue 24, item 5): an unknown permission was a 403 "this token
// lacks nope:nope", as if it were one the caller might someday hold.
it("PATCH and POST /api/v1/tokens — an unknown permission is a 422 naming it, not a 403", async () => {
  const created = await createTokenViaApi(f.rep.value, { description: "typo", permissions: ["tokens:read"] });
  const patched = await callRoute(patchToken, {
    method: "PATCH",
    token: f.rep.value,
    params: { id: created.token.id },
    body: { permissions: ["tokens:read", "nope:nope"] },
  });
  expect(patched.status).toBe(422);
  expect(JSON.stringify(await patched.json())).toContain("nope:nope");
  // An admin's token, which may read catalogs; one that may not is answered 403 (below).
  const posted = await callRoute(createTokenRoute, {
    method: "POST",
    token: f.admin.value,
    body: { description: "typo", permissions: ["nope:nope"] },
  });
  expect(posted.status).toBe(422);
  expect(JSON.stringify(await posted.json())).toContain("nope:nope");
  // A token that may not change tokens at all still learns nothing of the catalog.
  const reader = await createTokenViaApi(f.rep.value, { description: "reader", permissions: ["tokens:read"] });
  const byReader = await callRoute(patchToken, {
    method: "PATCH",
    token: reader.value,
    params: { id: created.token.id },
    body: { permissions: ["nope:nope"] },
  });
  expect(byReader.status).toBe(403);
});

// An attacker review of the above: a token that may not read catalogs told real scope names of
// other applications (403 "lacks") from made-up ones (422 "unknown").
it("POST /api/v1/tokens — a token learns nothing of other applications' catalogs from the answers", async () => {
  const probe = await createTokenViaApi(f.admin.value, { description: "probe", permissions: ["tokens:read", "tokens:write"] });
  const ask = async (permission: string) => {
    const response = await callRoute(createTokenRoute, {
      method: "POST",
      token: probe.value,
      body: { description: "x", permissions: [permission] },
    });
    return { status: response.status, body: JSON.stringify(await response.json()).replaceAll(permission, "…") };
  };
  const real = await ask("customers:read");
  expect(real.status).toBe(403);
  expect(await ask("customers:nope")).toEqual(real);
  // A Tessera API permission it lacks is a 403, as before.
  expect((await ask("tokens:admin")).status).toBe(403);
});
