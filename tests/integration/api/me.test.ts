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
      permissions: ["employees:read", "orders:read", "orders:write", "tokens:read", "tokens:write"],
    },
    user: { id: f.org.repOne.id, username: "rep.one", role: "rep" },
    organization: { id: f.org.organization.id, slug: f.org.organization.slug },
  });
});

it("GET /api/v1/me — records lastUsedAt off the request path, at most once a minute", async () => {
  await callRoute(getMe, { token: f.admin.value });
  await expect.poll(async () => (await tokenRow(f.admin.token.id))?.lastUsedAt, { timeout: 10_000 }).toBeInstanceOf(Date);
  // (written by the batched flush, about two seconds later)
});
