import { z } from "zod";
import { getDb } from "@/db";
import { isUniqueViolation } from "@/db/errors";
import { personalAccessTokens as tokens } from "@/db/schema";
import type { Actor } from "@/lib/actor";
import { invalid } from "@/lib/errors";
import { notifyTokenCreatedFor } from "@/lib/notifications/token-events";
import { disallowedPermissions } from "@/lib/permissions";
import { resolveExpiration } from "@/lib/policy";
import { createTokenSchema, type CreateTokenInput } from "@/lib/validation/token";
import { generateAccountSid } from "./account-sid";
import { auditTokenChange } from "./audit-token";
import { loadOwner, loadPolicy } from "./scope";
import { issueSecret } from "./secret";
import { auditSnapshot, toTokenView, type TokenView } from "./view";

export type CreatedToken = { token: TokenView; value: string };

export const ACCOUNT_SID_TAKEN = "This account SID is already used by another token of your organization.";

/**
 * Creates a token: an admin for any active user of the organization, anyone else for itself.
 * The value is returned once and never stored; the audit event commits with the token.
 */
export async function createToken(actor: Actor, input: CreateTokenInput, now = new Date()): Promise<CreatedToken> {
  const parsed = createTokenSchema.safeParse(input);
  if (!parsed.success) throw invalid(z.flattenError(parsed.error).fieldErrors);
  const { description, permissions, accountSid, expiresAt } = parsed.data;
  const ownerId = parsed.data.userId ?? actor.userId;

  const db = await getDb();
  const owner = await loadOwner(db, actor, ownerId);
  if (!owner || !owner.active || (actor.reach === "own" && owner.id !== actor.userId)) {
    throw invalid({ userId: ["Choose an active service rep of your organization."] });
  }
  const refused = disallowedPermissions(permissions, owner.role);
  if (refused.length > 0) {
    throw invalid({ permissions: [`A service rep cannot hold ${refused.join(", ")}.`] });
  }
  const expiration = resolveExpiration(await loadPolicy(db, actor.organizationId), expiresAt, now);
  const secret = issueSecret();

  try {
    return await db.transaction(async (tx) => {
      const [token] = await tx
        .insert(tokens)
        .values({
          organizationId: actor.organizationId,
          userId: owner.id,
          createdById: actor.userId,
          description,
          accountSid: accountSid ?? generateAccountSid(),
          permissions,
          expiresAt: expiration,
          secretHash: secret.secretHash,
          hashKeyVersion: secret.hashKeyVersion,
          hint: secret.hint,
        })
        .returning();
      if (!token) throw new Error("token insert returned no row");
      await auditTokenChange(tx, actor, "token.created", token, auditSnapshot(token));
      await notifyTokenCreatedFor(tx, actor, token);
      const view = toTokenView({ token, owner }, now);
      return { token: view, value: secret.value };
    });
  } catch (error) {
    if (isUniqueViolation(error, "pat_org_account_sid_key")) throw invalid({ accountSid: [ACCOUNT_SID_TAKEN] });
    throw error;
  }
}
