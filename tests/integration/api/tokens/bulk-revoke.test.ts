import { beforeEach, expect, it } from "vitest";
import { GET as getMe } from "@/app/api/v1/me/route";
import { POST as bulkRevoke } from "@/app/api/v1/tokens/revoke/route";
import { callRoute, createApiFixture, type ApiFixture } from "../../../fixtures/api";
import { createTokenViaApi } from "../../../fixtures/tokens-api";

// A fresh organization for every test: no test sees what another changed.
let f: ApiFixture;
beforeEach(async () => {
  f = await createApiFixture();
});

it("POST /api/v1/tokens/revoke — bulk by ids skips foreign ids; by user_id revokes every live token of that user", async () => {
  const make = async (description: string) =>
    (await createTokenViaApi(f.rep.value, { description, permissions: ["tokens:read"] })).token.id;
  const [a, b] = [await make("bulk a"), await make("bulk b")];
  const byIds = await (
    await callRoute(bulkRevoke, { method: "POST", token: f.rep.value, body: { ids: [a, f.otherRepToken.token.id] } })
  ).json();
  expect(byIds).toEqual({ revoked: [a], skipped: 1 });
  const byUser = await (await callRoute(bulkRevoke, { method: "POST", token: f.admin.value, body: { user_id: f.org.repOne.id } })).json();
  expect(byUser.revoked).toContain(b);
  expect((await callRoute(getMe, { token: f.rep.value })).status).toBe(401);
});
