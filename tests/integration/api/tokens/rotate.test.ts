import { beforeEach, expect, it } from "vitest";
import { GET as getMe } from "@/app/api/v1/me/route";
import { POST as rotateToken } from "@/app/api/v1/tokens/[id]/rotate/route";
import { POST as rotateSelf } from "@/app/api/v1/tokens/self/rotate/route";
import { callRoute, createApiFixture, type ApiFixture } from "../../../fixtures/api";
import { createTokenViaApi } from "../../../fixtures/tokens-api";

// A fresh organization for every test: no test sees what another changed.
let f: ApiFixture;
beforeEach(async () => {
  f = await createApiFixture();
});

/** A token created and then rotated by the admin's token: the created value and the rotation's answer. */
async function createAndRotate() {
  const created = await createTokenViaApi(f.admin.value, { description: "rotating", permissions: ["tokens:read", "tokens:write"] });
  const rotated = await (await callRoute(rotateToken, { method: "POST", token: f.admin.value, params: { id: created.token.id } })).json();
  return { created, rotated };
}

it("POST /api/v1/tokens/{id}/rotate — the new value works, the old one stops at once", async () => {
  const { created, rotated } = await createAndRotate();
  expect(rotated.token.rotated_from_id).toBe(created.token.id);
  expect(rotated.token.account_sid).toBe(created.token.account_sid);
  expect((await callRoute(getMe, { token: created.value })).status).toBe(401);
  expect((await callRoute(getMe, { token: rotated.value })).status).toBe(200);
});

it("POST /api/v1/tokens/self/rotate — a rotated token rotates itself: the new value works, the old one stops at once", async () => {
  const { rotated } = await createAndRotate();
  const self = await callRoute(rotateSelf, { method: "POST", token: rotated.value });
  expect(self.status).toBe(201);
  const selfBody = await self.json();
  expect((await callRoute(getMe, { token: rotated.value })).status).toBe(401);
  expect((await callRoute(getMe, { token: selfBody.value })).status).toBe(200);
});
