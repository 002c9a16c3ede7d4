import { RateLimiterDrizzle, RateLimiterRes } from "rate-limiter-flexible";
import { getDb } from "@/db";
import { rateLimits } from "@/db/schema";
import { processSingleton } from "./process-singleton";

type Limiter = InstanceType<typeof RateLimiterDrizzle>;

/**
 * A limit of `points` per key and minute, counted in the database (rate-limiter-flexible's
 * RateLimiterDrizzle) so every instance shares it. The returned function counts one use of a key
 * and answers how many seconds it must wait: 0 when the use is allowed.
 */
export function databaseLimit(name: string, points: number): (key: string) => Promise<number> {
  const slot = processSingleton<Promise<Limiter>>(`databaseLimit:${name}`);
  const limiter = () =>
    slot.getOrCreate(() =>
      getDb().then((db) => new RateLimiterDrizzle({ storeClient: db, schema: rateLimits, keyPrefix: name, points, duration: 60 })),
    );
  return async (key) => {
    try {
      await (await limiter()).consume(key);
      return 0;
    } catch (rejection) {
      if (!(rejection instanceof RateLimiterRes)) throw rejection;
      return Math.max(1, Math.ceil(rejection.msBeforeNext / 1000));
    }
  };
}
