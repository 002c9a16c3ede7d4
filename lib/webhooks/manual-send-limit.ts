import { RateLimiterDrizzle, RateLimiterRes } from "rate-limiter-flexible";
import { getDb } from "@/db";
import { rateLimits } from "@/db/schema";
import { RateLimited } from "@/lib/shared/errors";
import { processSingleton } from "@/lib/shared/process-singleton";

// "Send test event" and "Resend" POST at once, to an address an admin typed: per endpoint, and
// shared by every instance through the database, they are limited so Tessera cannot be used to
// flood someone else's server with signed requests.
const MANUAL_SENDS_PER_MINUTE = 10;
type Limiter = InstanceType<typeof RateLimiterDrizzle>;
const processLimiter = processSingleton<Promise<Limiter>>("webhookManualSendLimiter");

const limiter = () =>
  processLimiter.getOrCreate(() =>
    getDb().then(
      (db) =>
        new RateLimiterDrizzle({
          storeClient: db,
          schema: rateLimits,
          keyPrefix: "webhook-manual-send",
          points: MANUAL_SENDS_PER_MINUTE,
          duration: 60,
        }),
    ),
  );

/** Counts one test event or resend to this endpoint; throws RateLimited beyond the limit. */
export async function countManualSend(endpointId: string): Promise<void> {
  try {
    await (await limiter()).consume(endpointId);
  } catch (rejection) {
    if (!(rejection instanceof RateLimiterRes)) throw rejection;
    throw new RateLimited(
      `At most ${MANUAL_SENDS_PER_MINUTE} test events and resends a minute per endpoint. Try again shortly.`,
      Math.max(1, Math.ceil(rejection.msBeforeNext / 1000)),
    );
  }
}
