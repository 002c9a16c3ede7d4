import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { auditEvents, personalAccessTokens } from "@/db/schema";
import { updateTokenPolicy } from "@/lib/organizations/update-policy";
import { isOutsidePolicy } from "@/lib/organizations/policy";
import { addDays, endOfUtcDay } from "@/lib/shared/time";
import { listTokens } from "@/lib/tokens/queries";
import { revokeTokens } from "@/lib/tokens/revoke";
import type { TokenPolicyInput } from "@/lib/validation/policy";
import { actorFor } from "../../fixtures/actors";
import { createTestOrganization } from "../../fixtures/organizations";
import { createTestToken, domainErrorOf } from "../../fixtures/tokens";

const LOOSE: TokenPolicyInput = { maxLifetimeDays: null, requireExpiration: false, defaultLifetimeDays: 30, expiryNoticeDays: [7, 1] };

async function policyEvents(organizationId: string) {
  const db = await getDb();
  return db
    .select()
    .from(auditEvents)
    .where(and(eq(auditEvents.organizationId, organizationId), eq(auditEvents.action, "policy.updated")));
}

describe("token policy settings", () => {
  it("saves a stricter policy, audited as policy.updated with each changed field old → new", async () => {
    const { organization, admin } = await createTestOrganization();
    const { policy, changed } = await updateTokenPolicy(actorFor(admin), {
      maxLifetimeDays: 90,
      requireExpiration: true,
      defaultLifetimeDays: 30,
      expiryNoticeDays: [1, 14, 7, 7],
    });
    expect(changed).toBe(true);
    // The rotation and restriction fields, left out, keep their values (SPEC §11, §12).
    expect(policy).toEqual({
      maxLifetimeDays: 90,
      requireExpiration: true,
      defaultLifetimeDays: 30,
      expiryNoticeDays: [14, 7, 1],
      maxGraceDays: 7,
      deactivateSuccessorOnReuse: false,
      revokeUnusedAfterDays: null,
      maxRateLimitPerMinute: 6000,
      requireAllowlistForWrite: false,
      allowlistMinPrefixV4: 8,
      allowlistMinPrefixV6: 32,
    });
    expect((await listTokens(actorFor(admin), { limit: 1 })).policy).toEqual(policy);
    const [event] = await policyEvents(organization.id);
    expect(event).toMatchObject({ actorUserId: admin.id, targetType: "organization", targetId: organization.id });
    expect(event?.details).toEqual({
      changes: {
        maxLifetimeDays: { from: null, to: 90 },
        requireExpiration: { from: false, to: true },
        expiryNoticeDays: { from: [7, 1], to: [14, 7, 1] },
      },
    });
  });

  it("saving the same policy changes nothing and audits nothing", async () => {
    const { organization, admin } = await createTestOrganization();
    expect((await updateTokenPolicy(actorFor(admin), LOOSE)).changed).toBe(false);
    expect(await policyEvents(organization.id)).toHaveLength(0);
  });

  it("refuses inconsistent or out-of-range settings with field errors", async () => {
    const { admin } = await createTestOrganization();
    const cases: [Partial<TokenPolicyInput>, string][] = [
      [{ maxLifetimeDays: 0 }, "maxLifetimeDays"],
      [{ maxLifetimeDays: 1.5 }, "maxLifetimeDays"],
      [{ maxLifetimeDays: Number.NaN }, "maxLifetimeDays"],
      [{ maxLifetimeDays: 30, defaultLifetimeDays: 60 }, "defaultLifetimeDays"],
      [{ requireExpiration: true, defaultLifetimeDays: null }, "defaultLifetimeDays"],
      [{ maxLifetimeDays: 30, defaultLifetimeDays: null }, "defaultLifetimeDays"],
      [{ expiryNoticeDays: [0] }, "expiryNoticeDays"],
      [{ expiryNoticeDays: [1, 2, 3, 4, 5, 6] }, "expiryNoticeDays"],
      [{ maxRateLimitPerMinute: 0 }, "maxRateLimitPerMinute"],
      [{ maxRateLimitPerMinute: 1_000_001 }, "maxRateLimitPerMinute"],
      [{ maxRateLimitPerMinute: 2.5 }, "maxRateLimitPerMinute"],
    ];
    for (const [patch, field] of cases) {
      const error = await domainErrorOf(updateTokenPolicy(actorFor(admin), { ...LOOSE, ...patch }));
      expect(error.code, JSON.stringify(patch)).toBe("invalid");
      expect(error.fieldErrors[field], JSON.stringify(patch)).toBeDefined();
    }
  });

  it("sets the restriction fields (SPEC §12), audited, and holds new tokens to them", async () => {
    const { organization, admin } = await createTestOrganization();
    const { changed } = await updateTokenPolicy(actorFor(admin), { ...LOOSE, maxRateLimitPerMinute: 100, requireAllowlistForWrite: true });
    expect(changed).toBe(true);
    const [event] = await policyEvents(organization.id);
    expect(event?.details).toEqual({
      changes: { maxRateLimitPerMinute: { from: 6000, to: 100 }, requireAllowlistForWrite: { from: false, to: true } },
    });
    const tooFast = await domainErrorOf(createTestToken(actorFor(admin), { permissions: ["tokens:read"], rateLimitPerMinute: 101 }));
    expect(tooFast.fieldErrors.rateLimitPerMinute).toEqual(["Your organization allows at most 100 requests per minute."]);
    const open = await domainErrorOf(createTestToken(actorFor(admin), { permissions: ["tokens:write"] }));
    expect(open.fieldErrors.allowedCidrs).toBeDefined();
    await createTestToken(actorFor(admin), { permissions: ["tokens:write"], allowedCidrs: ["192.0.2.0/24"], rateLimitPerMinute: 100 });
  });

  it("a rep cannot change the policy", async () => {
    const { repOne } = await createTestOrganization();
    expect((await domainErrorOf(updateTokenPolicy(actorFor(repOne), { ...LOOSE, maxLifetimeDays: 5, defaultLifetimeDays: 5 }))).code).toBe(
      "forbidden",
    );
  });

  it("the create path honours the new policy: default lifetime, maximum and required expiration", async () => {
    const { admin, repOne } = await createTestOrganization();
    await updateTokenPolicy(actorFor(admin), {
      maxLifetimeDays: 20,
      requireExpiration: true,
      defaultLifetimeDays: 10,
      expiryNoticeDays: [3],
    });
    const now = new Date();
    const byDefault = await createTestToken(actorFor(repOne), {}, now);
    expect(byDefault.token.expiresAt).toBe(addDays(now, 10).toISOString());
    expect((await domainErrorOf(createTestToken(actorFor(repOne), { expiresAt: null }, now))).fieldErrors.expiresAt).toBeDefined();
    expect(
      (await domainErrorOf(createTestToken(actorFor(repOne), { expiresAt: addDays(now, 25) }, now))).fieldErrors.expiresAt,
    ).toBeDefined();
    const within = await createTestToken(actorFor(repOne), { expiresAt: addDays(now, 20) }, now);
    expect(within.token.expiresAt).toBe(addDays(now, 20).toISOString());
  });
});

describe("tokens outside the policy", () => {
  it("a stricter policy revokes nothing: older tokens are flagged, filterable, and revocable in bulk", async () => {
    const { admin, repOne, repTwo } = await createTestOrganization();
    const now = new Date();
    const forever = await createTestToken(actorFor(repOne), { expiresAt: null }, now);
    const long = await createTestToken(actorFor(repTwo), { expiresAt: addDays(now, 200) }, now);
    const short = await createTestToken(actorFor(repOne), { expiresAt: addDays(now, 20) }, now);

    await updateTokenPolicy(actorFor(admin), {
      maxLifetimeDays: 90,
      requireExpiration: true,
      defaultLifetimeDays: 30,
      expiryNoticeDays: [7, 1],
    });
    const all = await listTokens(actorFor(admin), {}, now);
    expect(all.total).toBe(3);
    const flagged = Object.fromEntries(all.tokens.map((token) => [token.id, token.outsidePolicy]));
    expect(flagged).toEqual({ [forever.token.id]: true, [long.token.id]: true, [short.token.id]: false });

    const outside = await listTokens(actorFor(admin), { outsidePolicy: true }, now);
    expect(outside.tokens.map((token) => token.id).sort()).toEqual([forever.token.id, long.token.id].sort());

    const { revoked } = await revokeTokens(
      actorFor(admin),
      outside.tokens.map((token) => token.id),
      "Outside the new policy",
    );
    expect(revoked).toHaveLength(2);
    expect((await listTokens(actorFor(admin), { outsidePolicy: true }, now)).total).toBe(0);
    // Revoked tokens are no longer flagged: they do not work anyway.
    expect((await listTokens(actorFor(admin), { state: "revoked" }, now)).tokens.every((token) => !token.outsidePolicy)).toBe(true);
  });

  it("the SQL filter and isOutsidePolicy agree at the edge of the maximum (end of the UTC day)", async () => {
    const { admin, repOne } = await createTestOrganization();
    const now = new Date();
    const created = (await createTestToken(actorFor(repOne), { expiresAt: addDays(now, 5) }, now)).token;
    const over = (await createTestToken(actorFor(repOne), { expiresAt: addDays(now, 5) }, now)).token;
    const db = await getDb();
    const limit = endOfUtcDay(addDays(new Date(created.createdAt), 30));
    // Simulate tokens created before the policy: the edge itself, and one millisecond past it.
    await db.update(personalAccessTokens).set({ expiresAt: limit }).where(eq(personalAccessTokens.id, created.id));
    await db
      .update(personalAccessTokens)
      .set({ expiresAt: new Date(endOfUtcDay(addDays(new Date(over.createdAt), 30)).getTime() + 1) })
      .where(eq(personalAccessTokens.id, over.id));
    await updateTokenPolicy(actorFor(admin), {
      maxLifetimeDays: 30,
      requireExpiration: false,
      defaultLifetimeDays: 30,
      expiryNoticeDays: [7, 1],
    });

    const outside = await listTokens(actorFor(admin), { outsidePolicy: true }, now);
    expect(outside.tokens.map((token) => token.id)).toEqual([over.id]);
    const { policy } = outside;
    expect(isOutsidePolicy(policy, { createdAt: new Date(created.createdAt), expiresAt: limit })).toBe(false);
  });
});
