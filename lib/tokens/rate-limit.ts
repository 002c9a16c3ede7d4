import { Redis } from "ioredis";
import { RateLimiterMemory, RateLimiterRedis, type RateLimiterAbstract } from "rate-limiter-flexible";
import { getEnv } from "@/lib/env";
import { processSingleton } from "@/lib/shared/process-singleton";

// Per-token rate limits (SPEC §12), a fixed window of one minute per token. With REDIS_URL every
// instance counts in Redis, so the limit holds exactly across them; without it (or while Redis
// is unreachable: the insurance limiter) each instance counts its own requests.

const WINDOW_SECONDS = 60;
const KEY_PREFIX = "tessera:token-rate";
const FIRST_CONNECTION_PATIENCE_MS = 1_000;

/** Where a request stands against its token's limit, for the IETF RateLimit headers. */
export type RateDecision = { allowed: boolean; limit: number; remaining: number; resetSeconds: number };

/** One instance's counting: in Redis when given its URL (shared by every instance), else in memory. */
export type TokenRateLimits = {
  consume(key: string, limit: number): Promise<RateDecision>;
  close(): Promise<void>;
};

export function tokenRateLimits(redisUrl: string | undefined): TokenRateLimits {
  // No offline queue: while Redis is away a request must not wait for it; it falls back to the
  // instance's own count at once (the insurance limiter).
  const client = redisUrl ? new Redis(redisUrl, { enableOfflineQueue: false, maxRetriesPerRequest: 1, connectTimeout: 2_000 }) : null;
  client?.on("error", (error: Error) => console.error(`[rate-limit] Redis: ${error.name}: ${error.message}`));
  // The first requests wait (briefly) for the first connection, so counting is shared from the
  // start; after that, a lost connection never holds a request up.
  const firstConnection = client ? new Promise<void>((resolve) => client.once("ready", () => resolve())) : Promise.resolve();
  let connectedOnce = client === null;
  const awaitFirstConnection = async () => {
    if (connectedOnce) return;
    let timer: NodeJS.Timeout | undefined;
    const patience = new Promise<void>((resolve) => (timer = setTimeout(resolve, FIRST_CONNECTION_PATIENCE_MS).unref()));
    await Promise.race([firstConnection, patience]);
    clearTimeout(timer);
    connectedOnce = true; // or given up on: a Redis that is down at start costs one wait, not one per request
  };
  // One counter per lineage, whatever its limit: a token that lowers its own limit (5, 4, 3, …)
  // must not find a fresh count under each value. So one limiter counts every key without ever
  // refusing, and the decision compares the count with the limit in force now.
  const options = { points: Number.MAX_SAFE_INTEGER, duration: WINDOW_SECONDS, keyPrefix: KEY_PREFIX };
  const limiter: RateLimiterAbstract = client
    ? new RateLimiterRedis({
        ...options,
        storeClient: client,
        rejectIfRedisNotReady: true,
        insuranceLimiter: new RateLimiterMemory(options),
      })
    : new RateLimiterMemory(options);
  return {
    async consume(key, limit) {
      await awaitFirstConnection();
      const result = await limiter.consume(key);
      return {
        allowed: result.consumedPoints <= limit,
        limit,
        remaining: Math.max(0, limit - result.consumedPoints),
        resetSeconds: Math.max(1, Math.ceil(result.msBeforeNext / 1000)),
      };
    },
    async close() {
      if (client) await client.quit().catch(() => client.disconnect());
    },
  };
}

const instance = processSingleton<TokenRateLimits>("tokenRateLimits");

/** Counts one request of a token lineage (`key`) against its limit, on this instance's store. */
export function consumeTokenRate(key: string, limit: number): Promise<RateDecision> {
  return instance.getOrCreate(() => tokenRateLimits(getEnv().redisUrl)).consume(key, limit);
}

/** The IETF RateLimit and RateLimit-Policy fields (draft-ietf-httpapi-ratelimit-headers). */
export function rateLimitHeaders(decision: RateDecision): Record<string, string> {
  return {
    "RateLimit-Policy": `"token";q=${decision.limit};w=${WINDOW_SECONDS}`,
    RateLimit: `"token";r=${decision.remaining};t=${decision.resetSeconds}`,
  };
}
