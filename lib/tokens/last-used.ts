import { sql } from "drizzle-orm";
import { getDb } from "@/db";
import type { RequestContext } from "@/lib/http/request-context";
import { processSingleton } from "@/lib/shared/process-singleton";

const INTERVAL_MS = 60_000;
const FLUSH_EVERY_MS = 2_000;
const MAX_PENDING = 5_000;

type Use = { tokenId: string; at: Date; ip: string | null; userAgent: string | null };
type State = { recent: Map<string, number>; pending: Map<string, Use>; timer?: NodeJS.Timeout };
const processState = processSingleton<State>("lastUsed");
const state = (): State => processState.getOrCreate(() => ({ recent: new Map(), pending: new Map() }));

/**
 * Records that a token was used, at most once a minute per token and never on the request's
 * path: uses are collected in memory and written in one batched UPDATE every two seconds, so
 * the bookkeeping adds no write per request. A failed write is logged and never fails a request.
 */
export function noteTokenUse(tokenId: string, context: RequestContext, now = new Date()): void {
  const { recent, pending } = state();
  if (now.getTime() - (recent.get(tokenId) ?? 0) < INTERVAL_MS) return;
  if (recent.size > 50_000) recent.clear();
  recent.set(tokenId, now.getTime());
  if (pending.size >= MAX_PENDING) return; // under a flood, dropping a timestamp beats growing without bound
  pending.set(tokenId, { tokenId, at: now, ip: context.ip, userAgent: context.userAgent?.slice(0, 512) ?? null });
  scheduleFlush();
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

/** Writes the uses collected since the last flush, one UPDATE for all of them; the timer calls it. */
async function flushTokenUses(): Promise<void> {
  const { pending, recent } = state();
  if (pending.size === 0) return;
  const uses = [...pending.values()];
  pending.clear();
  const rows = sql.join(
    uses.map((use) => sql`(${use.tokenId}::uuid, ${use.at.toISOString()}::timestamptz, ${use.ip}, ${use.userAgent})`),
    sql`, `,
  );
  try {
    const db = await getDb();
    // The condition keeps several instances from writing the same token more than once a minute.
    await db.execute(sql`
      update personal_access_tokens as t
      set last_used_at = v.at, last_used_ip = v.ip, last_used_user_agent = v.ua
      from (values ${rows}) as v(id, at, ip, ua)
      where t.id = v.id and (t.last_used_at is null or t.last_used_at < v.at - interval '1 minute')`);
  } catch (error) {
    for (const use of uses) recent.delete(use.tokenId); // let the next use try again
    throw error;
  }
}
