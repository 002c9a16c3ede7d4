import { beforeEach, expect, it } from "vitest";
import { GET as getMe } from "@/app/api/v1/me/route";
import { callRoute, createApiFixture, type ApiFixture } from "../../fixtures/api";
import { tokenRow } from "../../fixtures/tokens";

// A fresh organization for every test: no test sees what another changed.
let f: ApiFixture;
beforeEach(async () => {
  f = await createApiFixture();
});

it("GET /api/v1/me — describes the calling token, its owner, organization and effective permissions", async () => {
  const response = await callRoute(getMe, { token: f.rep.value });
  expect(response.status).toBe(200);
  expect(await response.json()).toEqual({
    token: {
      id: f.rep.token.id,
      account_sid: f.rep.token.accountSid,
      description: "rep token",
      expires_at: f.rep.token.expiresAt,
      permissions: ["tokens:read", "tokens:write"],
    },
    application: { id: f.rep.token.application.id, slug: "tessera-api", audience: "http://localhost:3000" },
    user: { id: f.org.repOne.id, username: "rep.one", role: "rep" },
    organization: { id: f.org.organization.id, slug: f.org.organization.slug },
  });
});

it("GET /api/v1/me — a token of another application answers too, with that application's audience and scopes", async () => {
  const response = await callRoute(getMe, { token: f.narrow.value });
  expect(response.status).toBe(200);
  expect(await response.json()).toMatchObject({
    token: { id: f.narrow.token.id, permissions: ["orders:read"] },
    application: { slug: "enterprise-rest-api", audience: "https://api.enterprise.example" },
  });
});

it("GET /api/v1/me — records lastUsedAt off the request path, at most once a minute", async () => {
  await callRoute(getMe, { token: f.admin.value });
  await expect.poll(async () => (await tokenRow(f.admin.token.id))?.lastUsedAt, { timeout: 10_000 }).toBeInstanceOf(Date);
  // (written by the batched flush, about two seconds later)
});
