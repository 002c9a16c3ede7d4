import { describe, expect, it } from "vitest";
import { VerificationCache, type VerificationRecord } from "@/lib/tokens/verification-cache";

const record = (tokenId: string, current: string | null = null) =>
  ({
    tokenId,
    organizationId: "org",
    userId: "user",
    applicationId: "app",
    current: current === null ? null : ({ tokenId: current } as VerificationRecord),
  }) as VerificationRecord;

// A read that raced an invalidation of its own token must not be cached; one that raced another
// token's must (on a busy database invalidations never stop, and the cache would never fill —
// with three test workers on one database, it did not, and a test saw it empty).
describe("verification cache: reads that raced invalidations", () => {
  it("an invalidation of another token during the read does not stop caching", () => {
    const cache = new VerificationCache(10, 60_000);
    const epoch = cache.currentEpoch;
    cache.invalidate("token:other");
    cache.set("hash", record("mine"), epoch);
    expect(cache.get("hash")).toBeDefined();
  });

  it("an invalidation of its token, its lineage's current token, its owner or everything does", () => {
    for (const payload of ["token:mine", "token:successor", "user:user", "organization:org", "application:app", "garbage"]) {
      const cache = new VerificationCache(10, 60_000);
      const epoch = cache.currentEpoch;
      cache.invalidate(payload);
      cache.set("hash", record("mine", "successor"), epoch);
      expect(cache.get("hash"), payload).toBeUndefined();
    }
    const cleared = new VerificationCache(10, 60_000);
    const epoch = cleared.currentEpoch;
    cleared.clear();
    cleared.set("hash", record("mine"), epoch);
    expect(cleared.get("hash")).toBeUndefined();
  });

  it("a read older than the invalidations it remembers is not cached", () => {
    const cache = new VerificationCache(10, 60_000);
    const epoch = cache.currentEpoch;
    for (let i = 0; i < 1_001; i += 1) cache.invalidate(`token:other-${i}`);
    cache.set("hash", record("mine"), epoch);
    expect(cache.get("hash")).toBeUndefined();
    const fresh = cache.currentEpoch;
    cache.invalidate("token:other");
    cache.set("hash", record("mine"), fresh);
    expect(cache.get("hash")).toBeDefined();
  });
});
