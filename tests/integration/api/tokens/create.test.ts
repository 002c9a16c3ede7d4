import { and, eq } from "drizzle-orm";
import { beforeEach, expect, it } from "vitest";
import { getDb } from "@/db";
import { auditEvents } from "@/db/schema";
import { POST as createToken } from "@/app/api/v1/tokens/route";
import { GET as getToken } from "@/app/api/v1/tokens/[id]/route";
import { callRoute, createApiFixture, type ApiFixture } from "../../../fixtures/api";

// A fresh organization for every test: no test sees what another changed.
let f: ApiFixture;
beforeEach(async () => {
  f = await createApiFixture();
});

it("POST /api/v1/tokens — a rep creates a token for itself; the value is returned once, never stored", async () => {
  const response = await callRoute(createToken, {
    method: "POST",
    token: f.rep.value,
    body: { description: "CI job", permissions: ["tokens:read"], expires_at: new Date(Date.now() + 86_400_000).toISOString() },
  });
  expect(response.status).toBe(201);
  const body = await response.json();
  expect(body.value).toMatch(/^tsr_[0-9A-Za-z]{38}$/);
  expect(body.token).toMatchObject({ user_id: f.org.repOne.id, description: "CI job", state: "active" });
  expect(body.token).not.toHaveProperty("secret_hash");
  const again = await callRoute(getToken, { token: f.rep.value, params: { id: body.token.id } });
  expect(JSON.stringify(await again.json())).not.toContain(body.value);
});

it("POST /api/v1/tokens — a rep's token cannot grant tokens:admin (403 insufficient_scope naming it)", async () => {
  const response = await callRoute(createToken, {
    method: "POST",
    token: f.rep.value,
    body: { description: "escalate", permissions: ["tokens:admin"] },
  });
  expect(response.status).toBe(403);
  expect(await response.json()).toMatchObject({ code: "insufficient_scope", detail: expect.stringContaining("tokens:admin") });
});

it("POST /api/v1/tokens — tokens:admin cannot give a rep an admin-only permission (422 naming the field)", async () => {
  const response = await callRoute(createToken, {
    method: "POST",
    token: f.admin.value,
    body: { description: "escalate", permissions: ["reps:read"], user_id: f.org.repOne.id },
  });
  expect(response.status).toBe(422);
  const problem = await response.json();
  expect(problem.code).toBe("invalid_request");
  expect(problem.errors.permissions[0]).toContain("reps:read");
});

it("POST /api/v1/tokens — a rep's token cannot create tokens for another rep", async () => {
  const response = await callRoute(createToken, {
    method: "POST",
    token: f.rep.value,
    body: { description: "for someone else", permissions: ["tokens:read"], user_id: f.org.admin.id },
  });
  expect(response.status).toBe(422);
  expect((await response.json()).errors.userId).toBeDefined();
});

it("POST /api/v1/tokens — tokens:admin creates for any rep of the organization, audited with the acting token", async () => {
  const response = await callRoute(createToken, {
    method: "POST",
    token: f.admin.value,
    body: { description: "for rep one", permissions: ["tokens:read"], user_id: f.org.repOne.id },
  });
  expect(response.status).toBe(201);
  const { token } = await response.json();
  const db = await getDb();
  const [event] = await db
    .select()
    .from(auditEvents)
    .where(and(eq(auditEvents.action, "token.created"), eq(auditEvents.targetId, token.id)));
  expect(event).toMatchObject({ actorUserId: f.org.admin.id, actorTokenId: f.admin.token.id });
});

it.each([
  ["a NUL in the description", { description: "fuzz\u0000nul", permissions: ["tokens:read"] }, "description"],
  [
    "a NUL in a permission (found by the e2e fuzz once permissions became data)",
    { description: "fuzz", permissions: ["tokens:read\u0000"] },
    "permissions",
  ],
  [
    "an expiry past the year 9999",
    { description: "fuzz", permissions: ["tokens:read"], expires_at: "9999-12-31T23:59:59-23:59" },
    "expiresAt",
  ],
])("POST /api/v1/tokens — %s answers 422 (once a 500 from PostgreSQL)", async (_name, body, field) => {
  const response = await callRoute(createToken, { method: "POST", token: f.admin.value, body });
  expect(response.status).toBe(422);
  expect(Object.keys((await response.json()).errors ?? {})).toContain(field);
});
