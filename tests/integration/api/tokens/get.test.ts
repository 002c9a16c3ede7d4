import { beforeEach, expect, it } from "vitest";
import { GET as getToken } from "@/app/api/v1/tokens/[id]/route";
import { callRoute, createApiFixture, type ApiFixture } from "../../../fixtures/api";

// A fresh organization for every test: no test sees what another changed.
let f: ApiFixture;
beforeEach(async () => {
  f = await createApiFixture();
});

it("GET /api/v1/tokens/{id} — another rep's token is 404 for a rep's token", async () => {
  const response = await callRoute(getToken, { token: f.rep.value, params: { id: f.otherRepToken.token.id } });
  expect(response.status).toBe(404);
  expect(response.headers.get("content-type")).toContain("application/problem+json");
});
