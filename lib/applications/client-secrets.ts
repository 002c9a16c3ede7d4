import { randomBytes } from "node:crypto";
import { and, asc, eq, isNull } from "drizzle-orm";
import { getDb } from "@/db";
import { applications, applicationSecrets, organizations } from "@/db/schema";
import { assertCurrentValue, type Actor } from "@/lib/auth/actor";
import { recordChange } from "@/lib/audit/record";
import { getEnv } from "@/lib/env";
import { conflict, forbidden, notFound } from "@/lib/shared/errors";
import { isUuid } from "@/lib/shared/ids";
import { hashToken, tokenHint } from "@/lib/tokens/hash";
import { assertNotBuiltIn, authorizeApplications } from "./access";
import { applicationTarget, lockApplication } from "./change";
import { LIVE_SECRETS_MAX } from "./client-secret-limits";
import type { ClientSecretView } from "./queries";

// Client credentials of an application's resource servers (SPEC §9, RFC 7662 §2.1 with HTTP
// Basic). A secret is shown once and stored as a keyed hash, like token values; two may be live
// at a time, so a resource server can move to a new one before the old one is revoked.

const SECRET_PREFIX = "tcs_";
const SECRET_PATTERN = /^tcs_[A-Za-z0-9_-]{43}$/;

export type CreatedClientSecret = { secret: ClientSecretView; value: string };

/** A new client secret for an application (at most two live), audited; the value is returned once. */
export async function createClientSecret(actor: Actor, applicationId: string, now = new Date()): Promise<CreatedClientSecret> {
  authorizeApplications(actor, "write");
  assertCurrentValue(actor);
  // A client secret works from any address: a token limited to some may not mint one (SPEC §12).
  if (actor.token?.restrictions.allowedCidrs) {
    throw forbidden("This token may be used only from certain IP addresses, so it cannot create client secrets, which work from anywhere.");
  }
  const value = `${SECRET_PREFIX}${randomBytes(32).toString("base64url")}`;
  const key = getEnv().tokenHashKey;
  const db = await getDb();
  return db.transaction(async (tx) => {
    const application = await lockApplication(tx, actor, applicationId);
    assertNotBuiltIn(application);
    if (application.archivedAt) throw conflict(`${application.name} is archived: unarchive it before creating a client secret.`);
    const live = await tx
      .select({ id: applicationSecrets.id })
      .from(applicationSecrets)
      .where(and(eq(applicationSecrets.applicationId, application.id), isNull(applicationSecrets.revokedAt)));
    if (live.length >= LIVE_SECRETS_MAX) {
      throw conflict(`${application.name} already has ${LIVE_SECRETS_MAX} live client secrets: revoke one before creating another.`);
    }
    const [secret] = await tx
      .insert(applicationSecrets)
      .values({
        organizationId: actor.organizationId,
        applicationId: application.id,
        secretHash: hashToken(value, key),
        hashKeyVersion: key.version,
        hint: tokenHint(value),
        createdById: actor.userId,
        createdAt: now,
      })
      .returning();
    if (!secret) throw new Error("client secret insert returned no row");
    await recordChange(tx, actor, "application.secret_created", applicationTarget(application), { secretId: secret.id, hint: secret.hint });
    return { secret: { id: secret.id, hint: secret.hint, createdAt: secret.createdAt.toISOString(), lastUsedAt: null }, value };
  });
}

/** Revokes one client secret of an application, at once and for good, audited. */
export async function revokeClientSecret(actor: Actor, applicationId: string, secretId: string, now = new Date()): Promise<void> {
  authorizeApplications(actor, "write");
  if (!isUuid(applicationId) || !isUuid(secretId)) throw notFound("Client secret");
  const db = await getDb();
  await db.transaction(async (tx) => {
    const [revoked] = await tx
      .update(applicationSecrets)
      .set({ revokedAt: now })
      .where(
        and(
          eq(applicationSecrets.organizationId, actor.organizationId),
          eq(applicationSecrets.applicationId, applicationId),
          eq(applicationSecrets.id, secretId),
          isNull(applicationSecrets.revokedAt),
        ),
      )
      .returning();
    if (!revoked) throw notFound("Client secret");
    await recordChange(tx, actor, "application.secret_revoked", applicationTarget({ id: applicationId }), {
      secretId: revoked.id,
      hint: revoked.hint,
    });
  });
}

/** An application authenticated by its client credentials: what introspection answers for. */
export type ClientApplication = { organizationId: string; organizationSlug: string; applicationId: string; audience: string };

const LAST_USED_EVERY_MS = 60_000;

/**
 * The application these client credentials belong to, or null: an unknown client id, a wrong,
 * revoked or malformed secret, an archived application or an inactive organization all look alike.
 * The secret is looked up by its keyed hash (under the current key, then the previous one), so
 * no comparison of secrets happens in JavaScript.
 */
export async function authenticateClient(clientId: string, clientSecret: string, now = new Date()): Promise<ClientApplication | null> {
  if (!isUuid(clientId) || !SECRET_PATTERN.test(clientSecret)) return null;
  const { tokenHashKey, previousTokenHashKey } = getEnv();
  const db = await getDb();
  for (const key of previousTokenHashKey ? [tokenHashKey, previousTokenHashKey] : [tokenHashKey]) {
    const secretHash = hashToken(clientSecret, key);
    const [row] = await db
      .select({
        secretId: applicationSecrets.id,
        lastUsedAt: applicationSecrets.lastUsedAt,
        organizationId: applications.organizationId,
        organizationSlug: organizations.slug,
        applicationId: applications.id,
        audience: applications.audience,
      })
      .from(applicationSecrets)
      .innerJoin(
        applications,
        and(eq(applications.organizationId, applicationSecrets.organizationId), eq(applications.id, applicationSecrets.applicationId)),
      )
      .innerJoin(organizations, eq(organizations.id, applications.organizationId))
      .where(
        and(
          eq(applicationSecrets.secretHash, secretHash),
          eq(applicationSecrets.applicationId, clientId),
          isNull(applicationSecrets.revokedAt),
          isNull(applications.archivedAt),
          eq(organizations.active, true),
        ),
      )
      .orderBy(asc(applicationSecrets.createdAt))
      .limit(1);
    if (!row || row.audience === null) continue;
    if (key !== tokenHashKey) {
      // Found under the key being rotated out: moved to the current key at once (guarded by the
      // old hash, so concurrent first uses are harmless), as token values are.
      await db
        .update(applicationSecrets)
        .set({ secretHash: hashToken(clientSecret, tokenHashKey), hashKeyVersion: tokenHashKey.version, lastUsedAt: now })
        .where(and(eq(applicationSecrets.id, row.secretId), eq(applicationSecrets.secretHash, secretHash)));
    } else if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() >= LAST_USED_EVERY_MS) {
      await db.update(applicationSecrets).set({ lastUsedAt: now }).where(eq(applicationSecrets.id, row.secretId));
    }
    return {
      organizationId: row.organizationId,
      organizationSlug: row.organizationSlug,
      applicationId: row.applicationId,
      audience: row.audience,
    };
  }
  return null;
}
