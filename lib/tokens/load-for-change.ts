import { eq } from "drizzle-orm";
import type { Transaction } from "@/db";
import { personalAccessTokens as tokens, users } from "@/db/schema";
import type { Actor } from "@/lib/actor";
import { conflict, notFound } from "@/lib/errors";
import { isUuid } from "./queries";
import { tokenInReach } from "./scope";
import type { TokenWithOwner } from "./view";

/**
 * Locks one token in the actor's reach for a change (FOR UPDATE), so concurrent changes
 * serialize and the audit event records exactly what changed. Revoked tokens are final.
 */
export async function lockTokenForChange(
  tx: Transaction,
  actor: Actor,
  id: string,
  { allowRevoked = false } = {},
): Promise<TokenWithOwner> {
  if (!isUuid(id)) throw notFound();
  const [row] = await tx
    .select({ token: tokens, owner: { username: users.username, displayName: users.displayName, role: users.role } })
    .from(tokens)
    .innerJoin(users, eq(users.id, tokens.userId))
    .where(tokenInReach(actor, id))
    .for("update", { of: tokens });
  if (!row) throw notFound();
  if (!allowRevoked && row.token.revokedAt) throw conflict("This token is revoked; a revoked token cannot be changed.");
  return row;
}
