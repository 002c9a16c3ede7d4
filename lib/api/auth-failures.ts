import { RateLimiterDrizzle, RateLimiterRes } from "rate-limiter-flexible";
import { getDb } from "@/db";
import { isDatabaseUnavailable } from "@/db/availability";
import { rateLimits } from "@/db/schema";

// Failed API authentications per client address, counted in the database so every instance
// shares them. A blocked address is remembered in memory too, so a blocked caller costs no
// database work and valid tokens never wait on the limiter.
const FAILURES_PER_MINUTE = 30;
type Limiter = InstanceType<typeof RateLimiterDrizzle>;
const holder = globalThis as typeof globalThis & {
  __tesseraApiAuthLimiter?: Promise<Limiter>;
  __tesseraApiBlocked?: Map<string, number>;
};

function limiter(): Promise<Limiter> {
  holder.__tesseraApiAuthLimiter ??= getDb().then(
    (db) =>
      new RateLimiterDrizzle({
        storeClient: db,
        schema: rateLimits,
        keyPrefix: "api-auth",
        points: FAILURES_PER_MINUTE,
        duration: 60,
      }),
  );
  return holder.__tesseraApiAuthLimiter;
}

const blocked = () => (holder.__tesseraApiBlocked ??= new Map());
const keyOf = (ip: string | null) => ip ?? "unknown";

/** Seconds until this address may try again, without touching the database; 0 if not blocked. */
export function blockedFor(ip: string | null, now = Date.now()): number {
  const until = blocked().get(keyOf(ip));
  if (until === undefined) return 0;
  if (until <= now) {
    blocked().delete(keyOf(ip));
    return 0;
  }
  return Math.ceil((until - now) / 1000);
}

/** Counts a failed authentication; returns seconds to wait when the address is now blocked, else 0. */
export async function recordAuthFailure(ip: string | null): Promise<number> {
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
