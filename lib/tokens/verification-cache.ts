import { LRUCache } from "lru-cache";
import { getConnection, onDatabaseClosed } from "@/db";
import { getEnv } from "@/lib/env";
import type { Role } from "@/lib/permissions/catalog";
import { processSingleton } from "@/lib/shared/process-singleton";

/** What verification needs to know about a token, as read from the database. */
export type VerificationRecord = {
  tokenId: string;
  organizationId: string;
  organizationSlug: string;
  organizationActive: boolean;
  userId: string;
  username: string;
  role: Role;
  ownerActive: boolean;
  applicationId: string;
  applicationSlug: string;
  /** Null for the built-in Tessera API, whose audience is the issuer. */
  applicationAudience: string | null;
  applicationBuiltIn: boolean;
  applicationArchived: boolean;
  accountSid: string;
  description: string;
  /** The stored scopes its application still defines, and which of them are admin-only. */
  liveScopes: string[];
  adminOnlyScopes: string[];
  active: boolean;
  revokedAt: Date | null;
  /** Set when the value was rotated out; it keeps working until graceUntil (SPEC §11). */
  rotatedAt: Date | null;
  graceUntil: Date | null;
  expiresAt: Date | null;
  createdAt: Date;
  /** Restrictions (SPEC §12): null for none. */
  allowedCidrs: string[] | null;
  rateLimitPerMinute: number | null;
  validFrom: Date | null;
  /**
   * For a rotated-out value, its lineage's current token, whose state and restrictions it acts
   * under (SPEC §14); null when there is none (deleted) or the value was never rotated out.
   */
  current: VerificationRecord | null;
};

export const INVALIDATION_CHANNEL = "tessera_verification";

/**
 * A bounded LRU of verified tokens, keyed by keyed hash, per instance. Only tokens that were
 * usable when read are kept (an attacker's guesses never enter it). Every change that matters
 * NOTIFYs INVALIDATION_CHANNEL from the changing transaction (database triggers); a listener
 * evicts the token, or everything of the user or organization. Entries also expire after a
 * short maximum age, the backstop for a lost notification; the cache is cleared whenever the
 * listener (re)connects, since notifications may have been missed in between.
 */
/** An invalidation as the cache remembers it: its number, and what it named (null: everything). */
type Invalidation = { epoch: number; matches: ((record: VerificationRecord) => boolean) | null };

/** How many recent invalidations a read in flight is checked against; an older read is not cached. */
const REMEMBERED_INVALIDATIONS = 1_000;

export class VerificationCache {
  private readonly entries: LRUCache<string, VerificationRecord>;
  /** Numbers every invalidation: a read that raced one naming its token must not be cached. */
  private epoch = 0;
  private readonly recent: Invalidation[] = [];

  constructor(
    maxEntries: number,
    private readonly maxAgeMs: number,
  ) {
    this.entries = new LRUCache({ max: maxEntries, ttl: maxAgeMs, ttlAutopurge: false });
  }

  get currentEpoch(): number {
    return this.epoch;
  }

  get(secretHash: string): VerificationRecord | undefined {
    return this.entries.get(secretHash);
  }

  /**
   * Caches a record read at `epochAtRead`, unless an invalidation that names it (its token, its
   * lineage's current token, its owner, organization or application, or everything) arrived
   * meanwhile. Invalidations of other tokens do not stop it: on a busy database they arrive all
   * the time, and the cache would never fill.
   */
  set(secretHash: string, record: VerificationRecord, epochAtRead: number): void {
    if (epochAtRead !== this.epoch) {
      const oldest = this.recent[0]?.epoch ?? this.epoch + 1;
      if (epochAtRead < oldest - 1) return; // raced more invalidations than remembered
      if (this.recent.some((invalidation) => invalidation.epoch > epochAtRead && (invalidation.matches?.(record) ?? true))) return;
    }
    // Ages are spread over the last quarter of the maximum, so tokens cached together (after a
    // restart, say) are not all re-read from the database in the same instant.
    const ttl = Math.round(this.maxAgeMs * (0.75 + Math.random() * 0.25));
    this.entries.set(secretHash, record, { ttl });
  }

  /** Applies one notification payload: `token:<id>`, `user:<id>`, `organization:<id>` or `application:<id>`. */
  invalidate(payload: string): void {
    const [kind, id] = payload.split(":");
    const matches =
      kind === undefined || id === undefined
        ? null
        : (record: VerificationRecord) =>
            (kind === "token" && (record.tokenId === id || record.current?.tokenId === id)) ||
            (kind === "user" && record.userId === id) ||
            (kind === "organization" && record.organizationId === id) ||
            (kind === "application" && record.applicationId === id);
    this.remember(matches);
    for (const [key, record] of this.entries.entries()) {
      if (matches === null || matches(record)) this.entries.delete(key);
    }
  }

  clear(): void {
    this.remember(null);
    this.entries.clear();
  }

  private remember(matches: Invalidation["matches"]): void {
    this.epoch += 1;
    this.recent.push({ epoch: this.epoch, matches });
    if (this.recent.length > REMEMBERED_INVALIDATIONS) this.recent.shift();
  }

  get size(): number {
    return this.entries.size;
  }
}

const processCache = processSingleton<Promise<VerificationCache | null>>("verificationCache");

/** The process's cache, listening for invalidations; null when caching is turned off. */
export function verificationCache(): Promise<VerificationCache | null> {
  return processCache.getOrCreate(() =>
    startCache().catch((error: unknown) => {
      processCache.set(undefined);
      throw error;
    }),
  );
}

async function startCache(): Promise<VerificationCache | null> {
  onDatabaseClosed(resetVerificationCache);
  const { verifyCacheMaxAgeSeconds, verifyCacheSize } = getEnv();
  if (verifyCacheMaxAgeSeconds === 0) return null;
  const cache = new VerificationCache(verifyCacheSize, verifyCacheMaxAgeSeconds * 1000);
  const connection = await getConnection();
  await connection.listen(
    INVALIDATION_CHANNEL,
    (payload) => cache.invalidate(payload),
    () => cache.clear(),
  );
  return cache;
}

/** Forgets the process's cache (tests, and after the database connection is closed). */
export function resetVerificationCache(): void {
  processCache.set(undefined);
}

/**
 * Evicts at once in this process, from inside the changing transaction; the trigger's NOTIFY
 * then reaches every instance (this one included) when the transaction commits, and also
 * covers a read that raced this eviction.
 */
export function evictLocally(payload: string): void {
  void processCache
    .get()
    ?.then((cache) => cache?.invalidate(payload))
    .catch(() => {});
}
