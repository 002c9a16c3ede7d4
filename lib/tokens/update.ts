import { eq } from "drizzle-orm";
import { z } from "zod";
import { getDb, type Transaction } from "@/db";
import { personalAccessTokens as tokens, type PersonalAccessToken } from "@/db/schema";
import type { Actor } from "@/lib/auth/actor";
import { recordChange, type Change } from "@/lib/audit/record";
import { conflict, invalid } from "@/lib/shared/errors";
import { notifyTokensChangedByAdmin } from "@/lib/notifications/token-events";
import { assertRestrictionsAllowed, resolveExpiration } from "@/lib/organizations/policy";
import { adminOnlyScopeIds, assertScopesOffered, grantedFrom } from "@/lib/applications/grant";
import { loadCatalog } from "@/lib/applications/catalog";
import { updateTokenSchema, type UpdateTokenInput } from "@/lib/validation/token";
import { assertOwnerMayHold, authorizeRestrictions } from "./access";
import { lockTokenForChange } from "./load-for-change";
import { storedAllowlist } from "./restrictions";
import { loadPolicy } from "@/lib/organizations/queries";
import { toTokenView, type TokenView, tokenTarget } from "./view";

const sameSet = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((item) => b.includes(item));

/**
 * Edits description, permissions and expiration (audited as token.updated with old → new) and,
 * when asked, the active switch (token.activated/deactivated) — all in one transaction.
 */
export async function updateToken(actor: Actor, id: string, input: UpdateTokenInput, now = new Date()): Promise<TokenView> {
  const parsed = updateTokenSchema.safeParse(input);
  if (!parsed.success) throw invalid(z.flattenError(parsed.error).fieldErrors);
  const patch = parsed.data;
  const db = await getDb();
  const policy = await loadPolicy(db, actor.organizationId);

  return db.transaction(async (tx) => {
    // Only switching a token off is "taking away"; anything else is held to the subset rule.
    const action = isOnlyDeactivation(patch) ? "deactivate" : "change";
    const locked = await lockTokenForChange(tx, actor, id, action, { permissions: patch.permissions, now });
    const { token, owner } = locked;
    let granted = locked.granted;
    const changes: Record<string, Change> = {};
    const values: Partial<typeof tokens.$inferInsert> = {};

    if (patch.description !== undefined && patch.description !== token.description) {
      changes.description = { from: token.description, to: patch.description };
      values.description = patch.description;
    }
    if (patch.permissions !== undefined && !sameSet(patch.permissions, token.permissions)) {
      const catalog = await loadCatalog(tx, actor.organizationId, token.applicationId);
      if (!catalog) throw new Error("a token's application is missing");
      assertScopesOffered(catalog, patch.permissions, token.permissions);
      assertOwnerMayHold(patch.permissions, adminOnlyScopeIds(catalog), owner.role);
      granted = grantedFrom(catalog, patch.permissions);
      changes.permissions = { from: token.permissions, to: patch.permissions };
      values.permissions = patch.permissions;
    }
    if (patch.expiresAt !== undefined && patch.expiresAt?.getTime() !== token.expiresAt?.getTime()) {
      // The policy's maximum lifetime counts from the token's creation, not from the edit.
      const expiresAt = resolveExpiration(policy, patch.expiresAt, now, token.createdAt);
      changes.expiresAt = { from: token.expiresAt?.toISOString() ?? null, to: expiresAt?.toISOString() ?? null };
      values.expiresAt = expiresAt;
    }
    const restricted = changedRestrictions(token, patch, changes, values);
    if (restricted || values.permissions !== undefined || values.expiresAt !== undefined) {
      const next = { ...token, ...values };
      if (restricted) authorizeRestrictions(actor, next);
      // An allowlist the policy now requires is asked for when the grant or the list changes,
      // not when an older token's description is edited.
      const asked =
        values.permissions !== undefined || values.allowedCidrs !== undefined ? policy : { ...policy, requireAllowlistForWrite: false };
      assertRestrictionsAllowed(asked, next, next);
    }
    let current = token;
    if (Object.keys(values).length > 0) {
      const [updated] = await tx
        .update(tokens)
        .set({ ...values, updatedAt: now })
        .where(eq(tokens.id, token.id))
        .returning();
      if (!updated) throw new Error("token update returned no row");
      await recordChange(tx, actor, "token.updated", tokenTarget(token), { changes });
      current = updated;
    }
    if (patch.active !== undefined && patch.active !== current.active) {
      current = await switchActive(tx, actor, current, patch.active, now);
    }
    return toTokenView({ ...locked, token: current, granted }, now);
  });
}

/** Puts the restrictions the patch changes into `values`, recording each; true when any changed. */
function changedRestrictions(
  token: PersonalAccessToken,
  patch: { allowedCidrs?: string[] | null; rateLimitPerMinute?: number | null; validFrom?: Date | null },
  changes: Record<string, Change>,
  values: Partial<typeof tokens.$inferInsert>,
): boolean {
  const before = Object.keys(values).length;
  if (patch.allowedCidrs !== undefined) {
    const allowedCidrs = storedAllowlist(patch.allowedCidrs);
    if (JSON.stringify(allowedCidrs) !== JSON.stringify(token.allowedCidrs)) {
      changes.allowedCidrs = { from: token.allowedCidrs, to: allowedCidrs };
      values.allowedCidrs = allowedCidrs;
    }
  }
  if (patch.rateLimitPerMinute !== undefined && patch.rateLimitPerMinute !== token.rateLimitPerMinute) {
    changes.rateLimitPerMinute = { from: token.rateLimitPerMinute, to: patch.rateLimitPerMinute };
    values.rateLimitPerMinute = patch.rateLimitPerMinute;
  }
  if (patch.validFrom !== undefined && patch.validFrom?.getTime() !== token.validFrom?.getTime()) {
    changes.validFrom = { from: token.validFrom?.toISOString() ?? null, to: patch.validFrom?.toISOString() ?? null };
    values.validFrom = patch.validFrom;
  }
  return Object.keys(values).length > before;
}

function isOnlyDeactivation(patch: UpdateTokenInput): boolean {
  const { active, ...fields } = patch;
  return active === false && Object.values(fields).every((value) => value === undefined);
}

/** The reversible on/off switch. Turning it to the state it already has is refused. */
export async function setTokenActive(actor: Actor, id: string, active: boolean, now = new Date()): Promise<TokenView> {
  const db = await getDb();
  return db.transaction(async (tx) => {
    const locked = await lockTokenForChange(tx, actor, id, active ? "activate" : "deactivate", { now });
    const { token } = locked;
    if (token.active === active) throw conflict(`This token is already ${active ? "active" : "inactive"}.`);
    return toTokenView({ ...locked, token: await switchActive(tx, actor, token, active, now) }, now);
  });
}

/** Flips the switch of a locked token, with its audit event and (for another's token) its mail. */
async function switchActive(tx: Transaction, actor: Actor, token: PersonalAccessToken, active: boolean, now: Date) {
  const [updated] = await tx.update(tokens).set({ active, updatedAt: now }).where(eq(tokens.id, token.id)).returning();
  if (!updated) throw new Error("token update returned no row");
  await recordChange(tx, actor, active ? "token.activated" : "token.deactivated", tokenTarget(token), {
    changes: { active: { from: token.active, to: active } },
  });
  if (!active) await notifyTokensChangedByAdmin(tx, actor, [updated], { kind: "deactivated" });
  return updated;
}
