import { and, eq, isNull, sql } from "drizzle-orm";
import { RateLimiterDrizzle, RateLimiterRes } from "rate-limiter-flexible";
import { getDb } from "@/db";
import { isDatabaseUnavailable } from "@/db/availability";
import { auditEvents, rateLimits } from "@/db/schema";
import { recordCountedAuditEvent } from "@/lib/audit/record";
import type { RequestContext } from "@/lib/http/request-context";
import { noteTokenFailure } from "@/lib/tokens/last-used";
import { reportTokenReuse } from "@/lib/tokens/reuse";
import type { VerifyResult } from "@/lib/tokens/verify";
import { processSingleton } from "@/lib/shared/process-singleton";

export type FailedVerification = Extract<VerifyResult, { ok: false }>;

/**
 * What follows a token that failed to authenticate, wherever it was presented (API calls and
 * token exchange alike). Returns the seconds the address must wait, or 0. Only failures come
 * here: a valid token always passes, even from a blocked address — the limit protects the
 * service from guessing traffic and must never slow real callers. (A value has 190 random bits;
 * the limit is not what stops anyone guessing one.)
 */
export async function handleAuthFailure(failure: FailedVerification, context: RequestContext, now = new Date()): Promise<number> {
  if (failure.tokenId !== undefined && failure.organizationId !== undefined) {
    noteTokenFailure({ tokenId: failure.tokenId, organizationId: failure.organizationId }, now);
  }
  const wait = blockedFor(context.ip);
  // A blocked address costs no more database work, except for a value that names a real token:
  // that failure is still audited, so nobody can block their own address first and then find out
  // which stolen tokens still work without leaving a trace.
  if (wait === 0 || failure.tokenId !== undefined) await auditAuthFailure(failure, context, now);
  // A rotated-out value used after its grace: recorded, the owner and admins told (at most once an
  // hour, lib/tokens/reuse.ts) and the policy applied, from a blocked address too.
  if (failure.reason === "reused" && failure.tokenId !== undefined && failure.organizationId !== undefined) {
    await reportTokenReuse({ tokenId: failure.tokenId, organizationId: failure.organizationId }, context, now);
  }
  if (wait > 0) return wait;
  return recordAuthFailure(context.ip);
}

// Failed API authentications per client address, counted in the database so every instance
// shares them. A blocked address is remembered in memory too, so a blocked caller costs no
// database work and valid tokens never wait on the limiter.
const FAILURES_PER_MINUTE = 30;
type Limiter = InstanceType<typeof RateLimiterDrizzle>;
const processLimiter = processSingleton<Promise<Limiter>>("apiAuthLimiter");
const blockedAddresses = processSingleton<Map<string, number>>("apiAuthBlocked");

function limiter(): Promise<Limiter> {
  return processLimiter.getOrCreate(() =>
    getDb().then(
      (db) =>
        new RateLimiterDrizzle({
          storeClient: db,
          schema: rateLimits,
          keyPrefix: "api-auth",
          points: FAILURES_PER_MINUTE,
          duration: 60,
        }),
    ),
  );
}

const blocked = () => blockedAddresses.getOrCreate(() => new Map());
const keyOf = (ip: string | null) => ip ?? "unknown";

/** Seconds until this address may try again, without touching the database; 0 if not blocked. */
function blockedFor(ip: string | null, now = Date.now()): number {
  const until = blocked().get(keyOf(ip));
  if (until === undefined) return 0;
  if (until <= now) {
    blocked().delete(keyOf(ip));
    return 0;
  }
  return Math.ceil((until - now) / 1000);
}

/** Counts a failed authentication; returns seconds to wait when the address is now blocked, else 0. */
async function recordAuthFailure(ip: string | null): Promise<number> {
  try {
    await (await limiter()).consume(keyOf(ip));
    return 0;
  } catch (rejection) {
    // Without the database the failure cannot be counted; the caller still gets its 401.
    if (isDatabaseUnavailable(rejection)) return 0;
    if (!(rejection instanceof RateLimiterRes)) throw rejection;
    if (blocked().size > 10_000) blocked().clear(); // bounded: an attacker cannot grow it forever
    blocked().set(keyOf(ip), Date.now() + rejection.msBeforeNext);
    return Math.max(1, Math.ceil(rejection.msBeforeNext / 1000));
  }
}

/**
 * One `auth.failed` event per token, client address and reason — or, for a value that matches no
 * token, per address — per minute, whose `details.count` each later failure in that minute
 * increments: a leaked, revoked token in a busy job cannot flood the audit log, and every address
 * that used it still shows (lib/audit/record.ts, recordCountedAuditEvent). Malformed values are not
 * audited (no token, no work; the address limit counts them).
 */
async function auditAuthFailure(failure: FailedVerification, context: RequestContext, now: Date): Promise<void> {
  if (failure.reason === "malformed") return;
  const { tokenId, organizationId } = failure;
  const byToken = tokenId !== undefined && organizationId !== undefined;
  const subject = byToken
    ? and(eq(auditEvents.organizationId, organizationId), eq(auditEvents.targetType, "token"), eq(auditEvents.targetId, tokenId))
    : and(isNull(auditEvents.organizationId), isNull(auditEvents.targetId));
  await recordCountedAuditEvent(
    {
      organizationId: organizationId ?? null,
      action: "auth.failed",
      ...(byToken ? { actorTokenId: tokenId, targetType: "token" as const, targetId: tokenId } : {}),
      context,
      details: { reason: failure.reason },
      occurredAt: now,
    },
    and(
      subject,
      context.ip === null ? isNull(auditEvents.ip) : eq(auditEvents.ip, context.ip),
      sql`${auditEvents.details}->>'reason' = ${failure.reason}`,
    ),
    `${byToken ? tokenId : "unknown"}|${context.ip ?? ""}|${failure.reason}`,
  );
}
