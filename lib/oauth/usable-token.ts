import { and, eq } from "drizzle-orm";
import { getDb } from "@/db";
import { organizations, personalAccessTokens as tokens, users } from "@/db/schema";
import { effectivePermissions } from "@/lib/permissions";
import { deriveTokenState } from "@/lib/tokens/state";
import type { TokenPrincipal } from "@/lib/tokens/verify";

/**
 * The PAT behind an exchanged JWT, by id within one organization, if it could still act right
 * now (active, not revoked or expired, owner and organization active) — the same conditions
 * verifyToken applies to the value itself. Another organization's token is simply not found.
 */
export async function loadUsableToken(organizationId: string, tokenId: string, now = new Date()): Promise<TokenPrincipal | null> {
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
    .where(and(eq(tokens.organizationId, organizationId), eq(tokens.id, tokenId)))
    .limit(1);
  if (!row) return null;
  const { token, owner, organization } = row;
  if (deriveTokenState(token, now) !== "active" || !owner.active || !organization.active) return null;
  return {
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
  };
}
