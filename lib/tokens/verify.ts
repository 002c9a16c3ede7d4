import { and, eq, sql, type SQL } from "drizzle-orm";
import { getDb, type Database } from "@/db";
import { applications, organizations, personalAccessTokens as tokens, users } from "@/db/schema";
import { adminOnlyScopesOfToken, applicationOfToken, liveScopesOfToken } from "@/lib/applications/granted-scopes-sql";
import { effectiveScopes, tesseraPermissions } from "@/lib/applications/scopes";
import { getEnv } from "@/lib/env";
import type { Permission, Role } from "@/lib/permissions/catalog";
import { isWellFormedToken } from "./format";
import { hashToken } from "./hash";
import { verificationCache, type VerificationCache, type VerificationRecord } from "./verification-cache";

/** A token that may act right now, with what it may do. */
export type TokenPrincipal = {
  tokenId: string;
  organizationId: string;
  organizationSlug: string;
  userId: string;
  username: string;
  role: Role;
  application: { id: string; slug: string; builtIn: boolean; audience: string };
  accountSid: string;
  description: string;
  /** Its effective scopes (SPEC §9): stored ∩ the application's live scopes ∩ the owner's role. */
  permissions: string[];
  /** What Tessera's own API lets it do: its permissions if it is a Tessera API token, else none. */
  apiPermissions: Permission[];
  expiresAt: Date | null;
  createdAt: Date;
  /** Where it may be used from, and how often (SPEC §12); lib/tokens/admission.ts applies them. */
  restrictions: { allowedCidrs: string[] | null; rateLimitPerMinute: number | null };
  /**
   * A rotated-out value in its grace period (SPEC §14): it acts as its lineage's current token, no
   * more, and may call APIs but never create or change a token (lib/tokens/access.ts).
   */
  rotatedOut: boolean;
};

export type VerifyFailure =
  | "malformed"
  | "unknown"
  | "revoked"
  // A rotated-out value used after its grace period (SPEC §11): refused, and reported as reuse.
  | "reused"
  | "expired"
  | "inactive"
  | "owner_inactive"
  | "organization_inactive"
  | "application_archived"
  // Restrictions (SPEC §12): before its valid-from time, and from an address outside its allowlist.
  | "not_yet_valid"
  | "ip_not_allowed"
  // Client credentials that authenticate no application (lib/oauth/client-auth.ts).
  | "invalid_client";
export type VerifyResult =
  { ok: true; principal: TokenPrincipal } | { ok: false; reason: VerifyFailure; tokenId?: string; organizationId?: string };

/**
 * SPEC §4's verification order: shape and checksum first (no database work for a malformed
 * value), then the keyed-hash lookup — from the instance's cache when it holds the token — then
 * state, owner and organization, evaluated on every call (so expiry needs no invalidation).
 * Callers must answer every failure the same way; the reason is for audit and logs only.
 */
export async function verifyToken(value: unknown, now = new Date()): Promise<VerifyResult> {
  return verifyWith(async () => ({ db: await getDb(), cache: await verificationCache() }), value, now);
}

type Instance = { db: Database; cache: VerificationCache | null };

/**
 * Verification against one "instance" — a database and a cache (tests run two side by side).
 * The instance is asked for only once the value has passed the shape and checksum check.
 */
export async function verifyWith(instanceOf: () => Promise<Instance>, value: unknown, now = new Date()): Promise<VerifyResult> {
  if (!isWellFormedToken(value)) return { ok: false, reason: "malformed" };
  const instance = await instanceOf();
  const { cache } = instance;
  const secretHash = hashToken(value, getEnv().tokenHashKey);
  let record = cache?.get(secretHash);
  if (!record) {
    const epoch = cache?.currentEpoch ?? 0;
    record = await lookUpRecord(instance.db, value, secretHash);
    if (!record) return { ok: false, reason: "unknown" };
    if (cache && failureOf(record, now) === null) cache.set(secretHash, record, epoch);
  }
  const failure = failureOf(record, now);
  if (failure) return { ok: false, reason: failure, tokenId: record.tokenId, organizationId: record.organizationId };
  return { ok: true, principal: principalOf(record) };
}

/**
 * What a usable token may do: its record with the effective permissions of the owner's role now.
 * A rotated-out value in its grace acts as its lineage's current token (SPEC §14): that token's
 * restrictions, and only the permissions both hold.
 */
export function principalOf(record: VerificationRecord): TokenPrincipal {
  const effective = (of: VerificationRecord) =>
    effectiveScopes({ live: of.liveScopes, adminOnly: of.adminOnlyScopes, archived: of.applicationArchived }, of.role);
  const current = record.rotatedAt ? record.current : null;
  const currentPermissions = current ? new Set(effective(current)) : null;
  const permissions = effective(record).filter((permission) => currentPermissions?.has(permission) ?? true);
  const restricting = current ?? record;
  return {
    tokenId: record.tokenId,
    organizationId: record.organizationId,
    organizationSlug: record.organizationSlug,
    userId: record.userId,
    username: record.username,
    role: record.role,
    application: {
      id: record.applicationId,
      slug: record.applicationSlug,
      builtIn: record.applicationBuiltIn,
      audience: record.applicationAudience ?? getEnv().oauth.issuer,
    },
    accountSid: record.accountSid,
    description: record.description,
    permissions,
    apiPermissions: tesseraPermissions(permissions, record.applicationBuiltIn),
    // A value in its grace stops at the end of it (or its current token's expiry, if sooner), so a
    // JWT exchanged for it cannot outlive it.
    expiresAt: earliest([record.expiresAt, current ? record.graceUntil : null, current?.expiresAt ?? null]),
    createdAt: record.createdAt,
    restrictions: { allowedCidrs: restricting.allowedCidrs, rateLimitPerMinute: restricting.rateLimitPerMinute },
    rotatedOut: record.rotatedAt !== null,
  };
}

const earliest = (dates: (Date | null)[]): Date | null =>
  dates.reduce<Date | null>((soonest, date) => (date && (!soonest || date < soonest) ? date : soonest), null);

/**
 * Why a token cannot act right now (SPEC §4 order), or null when it can. A rotated-out value in
 * its grace is one credential with its lineage's current token (SPEC §14): refused whenever that
 * token would be — switched off, revoked, deleted, expired, its restrictions' valid-from ahead.
 */
export function failureOf(record: VerificationRecord, now: Date): VerifyFailure | null {
  if (record.revokedAt) {
    if (!record.rotatedAt) return "revoked";
    if (!isInGrace(record, now)) return isReuse(record, now) ? "reused" : "revoked";
  }
  if (record.expiresAt && record.expiresAt.getTime() <= now.getTime()) return "expired";
  if (!record.active) return "inactive";
  if (!record.ownerActive) return "owner_inactive";
  if (!record.organizationActive) return "organization_inactive";
  if (record.applicationArchived) return "application_archived";
  if (record.validFrom && record.validFrom.getTime() > now.getTime()) return "not_yet_valid";
  if (record.rotatedAt) {
    // Deleted, or a lineage longer than verification follows: nothing vouches for this value.
    if (!record.current || record.current.rotatedAt) return "revoked";
    return failureOf(record.current, now);
  }
  return null;
}

/**
 * A rotated-out value is reported as reused for this long after its grace ended; later it is
 * simply revoked, so a value rotated out long ago cannot keep raising alarms (or, under the
 * policy, switching its successor off) for ever.
 */
export const REUSE_WINDOW_MS = 30 * 86_400_000;

function isReuse(record: Pick<VerificationRecord, "graceUntil" | "rotatedAt">, now: Date): boolean {
  const ended = record.graceUntil ?? record.rotatedAt;
  return ended !== null && now.getTime() - ended.getTime() < REUSE_WINDOW_MS;
}

/** A rotated-out value still within its grace period. */
export function isInGrace(record: Pick<VerificationRecord, "rotatedAt" | "graceUntil">, now: Date): boolean {
  return record.rotatedAt !== null && record.graceUntil !== null && record.graceUntil.getTime() > now.getTime();
}

async function loadRecord(db: Database, secretHash: string): Promise<VerificationRecord | undefined> {
  return readVerificationRecord(db, eq(tokens.secretHash, secretHash));
}

/**
 * The token with this value, under the current hash key or else the previous one (a key being
 * rotated out). A token found under the previous key is moved to the current key at once; the
 * UPDATE is guarded by the old hash, so concurrent first uses on several instances are harmless,
 * and a use that misses under both keys looks again under the current one, where a concurrent
 * first use may have just moved it.
 * It runs once per token, so it is simply awaited.
 */
async function lookUpRecord(db: Database, value: string, currentHash: string): Promise<VerificationRecord | undefined> {
  const { tokenHashKey, previousTokenHashKey } = getEnv();
  const record = await loadRecord(db, currentHash);
  if (record || !previousTokenHashKey) return record;
  const previousHash = hashToken(value, previousTokenHashKey);
  const previous = await loadRecord(db, previousHash);
  // Not under either key when we looked: a concurrent first use may have moved it in between.
  if (!previous) return loadRecord(db, currentHash);
  await db
    .update(tokens)
    .set({ secretHash: currentHash, hashKeyVersion: tokenHashKey.version })
    .where(and(eq(tokens.id, previous.tokenId), eq(tokens.secretHash, previousHash)));
  return previous;
}

/** How many rotations verification follows from a rotated-out value to its lineage's current token. */
const MAX_LINEAGE_STEPS = 8;

/**
 * One token with its owner's and organization's state, as verification needs it; for a rotated-out
 * value, also its lineage's current token (the successor of its successor…), which it acts as.
 */
export async function readVerificationRecord(db: Database, where: SQL): Promise<VerificationRecord | undefined> {
  const record = await readTokenState(db, where);
  if (!record?.rotatedAt) return record;
  let current: VerificationRecord | undefined = record;
  for (let step = 0; step < MAX_LINEAGE_STEPS && current?.rotatedAt; step += 1) {
    current = await readTokenState(
      db,
      and(eq(tokens.organizationId, current.organizationId), eq(tokens.rotatedFromId, current.tokenId)) as SQL,
    );
  }
  return { ...record, current: current ?? null };
}

async function readTokenState(db: Database, where: SQL): Promise<VerificationRecord | undefined> {
  const [row] = await db
    .select({
      tokenId: tokens.id,
      organizationId: tokens.organizationId,
      organizationSlug: organizations.slug,
      organizationActive: organizations.active,
      userId: tokens.userId,
      username: users.username,
      role: users.role,
      ownerActive: users.active,
      applicationId: tokens.applicationId,
      applicationSlug: applications.slug,
      applicationAudience: applications.audience,
      applicationBuiltIn: applications.builtIn,
      applicationArchived: sql<boolean>`${applications.archivedAt} is not null`,
      accountSid: tokens.accountSid,
      description: tokens.description,
      liveScopes: liveScopesOfToken,
      adminOnlyScopes: adminOnlyScopesOfToken,
      active: tokens.active,
      revokedAt: tokens.revokedAt,
      rotatedAt: tokens.rotatedAt,
      graceUntil: tokens.graceUntil,
      expiresAt: tokens.expiresAt,
      createdAt: tokens.createdAt,
      allowedCidrs: tokens.allowedCidrs,
      rateLimitPerMinute: tokens.rateLimitPerMinute,
      validFrom: tokens.validFrom,
    })
    .from(tokens)
    .innerJoin(users, eq(users.id, tokens.userId))
    .innerJoin(organizations, eq(organizations.id, tokens.organizationId))
    .innerJoin(applications, applicationOfToken)
    .where(where)
    .limit(1);
  return row ? { ...row, current: null } : undefined;
}
