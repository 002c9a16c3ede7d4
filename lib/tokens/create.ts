import { and, eq } from "drizzle-orm";
import { z } from "zod";
import { getDb, type Executor } from "@/db";
import { isUniqueViolation } from "@/db/errors";
import { personalAccessTokens as tokens, retiredAccountSids } from "@/db/schema";
import type { Actor } from "@/lib/auth/actor";
import { recordChange } from "@/lib/audit/record";
import { invalid } from "@/lib/shared/errors";
import { notifyTokenCreatedFor } from "@/lib/notifications/token-events";
import { assertRestrictionsAllowed, resolveExpiration } from "@/lib/organizations/policy";
import { adminOnlyScopeIds, applicationForNewToken, assertScopesOffered, grantedFrom, recheckNewGrant } from "@/lib/applications/grant";
import { createTokenSchema, type CreateTokenInput } from "@/lib/validation/token";
import { assertOwnerMayHold, authorizeAccountSidChoice, authorizeRestrictions, authorizeTokenAction, mayCreateFor } from "./access";
import { generateAccountSid } from "./account-sid";
import { loadPolicy } from "@/lib/organizations/queries";
import { loadOwner } from "./owner";
import { storedAllowlist } from "./restrictions";
import { issueSecret } from "./secret";
import { applicationView, auditSnapshot, toTokenView, type TokenView, tokenTarget } from "./view";

export type CreatedToken = { token: TokenView; value: string };

export const ACCOUNT_SID_TAKEN = "This account SID is already used by another token of your organization.";

/**
 * Creates a token: an admin for any active user of the organization, anyone else for itself.
 * The value is returned once and never stored; the audit event commits with the token.
 */
export async function createToken(actor: Actor, input: CreateTokenInput, now = new Date()): Promise<CreatedToken> {
  const parsed = createTokenSchema.safeParse(input);
  if (!parsed.success) throw invalid(z.flattenError(parsed.error).fieldErrors);
  const { description, permissions, accountSid, expiresAt, applicationId } = parsed.data;
  const ownerId = parsed.data.userId ?? actor.userId;

  // May it create tokens at all. A token that may not read catalogs learns nothing of them: any
  // name it does not hold is the 403 it lacks (SPEC §8), before any catalog is read. One that may
  // read them learns of an unknown name as a field error (422) once the application is known.
  authorizeTokenAction(actor, "create");
  if (actor.token && !actor.token.permissions.includes("applications:read")) authorizeTokenAction(actor, "create", permissions);
  if (accountSid !== undefined) authorizeAccountSidChoice(actor);

  const db = await getDb();
  const owner = mayCreateFor(actor, ownerId) ? await loadOwner(db, actor, ownerId) : null;
  if (!owner || !owner.active) {
    throw invalid({ userId: ["Choose an active service rep of your organization."] });
  }
  const application = await applicationForNewToken(db, actor.organizationId, applicationId, permissions);
  // A token grants on Tessera API tokens only: for another application the answer is the same 403
  // whatever its catalog holds.
  if (!application.builtIn) authorizeTokenAction(actor, "create", permissions, application);
  assertScopesOffered(application, permissions);
  authorizeTokenAction(actor, "create", permissions, application);
  assertOwnerMayHold(permissions, adminOnlyScopeIds(application), owner.role);
  const policy = await loadPolicy(db, actor.organizationId);
  const expiration = resolveExpiration(policy, expiresAt, now);
  const restrictions = {
    allowedCidrs: storedAllowlist(parsed.data.allowedCidrs),
    rateLimitPerMinute: parsed.data.rateLimitPerMinute ?? null,
    validFrom: parsed.data.validFrom ?? null,
  };
  authorizeRestrictions(actor, restrictions);
  assertRestrictionsAllowed(policy, restrictions, { permissions, expiresAt: expiration });
  const secret = issueSecret();

  try {
    return await db.transaction(async (tx) => {
      // The application as it is now, held until the token is in: an archive or a deprecation
      // that committed since the checks above refuses the grant instead of missing it.
      const held = await recheckNewGrant(tx, actor.organizationId, application.id, permissions);
      if (accountSid !== undefined && (await accountSidEverUsed(tx, actor.organizationId, accountSid))) {
        throw invalid({ accountSid: [ACCOUNT_SID_TAKEN] });
      }
      const [token] = await tx
        .insert(tokens)
        .values({
          organizationId: actor.organizationId,
          userId: owner.id,
          applicationId: application.id,
          createdById: actor.userId,
          description,
          accountSid: accountSid ?? generateAccountSid(),
          permissions,
          expiresAt: expiration,
          ...restrictions,
          secretHash: secret.secretHash,
          hashKeyVersion: secret.hashKeyVersion,
          hint: secret.hint,
        })
        .returning();
      if (!token) throw new Error("token insert returned no row");
      await recordChange(tx, actor, "token.created", tokenTarget(token), auditSnapshot(token));
      await notifyTokenCreatedFor(tx, actor, token);
      const view = toTokenView({ token, owner, application: applicationView(held), granted: grantedFrom(held, permissions) }, now);
      return { token: view, value: secret.value };
    });
  } catch (error) {
    if (isUniqueViolation(error, "pat_org_account_sid_key")) throw invalid({ accountSid: [ACCOUNT_SID_TAKEN] });
    throw error;
  }
}

/**
 * A chosen SID names one token's lineage for good: resource servers may still hold grants for
 * a revoked or deleted token's SID, so no other token may take it over. (A regenerated successor
 * keeps its predecessor's SID; it is the same lineage and never comes through here.) The partial
 * unique index on live tokens settles two concurrent creates.
 */
async function accountSidEverUsed(executor: Executor, organizationId: string, accountSid: string): Promise<boolean> {
  const [row] = await executor
    .select({ id: tokens.id })
    .from(tokens)
    .where(and(eq(tokens.organizationId, organizationId), eq(tokens.accountSid, accountSid)))
    .limit(1);
  if (row !== undefined) return true;
  const [retired] = await executor
    .select({ accountSid: retiredAccountSids.accountSid })
    .from(retiredAccountSids)
    .where(and(eq(retiredAccountSids.organizationId, organizationId), eq(retiredAccountSids.accountSid, accountSid)))
    .limit(1);
  return retired !== undefined;
}
