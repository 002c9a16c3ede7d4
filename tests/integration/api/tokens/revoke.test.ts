import { beforeEach, expect, it } from "vitest";
import { GET as getMe } from "@/app/api/v1/me/route";
import { DELETE as revokeToken } from "@/app/api/v1/tokens/[id]/route";
import { callRoute, createApiFixture, type ApiFixture } from "../../../fixtures/api";
import { createTokenViaApi } from "../../../fixtures/tokens-api";

// A fresh organization for every test: no test sees what another changed.
let f: ApiFixture;
beforeEach(async () => {
  f = await createApiFixture();
});

it("DELETE /api/v1/tokens/{id} — revokes: the token stops authenticating", async () => {
  const created = await createTokenViaApi(f.admin.value, { description: "doomed", permissions: ["tokens:read"] });
  expect((await callRoute(getMe, { token: created.value })).status).toBe(200);
  const response = await callRoute(revokeToken, {
    method: "DELETE",
    token: f.admin.value,
    params: { id: created.token.id },
    body: { reason: "leaked" },
  });
  expect(response.status).toBe(200);
  expect(await response.json()).toMatchObject({ state: "revoked", revoke_reason: "leaked" });
  expect((await callRoute(getMe, { token: created.value })).status).toBe(401);
});
