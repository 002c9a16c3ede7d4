import type { RequestContext } from "@/lib/http/request-context";
import { consumeTokenRate, type RateDecision } from "./rate-limit";
import { addressMatcher } from "./restrictions";
import type { TokenPrincipal } from "./verify";

/** Whether a verified token may make this request, under its restrictions (SPEC §12). */
export type Admission =
  | { ok: true; rate: RateDecision | null }
  | { ok: false; reason: "ip_not_allowed" }
  | { ok: false; reason: "rate_limited"; rate: RateDecision };

/**
 * Applies a verified token's allowlist (against the client address the trusted proxies give,
 * lib/http/request-context.ts) and then its rate limit. An unrestricted token costs two null
 * checks; a refused address is not counted against the rate.
 */
export async function admitRequest(principal: TokenPrincipal, context: RequestContext): Promise<Admission> {
  const { allowedCidrs, rateLimitPerMinute } = principal.restrictions;
  if (allowedCidrs !== null && !addressMatcher(allowedCidrs)(context.ip)) return { ok: false, reason: "ip_not_allowed" };
  if (rateLimitPerMinute === null) return { ok: true, rate: null };
  // Counted per lineage: a rotation keeps the account SID (and the old value in its grace shares
  // the budget), so rotating does not start a fresh minute.
  const rate = await consumeTokenRate(`${principal.organizationId}:${principal.accountSid}`, rateLimitPerMinute);
  return rate.allowed ? { ok: true, rate } : { ok: false, reason: "rate_limited", rate };
}
