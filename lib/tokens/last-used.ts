import { sql } from "drizzle-orm";
import { getDb } from "@/db";
import type { RequestContext } from "@/lib/http/request-context";
import { processSingleton } from "@/lib/shared/process-singleton";

const INTERVAL_MS = 60_000;
const HOUR_MS = 3_600_000;
const FLUSH_EVERY_MS = 2_000;
const MAX_PENDING = 5_000;

type Use = { tokenId: string; at: Date; ip: string | null; userAgent: string | null };
type Count = { tokenId: string; organizationId: string; hour: number; requests: number; failures: number };
type Address = {
  tokenId: string;
  organizationId: string;
  ip: string;
  userAgent: string | null;
  first: number;
  last: number;
  requests: number;
};
type State = {
  recent: Map<string, number>;
  pending: Map<string, Use>;
  counts: Map<string, Count>;
  addresses: Map<string, Address>;
  timer?: NodeJS.Timeout;
};
const processState = processSingleton<State>("lastUsed");
const state = (): State =>
  processState.getOrCreate(() => ({ recent: new Map(), pending: new Map(), counts: new Map(), addresses: new Map() }));

/**
 * Records that a token was used (SPEC §11), never on the request's path: the request adds to
 * in-memory counters — requests per hour, the client address — and, at most once a minute per
 * token, its last use; a timer writes them all in a few batched statements every two seconds. A
 * failed write is logged and never fails a request.
 */
export function noteTokenUse(token: { tokenId: string; organizationId: string }, context: RequestContext, now = new Date()): void {
  const { recent, pending } = state();
  count(token, now, "requests");
  noteAddress(token, context, now);
  scheduleFlush();
  const { tokenId } = token;
  if (now.getTime() - (recent.get(tokenId) ?? 0) < INTERVAL_MS) return;
  if (recent.size > 50_000) recent.clear();
  recent.set(tokenId, now.getTime());
  if (pending.size >= MAX_PENDING) return; // under a flood, dropping a timestamp beats growing without bound
  pending.set(tokenId, { tokenId, at: now, ip: context.ip, userAgent: context.userAgent?.slice(0, 512) ?? null });
}

/** Counts a refused authentication of a known token, for its usage chart. */
export function noteTokenFailure(token: { tokenId: string; organizationId: string }, now = new Date()): void {
  count(token, now, "failures");
  scheduleFlush();
}

function count(token: { tokenId: string; organizationId: string }, now: Date, field: "requests" | "failures"): void {
  const { counts } = state();
  const hour = Math.floor(now.getTime() / HOUR_MS) * HOUR_MS;
  const key = `${token.tokenId}|${hour}`;
  let entry = counts.get(key);
  if (!entry) {
    if (counts.size >= MAX_PENDING) return;
    entry = { tokenId: token.tokenId, organizationId: token.organizationId, hour, requests: 0, failures: 0 };
    counts.set(key, entry);
  }
  entry[field] += 1;
}

function noteAddress(token: { tokenId: string; organizationId: string }, context: RequestContext, now: Date): void {
  if (context.ip === null) return;
  const { addresses } = state();
  const key = `${token.tokenId}|${context.ip}`;
  const entry = addresses.get(key);
  if (entry) {
    entry.last = now.getTime();
    entry.requests += 1;
    entry.userAgent = context.userAgent?.slice(0, 512) ?? entry.userAgent;
    return;
  }
  if (addresses.size >= MAX_PENDING) return;
  addresses.set(key, {
    ...token,
    ip: context.ip,
    userAgent: context.userAgent?.slice(0, 512) ?? null,
    first: now.getTime(),
    last: now.getTime(),
    requests: 1,
  });
}

function scheduleFlush(): void {
  const current = state();
  if (current.timer) return;
  current.timer = setTimeout(() => {
    current.timer = undefined;
    void flushTokenUses().catch((error: unknown) => {
      console.warn(`[tessera] could not record token use: ${error instanceof Error ? error.name : "error"}`);
    });
  }, FLUSH_EVERY_MS);
  current.timer.unref();
}

const iso = (ms: number) => new Date(ms).toISOString();

/** Writes what was collected since the last flush, a statement per kind; the timer calls it (tests may too). */
export async function flushTokenUses(): Promise<void> {
  const current = state();
  const uses = [...current.pending.values()];
  const counts = [...current.counts.values()];
  const addresses = [...current.addresses.values()];
  current.pending.clear();
  current.counts.clear();
  current.addresses.clear();
  if (uses.length + counts.length + addresses.length === 0) return;
  const db = await getDb();
  try {
    if (uses.length > 0) await writeLastUses(uses);
  } catch (error) {
    for (const use of uses) current.recent.delete(use.tokenId); // let the next use try again
    throw error;
  }
  // Rows of a token deleted meanwhile are skipped by the joins, not refused by a foreign key.
  if (counts.length > 0) {
    const rows = sql.join(
      counts.map((c) => sql`(${c.tokenId}::uuid, ${iso(c.hour)}::timestamptz, ${c.requests}::int, ${c.failures}::int)`),
      sql`, `,
    );
    await db.execute(sql`
      insert into token_usage_hourly (token_id, organization_id, hour, requests, failures)
      select v.id, t.organization_id, v.hour, v.requests, v.failures
      from (values ${rows}) as v(id, hour, requests, failures) join personal_access_tokens t on t.id = v.id
      on conflict (token_id, hour) do update set
        requests = token_usage_hourly.requests + excluded.requests,
        failures = token_usage_hourly.failures + excluded.failures`);
  }
  if (addresses.length > 0) {
    const rows = sql.join(
      addresses.map(
        (a) =>
          sql`(${a.tokenId}::uuid, ${a.ip}::text, ${a.userAgent}::text, ${iso(a.first)}::timestamptz, ${iso(a.last)}::timestamptz, ${a.requests}::int)`,
      ),
      sql`, `,
    );
    await db.execute(sql`
      insert into token_client_addresses (token_id, organization_id, ip, user_agent, first_seen_at, last_seen_at, requests)
      select v.id, t.organization_id, v.ip, v.ua, v.first, v.last, v.requests
      from (values ${rows}) as v(id, ip, ua, first, last, requests) join personal_access_tokens t on t.id = v.id
      on conflict (token_id, ip) do update set
        user_agent = coalesce(excluded.user_agent, token_client_addresses.user_agent),
        first_seen_at = least(token_client_addresses.first_seen_at, excluded.first_seen_at),
        last_seen_at = greatest(token_client_addresses.last_seen_at, excluded.last_seen_at),
        requests = token_client_addresses.requests + excluded.requests`);
  }
}

/**
 * Last use, once a minute per token; the first use too, which brings forward the grace of the
 * value this token replaced when it was rotated "until N seconds after the new value's first use"
 * (lib/tokens/regenerate.ts). Its trigger tells every instance's verification cache.
 */
async function writeLastUses(uses: Use[]): Promise<void> {
  const rows = sql.join(
    uses.map((use) => sql`(${use.tokenId}::uuid, ${use.at.toISOString()}::timestamptz, ${use.ip}, ${use.userAgent})`),
    sql`, `,
  );
  const db = await getDb();
  // The condition keeps several instances from writing the same token more than once a minute.
  await db.execute(sql`
    update personal_access_tokens as t
    set last_used_at = v.at, last_used_ip = v.ip, last_used_user_agent = v.ua, first_used_at = coalesce(t.first_used_at, v.at)
    from (values ${rows}) as v(id, at, ip, ua)
    where t.id = v.id and (t.last_used_at is null or t.last_used_at < v.at - interval '1 minute')`);
  // A second statement: one statement cannot update a row twice, and a predecessor may be in
  // this batch too (its old value used alongside the new one).
  const ids = sql.join(
    uses.map((use) => sql`${use.tokenId}::uuid`),
    sql`, `,
  );
  await db.execute(sql`
    update personal_access_tokens as p
    set grace_until = least(p.grace_until, s.first_used_at + make_interval(secs => p.retire_after_first_use_seconds)),
        retire_after_first_use_seconds = null
    from personal_access_tokens as s
    where s.id in (${ids}) and s.rotated_from_id = p.id and s.first_used_at is not null
      and p.rotated_at is not null and p.retire_after_first_use_seconds is not null`);
}
