import { eq } from "drizzle-orm";
import { getDb } from "@/db";
import { personalAccessTokens as tokens } from "@/db/schema";
import type { Actor } from "@/lib/auth/actor";
import { recordChange } from "@/lib/audit/record";
import { resolveExpiration } from "@/lib/organizations/policy";
import { addDays, DAY_MS } from "@/lib/shared/time";
import { loadCatalog, type ApplicationCatalog } from "@/lib/applications/catalog";
import type { Role } from "@/lib/permissions/catalog";
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
/**
 * What the successor stores: the same scopes, except admin-only ones a (demoted) rep owner may not
 * hold and any its application no longer defines. A deprecated scope is kept, stopped as it is on
 * the old token, so restoring it brings it back to the successor too.
 */
function successorPermissions(stored: readonly string[], catalog: ApplicationCatalog | undefined, ownerRole: Role): string[] {
  const defined = new Map((catalog?.scopes ?? []).map((scope) => [scope.id, scope]));
  return stored.filter((permission) => {
    const scope = defined.get(permission);
    return scope !== undefined && (ownerRole === "admin" || !scope.adminOnly);
  });
}

export async function regenerateToken(actor: Actor, id: string, now = new Date()): Promise<CreatedToken> {
  const db = await getDb();
  const policy = await loadPolicy(db, actor.organizationId);
  const secret = issueSecret();

  return db.transaction(async (tx) => {
    const locked = await lockTokenForChange(tx, actor, id, "regenerate", { now });
    const { token: old, owner } = locked;
    const catalog = await loadCatalog(tx, old.organizationId, old.applicationId);
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
        permissions: successorPermissions(old.permissions, catalog, owner.role),
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
