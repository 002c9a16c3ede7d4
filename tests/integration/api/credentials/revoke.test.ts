import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { POST as reportLeaked } from "@/app/api/v1/credentials/revoke/route";
import { GET as getMe } from "@/app/api/v1/me/route";
import { getDb } from "@/db";
import { auditEvents, notifications } from "@/db/schema";
import { callRoute, createApiFixture } from "../../../fixtures/api";
import { tokenRow } from "../../../fixtures/tokens";
import { createTokenViaApi, rotateWithGrace } from "../../../fixtures/tokens-api";

/**
 * GET /api/v1/me from an address of its own: refused calls count against their address's limit
 * of failed authentications, which test files running in parallel on PostgreSQL share.
 */
let calls = 0;
const me = (token: string) => callRoute(getMe, { token, ip: `198.18.2.${(calls++ % 250) + 1}` });

// SPEC §12: anyone who finds leaked values reports them, without authentication. Every answer is
// the same 202, so a report never tells which values were tokens; matches are revoked and told.

const report = (credentials: unknown, ip = "203.0.113.77") => callRoute(reportLeaked, { method: "POST", body: { credentials }, ip });

describe("POST /api/v1/credentials/revoke", () => {
  it("revokes the usable tokens among the values, with reason Reported leaked, audited and told; the answer is 202 whatever matched", async () => {
    const f = await createApiFixture();
    const leaked = await createTokenViaApi(f.rep.value, { description: "pasted in a gist", permissions: ["tokens:read"] });
    const other = await createApiFixture();
    const foreign = await createTokenViaApi(other.admin.value, { description: "other org's", permissions: ["tokens:read"] });

    const unknownOnly = await report(["tsr_definitelyNotARealTokenValue0000000000", "hello"], "203.0.113.70");
    expect(unknownOnly.status).toBe(202);
    expect(await unknownOnly.text()).toBe("");
    const withMatches = await report([leaked.value, foreign.value, "not a token"], "203.0.113.71");
    expect(withMatches.status).toBe(202);
    expect(await withMatches.text()).toBe("");

    expect((await me(leaked.value)).status).toBe(401);
    expect((await me(foreign.value)).status).toBe(401);
    expect(await tokenRow(leaked.token.id)).toMatchObject({ revokeReason: "Reported leaked" });
    const db = await getDb();
    const [event] = await db
      .select()
      .from(auditEvents)
      .where(
        and(
          eq(auditEvents.organizationId, f.org.organization.id),
          eq(auditEvents.action, "token.revoked"),
          eq(auditEvents.targetId, leaked.token.id),
        ),
      );
    expect(event).toMatchObject({ ip: "203.0.113.71", actorUserId: null, details: { reason: "Reported leaked", reportedLeaked: true } });
    const mails = await db
      .select({ recipientUserId: notifications.recipientUserId, body: notifications.body })
      .from(notifications)
      .where(and(eq(notifications.organizationId, f.org.organization.id), eq(notifications.kind, "token.leaked")));
    expect(mails.map((mail) => mail.recipientUserId).sort()).toEqual([f.org.admin.id, f.org.repOne.id].sort());
    expect(mails.every((mail) => !mail.body.includes(leaked.value))).toBe(true);
    // Reporting it again changes nothing more.
    expect((await report([leaked.value], "203.0.113.72")).status).toBe(202);
    expect(
      await db
        .select()
        .from(auditEvents)
        .where(and(eq(auditEvents.action, "token.revoked"), eq(auditEvents.targetId, leaked.token.id))),
    ).toHaveLength(1);
  });

  it("a rotated-out value still in its grace is ended too", async () => {
    const f = await createApiFixture();
    const old = await createTokenViaApi(f.admin.value, { description: "graced", permissions: ["tokens:read"] });
    const successor = await rotateWithGrace(f.admin.value, old);
    expect((await me(old.value)).status).toBe(200);
    await report([old.value], "203.0.113.73");
    expect((await me(old.value)).status).toBe(401);
    expect((await me(successor.value)).status).toBe(200);
  });

  it("bad input changes nothing; more than 10 reports a minute from one address are 429", async () => {
    const f = await createApiFixture();
    const kept = await createTokenViaApi(f.admin.value, { description: "kept", permissions: ["tokens:read"] });
    expect((await report([], "203.0.113.80")).status).toBe(422);
    expect((await report("tsr_x", "203.0.113.80")).status).toBe(422);
    expect(
      (
        await report(
          Array.from({ length: 1001 }, () => kept.value),
          "203.0.113.80",
        )
      ).status,
    ).toBe(422);
    expect((await callRoute(reportLeaked, { method: "POST", body: "{not json", ip: "203.0.113.80" })).status).toBe(400);
    expect((await me(kept.value)).status).toBe(200);
    const statuses: number[] = [];
    for (let i = 0; i < 12; i += 1) statuses.push((await report(["tsr_nothing"], "203.0.113.81")).status);
    expect(statuses.slice(0, 10).every((status) => status === 202)).toBe(true);
    const limited = await report(["tsr_nothing"], "203.0.113.81");
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
  });
});
