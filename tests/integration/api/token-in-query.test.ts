import { beforeAll, describe, expect, it } from "vitest";
import { GET as getMe } from "@/app/api/v1/me/route";
import { callRoute, createApiFixture } from "../../fixtures/api";

type Fixture = Awaited<ReturnType<typeof createApiFixture>>;
let f: Fixture;
beforeAll(async () => {
  f = await createApiFixture();
});

// SPEC: token values are never accepted in a URL, where logs and browser history keep them.
describe("a token value in the query string is refused, however it is written", () => {
  const cases = (value: string) => ({
    "access_token parameter": `?access_token=${value}`,
    "plain value": `?q=${value}`,
    "percent-encoded value": `?q=${encodeURIComponent(value).replace("t", "%74")}`,
    "value behind an undecodable escape": `?junk=%FF&q=${value.replace("t", "%74")}`,
  });

  it.each(Object.keys(cases("tsr_x")))("%s → 400 token_in_query", async (name) => {
    const query = cases(f.admin.value)[name as keyof ReturnType<typeof cases>];
    const response = await callRoute(getMe, { token: f.admin.value, path: `/api/v1/me${query}` });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ code: "token_in_query" });
  });

  it("an undecodable escape without a token is no error at all", async () => {
    const response = await callRoute(getMe, { token: f.admin.value, path: "/api/v1/me?junk=%FF%00" });
    expect(response.status).toBe(200);
  });
});
