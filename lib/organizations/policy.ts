import type { Organization } from "@/db/schema";
import { invalid } from "@/lib/shared/errors";
import { addDays, endOfUtcDay } from "@/lib/shared/time";
import { holdsWritePermission, rangesWiderThan } from "@/lib/tokens/restrictions";

export type TokenPolicy = Pick<
  Organization,
  | "maxLifetimeDays"
  | "requireExpiration"
  | "defaultLifetimeDays"
  | "expiryNoticeDays"
  | "maxGraceDays"
  | "deactivateSuccessorOnReuse"
  | "revokeUnusedAfterDays"
  | "maxRateLimitPerMinute"
  | "requireAllowlistForWrite"
  | "allowlistMinPrefixV4"
  | "allowlistMinPrefixV6"
>;

/**
 * The expiration a new or edited token gets under the organization's policy:
 * `undefined` asks for the default, `null` for no expiration. Throws a field error on violation.
 * The maximum lifetime counts from `createdAt` (an edited token's creation; now for a new one),
 * so editing can never stretch a token beyond the lifetime the policy allows it.
 */
export function resolveExpiration(policy: TokenPolicy, requested: Date | null | undefined, now: Date, createdAt: Date = now): Date | null {
  if (requested === undefined) {
    const days = policy.defaultLifetimeDays ?? (policy.requireExpiration ? policy.maxLifetimeDays : null);
    if (days === null || days === undefined) return null;
    return addDays(now, policy.maxLifetimeDays === null ? days : Math.min(days, policy.maxLifetimeDays));
  }
  if (requested === null) {
    if (policy.requireExpiration || policy.maxLifetimeDays !== null) {
      throw invalid({ expiresAt: ["Your organization requires tokens to expire; choose an expiration."] });
    }
    return null;
  }
  if (requested.getTime() <= now.getTime()) {
    throw invalid({ expiresAt: ["Choose an expiration in the future."] });
  }
  // A date picked in the UI means "through the end of that day", so the limit is that day's end.
  if (policy.maxLifetimeDays !== null && requested.getTime() > endOfUtcDay(addDays(createdAt, policy.maxLifetimeDays)).getTime()) {
    const latest = endOfUtcDay(addDays(createdAt, policy.maxLifetimeDays)).toISOString().slice(0, 10);
    throw invalid({
      expiresAt: [
        createdAt === now
          ? `Your organization allows tokens to live at most ${policy.maxLifetimeDays} days.`
          : `Your organization allows tokens to live at most ${policy.maxLifetimeDays} days; this one may expire on ${latest} at the latest.`,
      ],
    });
  }
  return requested;
}

/**
 * Whether a token breaks the current policy: no expiration where one is required, a lifetime (from
 * its creation) beyond the maximum, or write or admin power without the allowed IP addresses the
 * policy requires. Such tokens are flagged, never silently revoked.
 * lib/tokens/queries.ts filters by the same rule in SQL.
 */
export function isOutsidePolicy(
  policy: TokenPolicy,
  token: { createdAt: Date; expiresAt: Date | null; permissions?: readonly string[]; allowedCidrs?: readonly string[] | null },
): boolean {
  if (policy.requireAllowlistForWrite && holdsWritePermission(token.permissions ?? [])) {
    if (!token.allowedCidrs || rangesWiderThan(token.allowedCidrs, minimumPrefixes(policy)).length > 0) return true;
  }
  if (token.expiresAt === null) return policy.requireExpiration || policy.maxLifetimeDays !== null;
  if (policy.maxLifetimeDays === null) return false;
  return token.expiresAt.getTime() > endOfUtcDay(addDays(token.createdAt, policy.maxLifetimeDays)).getTime();
}

/** A token's restrictions (SPEC §12) as stored: null for "none". */
export type TokenRestrictions = { allowedCidrs: string[] | null; rateLimitPerMinute: number | null; validFrom: Date | null };

/**
 * Holds a token's restrictions to the policy and to its own expiration: a rate limit within the
 * organization's maximum, a start before the end, and — when the policy asks — allowed IP
 * addresses for a token holding any `:write` permission. Throws field errors.
 */
export function assertRestrictionsAllowed(
  policy: TokenPolicy,
  restrictions: TokenRestrictions,
  token: { permissions: readonly string[]; expiresAt: Date | null },
): void {
  const errors: Record<string, string[]> = {};
  if (restrictions.rateLimitPerMinute !== null && restrictions.rateLimitPerMinute > policy.maxRateLimitPerMinute) {
    errors.rateLimitPerMinute = [`Your organization allows at most ${policy.maxRateLimitPerMinute} requests per minute.`];
  }
  if (restrictions.validFrom !== null && token.expiresAt !== null && restrictions.validFrom.getTime() >= token.expiresAt.getTime()) {
    errors.validFrom = ["Choose a start before the token expires."];
  }
  if (policy.requireAllowlistForWrite && holdsWritePermission(token.permissions)) {
    const minimum = minimumPrefixes(policy);
    const wide = restrictions.allowedCidrs ? rangesWiderThan(restrictions.allowedCidrs, minimum) : [];
    if (restrictions.allowedCidrs === null) {
      errors.allowedCidrs = ["Your organization requires allowed IP addresses for tokens with write or admin permissions."];
    } else if (wide.length > 0) {
      errors.allowedCidrs = [
        `Your organization allows ranges no wider than /${minimum.v4} (IPv4) and /${minimum.v6} (IPv6) for tokens with write or admin permissions: ${wide.join(", ")} ${wide.length === 1 ? "is" : "are"} wider.`,
      ];
    }
  }
  if (Object.keys(errors).length > 0) throw invalid(errors);
}

/** The shortest prefix per family an allowlist may name under the policy (SPEC §14). */
export const minimumPrefixes = (policy: Pick<TokenPolicy, "allowlistMinPrefixV4" | "allowlistMinPrefixV6">) => ({
  v4: policy.allowlistMinPrefixV4,
  v6: policy.allowlistMinPrefixV6,
});
