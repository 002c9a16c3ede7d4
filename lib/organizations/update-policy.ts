import { and, eq, gt, isNotNull, sql } from "drizzle-orm";
import { z } from "zod";
import { getDb } from "@/db";
import { organizations, personalAccessTokens } from "@/db/schema";
import { addDays } from "@/lib/shared/time";
import { assertAdmin, type Actor } from "@/lib/auth/actor";
import { recordChange, type Change } from "@/lib/audit/record";
import { invalid, notFound } from "@/lib/shared/errors";
import type { TokenPolicy } from "./policy";
import { tokenPolicySchema, type TokenPolicyInput } from "@/lib/validation/policy";

const POLICY_FIELDS = [
  "maxLifetimeDays",
  "requireExpiration",
  "defaultLifetimeDays",
  "expiryNoticeDays",
  "maxGraceDays",
  "deactivateSuccessorOnReuse",
  "revokeUnusedAfterDays",
  "maxRateLimitPerMinute",
  "requireAllowlistForWrite",
  "allowlistMinPrefixV4",
  "allowlistMinPrefixV6",
] as const satisfies readonly (keyof TokenPolicy)[];

/**
 * Replaces the organization's token policy, audited as policy.updated with every changed field
 * old → new. Existing tokens are left alone: the token table marks those outside the new policy.
 */
export async function updateTokenPolicy(
  actor: Actor,
  input: TokenPolicyInput,
  now = new Date(),
): Promise<{ policy: TokenPolicy; changed: boolean }> {
  assertAdmin(actor);
  const parsed = tokenPolicySchema.safeParse(input);
  if (!parsed.success) throw invalid(z.flattenError(parsed.error).fieldErrors);
  const parsedPolicy = parsed.data;

  const db = await getDb();
  return db.transaction(async (tx) => {
    const [current] = await tx.select().from(organizations).where(eq(organizations.id, actor.organizationId)).for("update");
    if (!current) throw notFound("Organization");
    const next: TokenPolicy = {
      ...parsedPolicy,
      maxGraceDays: parsedPolicy.maxGraceDays ?? current.maxGraceDays,
      deactivateSuccessorOnReuse: parsedPolicy.deactivateSuccessorOnReuse ?? current.deactivateSuccessorOnReuse,
      revokeUnusedAfterDays:
        parsedPolicy.revokeUnusedAfterDays === undefined ? current.revokeUnusedAfterDays : parsedPolicy.revokeUnusedAfterDays,
      maxRateLimitPerMinute: parsedPolicy.maxRateLimitPerMinute ?? current.maxRateLimitPerMinute,
      requireAllowlistForWrite: parsedPolicy.requireAllowlistForWrite ?? current.requireAllowlistForWrite,
      allowlistMinPrefixV4: parsedPolicy.allowlistMinPrefixV4 ?? current.allowlistMinPrefixV4,
      allowlistMinPrefixV6: parsedPolicy.allowlistMinPrefixV6 ?? current.allowlistMinPrefixV6,
    };
    const changes: Record<string, Change> = {};
    for (const field of POLICY_FIELDS) {
      if (JSON.stringify(current[field]) !== JSON.stringify(next[field])) {
        changes[field] = { from: current[field], to: next[field] };
      }
    }
    if (Object.keys(changes).length === 0) return { policy: pickPolicy(current), changed: false };
    const [updated] = await tx
      .update(organizations)
      .set({ ...next, updatedAt: now })
      .where(eq(organizations.id, actor.organizationId))
      .returning();
    if (!updated) throw new Error("organization update returned no row");
    // A shorter maximum grace applies to the graces running now too (SPEC §11): none outlives it.
    if (next.maxGraceDays < current.maxGraceDays) {
      await tx
        .update(personalAccessTokens)
        .set({ graceUntil: sql`least(${personalAccessTokens.graceUntil}, ${addDays(now, next.maxGraceDays).toISOString()}::timestamptz)` })
        .where(
          and(
            eq(personalAccessTokens.organizationId, actor.organizationId),
            isNotNull(personalAccessTokens.rotatedAt),
            gt(personalAccessTokens.graceUntil, now),
          ),
        );
    }
    await recordChange(tx, actor, "policy.updated", { type: "organization", id: actor.organizationId }, { changes });
    return { policy: pickPolicy(updated), changed: true };
  });
}

function pickPolicy(organization: TokenPolicy): TokenPolicy {
  return Object.fromEntries(POLICY_FIELDS.map((field) => [field, organization[field]])) as TokenPolicy;
}
