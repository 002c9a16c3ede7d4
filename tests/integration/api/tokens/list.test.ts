// @module-tag database
import { beforeEach, expect, it } from "vitest";
import { GET as listTokens } from "@/app/api/v1/tokens/route";
import { callRoute, createApiFixture, type ApiFixture } from "../../../fixtures/api";

// A fresh organization for every test: no test sees what another changed.
let f: ApiFixture;
beforeEach(async () => {
  f = await createApiFixture();
});

it("GET /api/v1/tokens — tokens:read lists only the owner's tokens; tokens:admin the organization's", async () => {
  const own = await (await callRoute(listTokens, { token: f.rep.value })).json();
  expect(own.data.length).toBeGreaterThan(0);
  expect(own.data.every((token: { user_id: string }) => token.user_id === f.org.repOne.id)).toBe(true);
  const all = await (await callRoute(listTokens, { token: f.admin.value, path: "/api/v1/tokens?limit=2" })).json();
  expect(all.data).toHaveLength(2);
  expect(all.total).toBeGreaterThan(2);
  expect(all.total_capped).toBe(false);
  expect(all.next_cursor).toEqual(expect.any(String));
  const next = await (
    await callRoute(listTokens, { token: f.admin.value, path: `/api/v1/tokens?limit=2&cursor=${all.next_cursor}` })
  ).json();
  expect(next.data.map((t: { id: string }) => t.id)).not.toContain(all.data[0].id);
});

it.each([
  ["v: 'x 1' (once a 500)", { s: "created_desc", v: "x 1", id: "0b7f9a52-8e3c-4d1a-9f6e-2c5b7a1d3e4f" }, ""],
  ["a date that does not round-trip", { s: "created_desc", v: "2026-02-30T00:00:00.000Z", id: "0b7f9a52-8e3c-4d1a-9f6e-2c5b7a1d3e4f" }, ""],
  ["another sort's cursor", { s: "created_asc", v: "2026-03-04T05:06:07.089Z", id: "0b7f9a52-8e3c-4d1a-9f6e-2c5b7a1d3e4f" }, ""],
  [
    "a NUL byte in a description",
    { s: "description_asc", v: "a\u0000", id: "0b7f9a52-8e3c-4d1a-9f6e-2c5b7a1d3e4f" },
    "&sort=description_asc",
  ],
])("GET /api/v1/tokens — a tampered cursor, %s, answers 400 invalid_cursor", async (_name, payload, extra) => {
  const cursor = Buffer.from(JSON.stringify(payload)).toString("base64url");
  const response = await callRoute(listTokens, { token: f.admin.value, path: `/api/v1/tokens?cursor=${cursor}${extra}` });
  expect(response.status).toBe(400);
  expect(response.headers.get("content-type")).toBe("application/problem+json");
  expect((await response.json()).code).toBe("invalid_cursor");
});

it("GET /api/v1/tokens — a NUL in the search answers 422 (PostgreSQL text cannot hold one; once a 500)", async () => {
  const response = await callRoute(listTokens, { token: f.admin.value, path: "/api/v1/tokens?search=a%00b" });
  expect(response.status).toBe(422);
  expect((await response.json()).errors.search).toBeDefined();
});

it("GET /api/v1/tokens — invalid filters answer 422 with the field", async () => {
  const response = await callRoute(listTokens, { token: f.admin.value, path: "/api/v1/tokens?state=bogus" });
  expect(response.status).toBe(422);
  expect((await response.json()).errors.state).toBeDefined();
});

it("GET /api/v1/tokens — a search under three characters answers 422 and says why; an empty one is no search", async () => {
  const response = await callRoute(listTokens, { token: f.admin.value, path: "/api/v1/tokens?search=ab" });
  expect(response.status).toBe(422);
  expect(response.headers.get("content-type")).toBe("application/problem+json");
  expect((await response.json()).errors.search).toEqual(["Enter at least three characters to search."]);
  expect((await callRoute(listTokens, { token: f.admin.value, path: "/api/v1/tokens?search=" })).status).toBe(200);
});
