import type { Transaction } from "@/db";
import { personalAccessTokens as tokens } from "@/db/schema";
import type { Actor } from "@/lib/auth/actor";
import { conflict, notFound } from "@/lib/shared/errors";
import { authorizeRestrictions, authorizeTokenAction, heldPermissions, isGranting, tokenInReach, type TokenAction } from "./access";
import { isUuid } from "@/lib/shared/ids";
import { loadCatalog } from "@/lib/applications/catalog";
import { assertScopesOffered, holdApplication } from "@/lib/applications/grant";
import { selectTokensWithOwner, withGrants } from "./token-row";
import { evictLocally } from "./verification-cache";
import { isInGrace } from "./verify";
import type { TokenWithOwner } from "./view";

type LockOptions = {
  /** What the token will hold after the change, when the change sets it (else what it holds now). */
  permissions?: readonly string[];
  now?: Date;
};

// Changes that would make an expired token work again: its settings are frozen, and the way
// back is a new value (Regenerate) or a new token (Copy as new).
const REVIVING: ReadonlySet<TokenAction> = new Set(["change", "activate"]);
// An archived application's tokens are stopped; only taking power away is left to do with them.
const GRANTING_AGAIN: ReadonlySet<TokenAction> = new Set(["change", "activate", "regenerate"]);

/**
 * Locks one token in the actor's reach for a change (FOR UPDATE), so concurrent changes
 * serialize and the audit event records exactly what changed, and asks lib/tokens/access.ts
 * whether the actor may do `action` to it. Revoked tokens are final; only delete takes them.
 */
export async function lockTokenForChange(
  tx: Transaction,
  actor: Actor,
  id: string,
  action: Exclude<TokenAction, "read" | "create">,
  options: LockOptions = {},
): Promise<TokenWithOwner> {
  if (!isUuid(id)) throw notFound();
  const [locked] = await tx.select({ applicationId: tokens.applicationId }).from(tokens).where(tokenInReach(actor, id)).for("update");
  if (!locked) throw notFound();
  // Then its application, held until the change commits, so the token's catalog (archived or
  // not, which scopes are live) is read as it is now and cannot change under the change.
  await holdApplication(tx, actor.organizationId, locked.applicationId);
  const [row] = await withGrants(tx, actor.organizationId, await selectTokensWithOwner(tx).where(tokenInReach(actor, id)));
  if (!row) throw notFound();
  const { token, owner, application, granted } = row;
  // An actor that may change tokens at all learns of an unknown permission as a field error (422
  // naming it), not as a permission it lacks (403) — except a token on another application's
  // token, which is refused whatever that catalog holds (it grants Tessera API permissions only).
  if (options.permissions && !(actor.token && !application.builtIn)) {
    authorizeTokenAction(actor, action, [], application);
    const catalog = await loadCatalog(tx, actor.organizationId, token.applicationId);
    if (catalog) assertScopesOffered(catalog, options.permissions, token.permissions);
  }
  authorizeTokenAction(actor, action, options.permissions ?? heldPermissions(granted, owner.role), application);
  if (isGranting(action)) authorizeRestrictions(actor, token);
  const now = options.now ?? new Date();
  // A rotated-out value still in its grace may be revoked: that ends its grace now.
  const endsGrace = action === "revoke" && isInGrace(token, now);
  if (action !== "delete" && token.revokedAt && !endsGrace) throw conflict("This token is revoked; a revoked token cannot be changed.");
  if (GRANTING_AGAIN.has(action) && granted.archived) {
    throw conflict(`${application.name} is archived: its tokens cannot be changed, activated or regenerated.`);
  }
  if (REVIVING.has(action) && token.expiresAt && token.expiresAt.getTime() <= now.getTime()) {
    throw conflict("This token has expired and cannot be changed. Regenerate it for a new value, or use Copy as new.");
  }
  // The change is about to happen: this instance forgets the token now, and the database's
  // NOTIFY tells every instance (this one included) when the transaction commits.
  evictLocally(`token:${token.id}`);
  return row;
}
