import { beforeEach, expect, it } from "vitest";
import { GET as getToken, PATCH as patchToken } from "@/app/api/v1/tokens/[id]/route";
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
