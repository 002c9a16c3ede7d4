import { eq } from "drizzle-orm";
import { getDb } from "@/db";
import { organizations, personalAccessTokens as tokens, users } from "@/db/schema";
import { getEnv } from "@/lib/env";
import { effectivePermissions, type Permission, type Role } from "@/lib/permissions";
import { isWellFormedToken } from "./format";
import { hashToken } from "./hash";

/** A token that may act right now, with what it may do. */
export type TokenPrincipal = {
  tokenId: string;
  organizationId: string;
  organizationSlug: string;
  userId: string;
  username: string;
  role: Role;
  accountSid: string;
  description: string;
  permissions: Permission[];
  expiresAt: Date | null;
  createdAt: Date;
};

export type VerifyFailure = "malformed" | "unknown" | "revoked" | "expired" | "inactive" | "owner_inactive" | "organization_inactive";
export type VerifyResult = { ok: true; principal: TokenPrincipal } | { ok: false; reason: VerifyFailure; tokenId?: string; organizationId?: string };

/**
 * SPEC §4's verification order: shape and checksum first (no database work for a malformed
 * value), then the keyed-hash lookup, then state, owner and organization. Callers must answer
 * every failure the same way; the reason is for audit and logs only.
 */
export async function verifyToken(value: unknown, now = new Date()): Promise<VerifyResult> {
  if (!isWellFormedToken(value)) return { ok: false, reason: "malformed" };
  const db = await getDb();
  const [row] = await db
    .select({
      token: tokens,
      owner: { username: users.username, role: users.role, active: users.active },
      organization: { slug: organizations.slug, active: organizations.active },
    })
    .from(tokens)
    .innerJoin(users, eq(users.id, tokens.userId))
    .innerJoin(organizations, eq(organizations.id, tokens.organizationId))
    .where(eq(tokens.secretHash, hashToken(value, getEnv().tokenHashKey)))
    .limit(1);
  if (!row) return { ok: false, reason: "unknown" };
  const { token, owner, organization } = row;
  const failure: VerifyFailure | null = token.revokedAt
    ? "revoked"
    : token.expiresAt && token.expiresAt.getTime() <= now.getTime()
      ? "expired"
      : !token.active
        ? "inactive"
        : !owner.active
          ? "owner_inactive"
          : !organization.active
            ? "organization_inactive"
            : null;
  if (failure) return { ok: false, reason: failure, tokenId: token.id, organizationId: token.organizationId };
  return {
    ok: true,
    principal: {
      tokenId: token.id,
      organizationId: token.organizationId,
      organizationSlug: organization.slug,
      userId: token.userId,
      username: owner.username,
      role: owner.role,
      accountSid: token.accountSid,
      description: token.description,
      permissions: effectivePermissions(token.permissions, owner.role),
      expiresAt: token.expiresAt,
      createdAt: token.createdAt,
    },
  };
}
