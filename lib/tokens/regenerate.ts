import { eq } from "drizzle-orm";
import { getDb } from "@/db";
import { personalAccessTokens as tokens } from "@/db/schema";
import type { Actor } from "@/lib/auth/actor";
import { recordChange } from "@/lib/audit/record";
import { resolveExpiration } from "@/lib/organizations/policy";
import { addDays, DAY_MS } from "@/lib/shared/time";
import { heldPermissions } from "./access";
import type { CreatedToken } from "./create";
import { lockTokenForChange } from "./load-for-change";
import { loadPolicy } from "@/lib/organizations/queries";
import { issueSecret } from "./secret";
import { toTokenView, tokenTarget } from "./view";

/**
 * Replaces a token's value: a new token with the same owner, description, account SID,
 * permissions and active flag (rotatedFromId pointing back) while the old one is revoked in
 * the same transaction, so the old value stops working at once. An expired token gets its
 * original lifetime again, within the policy.
 */
export async function regenerateToken(actor: Actor, id: string, now = new Date()): Promise<CreatedToken> {
  const db = await getDb();
  const policy = await loadPolicy(db, actor.organizationId);
  const secret = issueSecret();

  return db.transaction(async (tx) => {
    const locked = await lockTokenForChange(tx, actor, id, "regenerate", { now });
    const { token: old, owner, granted } = locked;
    let expiresAt = old.expiresAt;
    if (expiresAt && expiresAt.getTime() <= now.getTime()) {
      const lifetimeDays = Math.max(1, Math.round((expiresAt.getTime() - old.createdAt.getTime()) / DAY_MS));
      const capped = policy.maxLifetimeDays === null ? lifetimeDays : Math.min(lifetimeDays, policy.maxLifetimeDays);
      expiresAt = resolveExpiration(policy, addDays(now, capped), now);
    }

    await tx
      .update(tokens)
      .set({ revokedAt: now, revokedById: actor.userId, revokeReason: "Regenerated", updatedAt: now })
      .where(eq(tokens.id, old.id));
    const [token] = await tx
      .insert(tokens)
      .values({
        organizationId: old.organizationId,
        userId: old.userId,
        applicationId: old.applicationId,
        createdById: actor.userId,
        description: old.description,
        accountSid: old.accountSid,
        // A demoted owner's token does not carry admin-only scopes into its successor, nor scopes
        // its application no longer has.
        permissions: heldPermissions(granted, owner.role),
        expiresAt,
        active: old.active,
        rotatedFromId: old.id,
        secretHash: secret.secretHash,
        hashKeyVersion: secret.hashKeyVersion,
        hint: secret.hint,
      })
      .returning();
    if (!token) throw new Error("token insert returned no row");
    await recordChange(tx, actor, "token.regenerated", tokenTarget(token), {
      rotatedFromId: old.id,
      hint: { from: old.hint, to: token.hint },
      expiresAt: { from: old.expiresAt?.toISOString() ?? null, to: token.expiresAt?.toISOString() ?? null },
    });
    return { token: toTokenView({ ...locked, token }, now), value: secret.value };
  });
}
