import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { auditEvents, personalAccessTokens } from "@/db/schema";
import { GET as getMe } from "@/app/api/v1/me/route";
import { GET as listTokens, POST as createToken } from "@/app/api/v1/tokens/route";
import { DELETE as revokeToken, GET as getToken, PATCH as patchToken } from "@/app/api/v1/tokens/[id]/route";
import { POST as rotateToken } from "@/app/api/v1/tokens/[id]/rotate/route";
import { POST as rotateSelf } from "@/app/api/v1/tokens/self/rotate/route";
import { POST as bulkRevoke } from "@/app/api/v1/tokens/revoke/route";
import { callRoute, createApiFixture } from "../../fixtures/api";

type Fixture = Awaited<ReturnType<typeof createApiFixture>>;
let f: Fixture;
beforeAll(async () => {
  f = await createApiFixture();
});

describe("GET /api/v1/me", () => {
  it("describes the calling token, its owner, organization and effective permissions", async () => {
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
});

describe("tokens API", () => {
  it("POST /api/v1/tokens — a rep creates a token for itself; the value is returned once, never stored", async () => {
    const response = await callRoute(createToken, {
      method: "POST",
      token: f.rep.value,
      body: { description: "CI job", permissions: ["orders:read"], expires_at: new Date(Date.now() + 86_400_000).toISOString() },
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
      body: { description: "for someone else", permissions: ["orders:read"], user_id: f.org.admin.id },
    });
    expect(response.status).toBe(422);
    expect((await response.json()).errors.userId).toBeDefined();
  });

  it("POST /api/v1/tokens — tokens:admin creates for any rep of the organization, audited with the acting token", async () => {
    const response = await callRoute(createToken, {
      method: "POST",
      token: f.admin.value,
      body: { description: "for rep one", permissions: ["employees:read"], user_id: f.org.repOne.id },
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

  it("GET /api/v1/tokens — tokens:read lists only the owner's tokens; tokens:admin the organization's", async () => {
    const own = await (await callRoute(listTokens, { token: f.rep.value })).json();
    expect(own.data.length).toBeGreaterThan(0);
    expect(own.data.every((token: { user_id: string }) => token.user_id === f.org.repOne.id)).toBe(true);
    const all = await (await callRoute(listTokens, { token: f.admin.value, path: "/api/v1/tokens?limit=2" })).json();
    expect(all.data).toHaveLength(2);
    expect(all.total).toBeGreaterThan(2);
    expect(all.next_cursor).toEqual(expect.any(String));
    const next = await (
      await callRoute(listTokens, { token: f.admin.value, path: `/api/v1/tokens?limit=2&cursor=${all.next_cursor}` })
    ).json();
    expect(next.data.map((t: { id: string }) => t.id)).not.toContain(all.data[0].id);
  });

  it.each([
    ["v: 'x 1' (once a 500)", { s: "created_desc", v: "x 1", id: "0b7f9a52-8e3c-4d1a-9f6e-2c5b7a1d3e4f" }, ""],
    [
      "a date that does not round-trip",
      { s: "created_desc", v: "2026-02-30T00:00:00.000Z", id: "0b7f9a52-8e3c-4d1a-9f6e-2c5b7a1d3e4f" },
      "",
    ],
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

  it.each([
    ["a NUL in the description", { description: "fuzz\u0000nul", permissions: ["orders:read"] }, "description"],
    [
      "an expiry past the year 9999",
      { description: "fuzz", permissions: ["orders:read"], expires_at: "9999-12-31T23:59:59-23:59" },
      "expiresAt",
    ],
  ])("POST /api/v1/tokens — %s answers 422 (once a 500 from PostgreSQL)", async (_name, body, field) => {
    const response = await callRoute(createToken, { method: "POST", token: f.admin.value, body });
    expect(response.status).toBe(422);
    expect(Object.keys((await response.json()).errors ?? {})).toContain(field);
  });

  it("GET /api/v1/tokens — invalid filters answer 422 with the field", async () => {
    const response = await callRoute(listTokens, { token: f.admin.value, path: "/api/v1/tokens?state=bogus" });
    expect(response.status).toBe(422);
    expect((await response.json()).errors.state).toBeDefined();
  });

  it("GET /api/v1/tokens/{id} — another rep's token is 404 for a rep's token", async () => {
    const response = await callRoute(getToken, { token: f.rep.value, params: { id: f.otherRepToken.token.id } });
    expect(response.status).toBe(404);
    expect(response.headers.get("content-type")).toContain("application/problem+json");
  });

  it("PATCH /api/v1/tokens/{id} — edits fields and the active switch", async () => {
    const created = await (
      await callRoute(createToken, { method: "POST", token: f.rep.value, body: { description: "to edit", permissions: ["orders:read"] } })
    ).json();
    const response = await callRoute(patchToken, {
      method: "PATCH",
      token: f.rep.value,
      params: { id: created.token.id },
      body: { description: "edited", permissions: ["orders:read", "orders:write"], active: false },
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ description: "edited", permissions: ["orders:read", "orders:write"], state: "inactive" });
  });

  it("PATCH /api/v1/tokens/{id} — fields and the switch apply together or not at all", async () => {
    const created = await (
      await callRoute(createToken, { method: "POST", token: f.admin.value, body: { description: "atomic", permissions: ["orders:read"] } })
    ).json();
    const refused = await callRoute(patchToken, {
      method: "PATCH",
      token: f.admin.value,
      params: { id: created.token.id },
      body: { description: "changed", active: false, expires_at: new Date(Date.now() - 60_000).toISOString() },
    });
    expect(refused.status).toBe(422);
    const after = await (await callRoute(getToken, { token: f.admin.value, params: { id: created.token.id } })).json();
    expect(after).toMatchObject({ description: "atomic", active: true, state: "active" });
  });

  it("PATCH — unknown fields and bad values are 422; an oversized body is 413; bad JSON is 400", async () => {
    const id = f.rep.token.id;
    const unknown = await callRoute(patchToken, { method: "PATCH", token: f.rep.value, params: { id }, body: { secret_hash: "x" } });
    expect(unknown.status).toBe(422);
    const bad = await callRoute(patchToken, { method: "PATCH", token: f.rep.value, params: { id }, body: { expires_at: "soon" } });
    expect(bad.status).toBe(422);
    const huge = await callRoute(patchToken, {
      method: "PATCH",
      token: f.rep.value,
      params: { id },
      body: { description: "x".repeat(70_000) },
    });
    expect(huge.status).toBe(413);
    const broken = await callRoute(patchToken, { method: "PATCH", token: f.rep.value, params: { id }, body: "{not json" });
    expect(broken.status).toBe(400);
  });

  it("DELETE /api/v1/tokens/{id} — revokes: the token stops authenticating", async () => {
    const created = await (
      await callRoute(createToken, { method: "POST", token: f.admin.value, body: { description: "doomed", permissions: ["tokens:read"] } })
    ).json();
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

  it("POST /api/v1/tokens/{id}/rotate and /self/rotate — new value works, the old one stops at once", async () => {
    const created = await (
      await callRoute(createToken, {
        method: "POST",
        token: f.admin.value,
        body: { description: "rotating", permissions: ["tokens:read", "tokens:write"] },
      })
    ).json();
    const rotated = await (await callRoute(rotateToken, { method: "POST", token: f.admin.value, params: { id: created.token.id } })).json();
    expect(rotated.token.rotated_from_id).toBe(created.token.id);
    expect(rotated.token.account_sid).toBe(created.token.account_sid);
    expect((await callRoute(getMe, { token: created.value })).status).toBe(401);

    const self = await callRoute(rotateSelf, { method: "POST", token: rotated.value });
    expect(self.status).toBe(201);
    const selfBody = await self.json();
    expect((await callRoute(getMe, { token: rotated.value })).status).toBe(401);
    expect((await callRoute(getMe, { token: selfBody.value })).status).toBe(200);
  });

  it("POST /api/v1/tokens/revoke — bulk by ids skips foreign ids; by user_id revokes every live token of that user", async () => {
    const make = async (description: string) =>
      (
        await (
          await callRoute(createToken, { method: "POST", token: f.rep.value, body: { description, permissions: ["orders:read"] } })
        ).json()
      ).token.id;
    const [a, b] = [await make("bulk a"), await make("bulk b")];
    const byIds = await (
      await callRoute(bulkRevoke, { method: "POST", token: f.rep.value, body: { ids: [a, f.otherRepToken.token.id] } })
    ).json();
    expect(byIds).toEqual({ revoked: [a], skipped: 1 });
    const byUser = await (await callRoute(bulkRevoke, { method: "POST", token: f.admin.value, body: { user_id: f.org.repOne.id } })).json();
    expect(byUser.revoked).toContain(b);
    expect((await callRoute(getMe, { token: f.rep.value })).status).toBe(401);
  });

  it("records lastUsedAt off the request path, at most once a minute", async () => {
    const db = await getDb();
    await callRoute(getMe, { token: f.admin.value });
    await expect
      .poll(
        async () => (await db.select().from(personalAccessTokens).where(eq(personalAccessTokens.id, f.admin.token.id)))[0]?.lastUsedAt,
        {
          timeout: 10_000,
        },
      )
      .toBeInstanceOf(Date);
    // (written by the batched flush, about two seconds later)
  });
});
