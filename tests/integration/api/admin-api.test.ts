import { beforeAll, describe, expect, it } from "vitest";
import { GET as listAuditEvents } from "@/app/api/v1/audit-events/route";
import { GET as listReps } from "@/app/api/v1/reps/route";
import { POST as createToken } from "@/app/api/v1/tokens/route";
import { callRoute, createApiFixture } from "../../fixtures/api";

type Fixture = Awaited<ReturnType<typeof createApiFixture>>;
let f: Fixture;
beforeAll(async () => {
  f = await createApiFixture();
});

describe("GET /api/v1/reps", () => {
  it("lists the organization's users (reps:read), never password hashes", async () => {
    const response = await callRoute(listReps, { token: f.admin.value });
    expect(response.status).toBe(200);
    const { data } = await response.json();
    expect(data.map((rep: { username: string }) => rep.username).sort()).toEqual(["admin", "rep.one", "rep.two"]);
    expect(JSON.stringify(data)).not.toContain("argon2");
  });

  it("a rep's token never carries reps:read, so it is refused with insufficient_scope", async () => {
    const response = await callRoute(listReps, { token: f.rep.value });
    expect(response.status).toBe(403);
    expect((await response.json()).detail).toContain("reps:read");
  });
});

describe("GET /api/v1/audit-events", () => {
  it("lists changes newest first, with the acting token, and filters by action", async () => {
    const created = await (
      await callRoute(createToken, { method: "POST", token: f.admin.value, body: { description: "audited", permissions: ["tokens:read"] } })
    ).json();
    const response = await callRoute(listAuditEvents, { token: f.admin.value, path: "/api/v1/audit-events?action=token.created&limit=5" });
    expect(response.status).toBe(200);
    const { data } = await response.json();
    expect(data[0]).toMatchObject({ action: "token.created", target_id: created.token.id, actor_token_id: f.admin.token.id });
    expect(data.every((event: { action: string }) => event.action === "token.created")).toBe(true);
    expect(JSON.stringify(data)).not.toContain(created.value);
  });
});

describe("GET /api/v1/audit-events — tampered cursors", () => {
  const cursor = (payload: unknown) => Buffer.from(JSON.stringify(payload)).toString("base64url");
  it.each([
    ["an unreadable date", cursor({ at: "x 1", id: "0b7f9a52-8e3c-4d1a-9f6e-2c5b7a1d3e4f" })],
    ["year 0", cursor({ at: "0000-01-01T00:00:00.000Z", id: "0b7f9a52-8e3c-4d1a-9f6e-2c5b7a1d3e4f" })],
    ["random bytes", "_-8AAQ"],
  ])("%s answers 400 invalid_cursor", async (_name, value) => {
    const response = await callRoute(listAuditEvents, { token: f.admin.value, path: `/api/v1/audit-events?cursor=${value}` });
    expect(response.status).toBe(400);
    expect(response.headers.get("content-type")).toBe("application/problem+json");
    expect((await response.json()).code).toBe("invalid_cursor");
  });
});

describe("GET /api/v1/audit-events — days PostgreSQL cannot hold", () => {
  it.each(["to=9999-12-31", "from=0000-01-01"])("%s answers 422, not 500", async (query) => {
    const response = await callRoute(listAuditEvents, { token: f.admin.value, path: `/api/v1/audit-events?${query}` });
    expect(response.status).toBe(422);
  });
});
