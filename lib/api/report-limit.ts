import { RateLimiterDrizzle, RateLimiterRes } from "rate-limiter-flexible";
import { getDb } from "@/db";
import { rateLimits } from "@/db/schema";
import { processSingleton } from "@/lib/shared/process-singleton";
import { ApiError } from "./problem";

// Unauthenticated leak reports (POST /api/v1/credentials/revoke), per client address and shared
// by every instance through the database: enough for a scanner working through its finds, too
// few to use the endpoint for anything else.
const REPORTS_PER_MINUTE = 10;
type Limiter = InstanceType<typeof RateLimiterDrizzle>;
const processLimiter = processSingleton<Promise<Limiter>>("credentialReportLimiter");

const limiter = () =>
  processLimiter.getOrCreate(() =>
    getDb().then(
      (db) =>
        new RateLimiterDrizzle({
          storeClient: db,
          schema: rateLimits,
          keyPrefix: "credential-report",
          points: REPORTS_PER_MINUTE,
          duration: 60,
        }),
    ),
  );

/** Counts one report from this address; throws 429 with Retry-After beyond the limit. */
export async function reportLimit(ip: string | null): Promise<void> {
  try {
    await (await limiter()).consume(ip ?? "unknown");
  } catch (rejection) {
    if (!(rejection instanceof RateLimiterRes)) throw rejection;
    const seconds = Math.max(1, Math.ceil(rejection.msBeforeNext / 1000));
    throw new ApiError(429, "rate_limited", "Too Many Requests", "Too many reports from this address. Try again later.", {
      headers: { "Retry-After": String(seconds) },
    });
  }
}
