import { RateLimiterDrizzle } from "rate-limiter-flexible";
import { getDb } from "@/db";
import { rateLimits } from "@/db/schema";
import { getEnv } from "./env";

// Counters live in the database so every app instance sees the same failures.
type Limiter = InstanceType<typeof RateLimiterDrizzle>;
const holder = globalThis as typeof globalThis & { __tesseraSignInLimiter?: Promise<Limiter> };

function signInLimiter(): Promise<Limiter> {
  holder.__tesseraSignInLimiter ??= getDb().then(
    (db) =>
      new RateLimiterDrizzle({
        storeClient: db,
        schema: rateLimits,
        keyPrefix: "sign-in",
        points: getEnv().signInFailuresPerMinute,
        duration: 60,
      }),
  );
  return holder.__tesseraSignInLimiter;
}

const signInKey = (email: string, ip: string | null) => `${email}|${ip ?? "unknown"}`;

/** Seconds to wait before the next sign-in attempt for this e-mail from this address, or 0. */
export async function signInRetryAfter(email: string, ip: string | null): Promise<number> {
  const limiter = await signInLimiter();
  const state = await limiter.get(signInKey(email, ip));
  if (!state || state.consumedPoints < limiter.points) return 0;
  return Math.max(1, Math.ceil(state.msBeforeNext / 1000));
}

export async function recordSignInFailure(email: string, ip: string | null): Promise<void> {
  await (await signInLimiter()).penalty(signInKey(email, ip), 1);
}

export async function clearSignInFailures(email: string, ip: string | null): Promise<void> {
  await (await signInLimiter()).delete(signInKey(email, ip));
}
