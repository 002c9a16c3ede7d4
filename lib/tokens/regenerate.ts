import { and, eq, gt, isNotNull } from "drizzle-orm";
import { getDb } from "@/db";
import { personalAccessTokens as tokens } from "@/db/schema";
import type { Actor } from "@/lib/auth/actor";
import { recordChange } from "@/lib/audit/record";
import { resolveExpiration } from "@/lib/organizations/policy";
import { addDays, DAY_MS } from "@/lib/shared/time";
import { conflict, invalid } from "@/lib/shared/errors";
import { loadCatalog, type ApplicationCatalog } from "@/lib/applications/catalog";
import type { Role } from "@/lib/permissions/catalog";
import type { CreatedToken } from "./create";
import { lockTokenForChange } from "./load-for-change";
import { loadPolicy } from "@/lib/organizations/queries";
import { issueSecret } from "./secret";
import { toTokenView, tokenTarget } from "./view";

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

/**
 * How long the old value keeps working after a rotation (SPEC §11): not at all, for a number of
 * seconds, or until a number of seconds after the new value is first used (then at most the
 * policy's maximum grace, should the new value never be used).
 */
export type RotationGrace = { kind: "none" } | { kind: "for"; seconds: number } | { kind: "after_first_use"; seconds: number };

export const NO_GRACE: RotationGrace = { kind: "none" };

export type RotatedToken = CreatedToken & {
  /** The rotated-out value: until when it still works (null: it stopped at once). */
  previous: { id: string; usableUntil: Date | null };
};

/** Checks a grace against the policy; returns until when the old value may work (now for none). */
function graceEnd(grace: RotationGrace, maxGraceDays: number, now: Date): Date {
  if (grace.kind === "none") return now;
  const maxSeconds = maxGraceDays * (DAY_MS / 1000);
  if (maxGraceDays === 0) {
    throw invalid({ grace: ["Your organization allows no grace period: the old value stops working at once."] });
  }
  if (!Number.isInteger(grace.seconds) || grace.seconds < 1) throw invalid({ grace: ["Use a whole number of seconds, at least 1."] });
  if (grace.seconds > maxSeconds) {
    throw invalid({ grace: [`Your organization allows the old value to keep working for at most ${maxGraceDays} days.`] });
  }
  // "After first use" is bounded by the policy's maximum too, should the new value never be used.
  return new Date(now.getTime() + (grace.kind === "for" ? grace.seconds : maxSeconds) * 1000);
}

/**
 * Replaces a token's value: a new token with the same owner, description, account SID,
 * permissions and active flag (rotatedFromId pointing back), while the old one is revoked and
 * marked rotated in the same transaction. Without a grace the old value stops working at once;
 * with one it keeps working until its grace ends (lib/tokens/verify.ts). An expired token gets its
 * original lifetime again, within the policy (and no grace: its old value works no longer).
 */
export async function regenerateToken(actor: Actor, id: string, grace: RotationGrace = NO_GRACE, now = new Date()): Promise<RotatedToken> {
  const db = await getDb();
  const policy = await loadPolicy(db, actor.organizationId);
  const usableUntil = graceEnd(grace, policy.maxGraceDays, now);
  const secret = issueSecret();

  return db.transaction(async (tx) => {
    const locked = await lockTokenForChange(tx, actor, id, "regenerate", { now });
    const { token: old, owner } = locked;
    if (grace.kind !== "none" && old.expiresAt && old.expiresAt.getTime() <= now.getTime()) {
      throw invalid({ grace: ["This token has expired: its value no longer works, so there is nothing to keep working."] });
    }
    if (grace.kind !== "none" && !old.active) {
      throw invalid({ grace: ["This token is inactive: its value does not work, so there is nothing to keep working."] });
    }
    // One rotation at a time: while the previous value is still in its grace, a second rotation
    // would leave three values alive.
    const [previous] = old.rotatedFromId
      ? await tx
          .select({ graceUntil: tokens.graceUntil })
          .from(tokens)
          .where(and(eq(tokens.id, old.rotatedFromId), isNotNull(tokens.rotatedAt), gt(tokens.graceUntil, now)))
      : [];
    if (previous?.graceUntil) {
      throw conflict(
        `This token's previous value still works until ${previous.graceUntil.toISOString()}. Revoke the previous value first, or wait until then.`,
      );
    }
    const catalog = await loadCatalog(tx, old.organizationId, old.applicationId);
    let expiresAt = old.expiresAt;
    if (expiresAt && expiresAt.getTime() <= now.getTime()) {
      const lifetimeDays = Math.max(1, Math.round((expiresAt.getTime() - old.createdAt.getTime()) / DAY_MS));
      const capped = policy.maxLifetimeDays === null ? lifetimeDays : Math.min(lifetimeDays, policy.maxLifetimeDays);
      expiresAt = resolveExpiration(policy, addDays(now, capped), now);
    }

    await tx
      .update(tokens)
      .set({
        revokedAt: now,
        revokedById: actor.userId,
        revokeReason: "Regenerated",
        rotatedAt: now,
        graceUntil: usableUntil,
        retireAfterFirstUseSeconds: grace.kind === "after_first_use" ? grace.seconds : null,
        updatedAt: now,
      })
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
        // The same lineage keeps its restrictions (SPEC §12).
        allowedCidrs: old.allowedCidrs,
        rateLimitPerMinute: old.rateLimitPerMinute,
        validFrom: old.validFrom,
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
      grace:
        grace.kind === "none"
          ? null
          : {
              oldValueUsableUntil: usableUntil.toISOString(),
              ...(grace.kind === "after_first_use" ? { afterFirstUseSeconds: grace.seconds } : {}),
            },
    });
    return {
      token: toTokenView({ ...locked, token }, now),
      value: secret.value,
      previous: { id: old.id, usableUntil: grace.kind === "none" ? null : usableUntil },
    };
  });
}
