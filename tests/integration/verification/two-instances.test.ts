import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { getDb, openDatabase, type Connection } from "@/db";
import { users } from "@/db/schema";
import { createToken } from "@/lib/tokens/create";
import { flushTokenUses, noteTokenUse } from "@/lib/tokens/last-used";
import { regenerateToken } from "@/lib/tokens/regenerate";
import { revokeToken } from "@/lib/tokens/revoke";
import { setTokenActive } from "@/lib/tokens/update";
import { INVALIDATION_CHANNEL, VerificationCache } from "@/lib/tokens/verification-cache";
import { verifyToken, verifyWith } from "@/lib/tokens/verify";
import { actorFor } from "../../fixtures/actors";
import { createTestOrganization } from "../../fixtures/organizations";

// Instance A is this process's normal path (its own connection and cache); instance B is a
// second verifier with its own PostgreSQL connection, LISTEN connection and cache — what a
// second app process has. Changes made through A must reach B's cache within a second.
const databaseUrl = inject("databaseUrl");
const BOUND_MS = 1000;

describe.skipIf(!databaseUrl)("verification cache across two instances", () => {
  let b: Connection;
  let cacheB: VerificationCache;
  let listensOnB = 0;
  const MAX_AGE_MS = 3000;
  beforeAll(async () => {
    b = await openDatabase({ databaseUrl: databaseUrl ?? "" });
    cacheB = new VerificationCache(1000, MAX_AGE_MS);
    await b.listen(
      INVALIDATION_CHANNEL,
      (payload) => cacheB.invalidate(payload),
      () => {
        listensOnB += 1;
        cacheB.clear();
      },
    );
  });
  afterAll(async () => {
    await b.close();
  });
  const verifyOnB = (value: string) => verifyWith(async () => ({ db: b.db, cache: cacheB }), value);

  async function msUntilRefusedOnB(value: string, limitMs: number): Promise<number> {
    const started = performance.now();
    while (performance.now() - started < limitMs) {
      if (!(await verifyOnB(value)).ok) return performance.now() - started;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    return Number.POSITIVE_INFINITY;
  }

  async function warmToken(description: string) {
    const { admin, repOne } = await createTestOrganization();
    const created = await createToken(actorFor(admin), { description, permissions: ["tokens:read", "tokens:admin"] });
    expect((await verifyOnB(created.value)).ok).toBe(true);
    expect(cacheB.size).toBeGreaterThan(0);
    // Served from B's cache from now on: only an invalidation can change B's answer.
    return { admin, repOne, created };
  }

  it("revoke on A is refused on B within a second", async () => {
    const { admin, created } = await warmToken("revoke");
    await revokeToken(actorFor(admin), created.token.id);
    expect(await msUntilRefusedOnB(created.value, BOUND_MS)).toBeLessThan(BOUND_MS);
  });

  it("deactivate on A is refused on B within a second", async () => {
    const { admin, created } = await warmToken("deactivate");
    await setTokenActive(actorFor(admin), created.token.id, false);
    expect(await msUntilRefusedOnB(created.value, BOUND_MS)).toBeLessThan(BOUND_MS);
  });

  it("regenerate on A: the old value is refused on B within a second", async () => {
    const { admin, created } = await warmToken("regenerate");
    const successor = await regenerateToken(actorFor(admin), created.token.id);
    expect(await msUntilRefusedOnB(created.value, BOUND_MS)).toBeLessThan(BOUND_MS);
    expect((await verifyOnB(successor.value)).ok).toBe(true);
  });

  it("rotation with a grace: both values work on B; once the new value's first use brings the grace forward, the old one is refused on B within a second of it", async () => {
    const { admin, created } = await warmToken("grace");
    const successor = await regenerateToken(actorFor(admin), created.token.id, { kind: "after_first_use", seconds: 1 });
    // The old value is read again on B (the rotation evicted it) and cached with its grace.
    expect((await verifyOnB(created.value)).ok).toBe(true);
    expect((await verifyOnB(successor.value)).ok).toBe(true);
    noteTokenUse({ tokenId: successor.token.id, organizationId: admin.organizationId }, { ip: "192.0.2.1", userAgent: null });
    await flushTokenUses();
    // Refused one second after that first use, however B cached it: within a further second.
    expect(await msUntilRefusedOnB(created.value, 1000 + BOUND_MS)).toBeLessThan(1000 + BOUND_MS);
    const refused = await verifyOnB(created.value);
    expect(refused).toMatchObject({ ok: false, reason: "reused" });
    expect((await verifyOnB(successor.value)).ok).toBe(true);
  });

  it("owner deactivated on A is refused on B within a second", async () => {
    const { admin, created } = await warmToken("owner");
    const db = await getDb();
    await db.update(users).set({ active: false }).where(eq(users.id, admin.id));
    expect(await msUntilRefusedOnB(created.value, BOUND_MS)).toBeLessThan(BOUND_MS);
  });

  it("owner demoted on A loses admin-only permissions on B within a second", async () => {
    const { admin, created } = await warmToken("demote");
    const before = await verifyOnB(created.value);
    expect(before.ok && before.principal.permissions).toContain("tokens:admin");
    const db = await getDb();
    await db.update(users).set({ role: "rep" }).where(eq(users.id, admin.id));
    const started = performance.now();
    let permissions: string[] = ["tokens:admin"];
    while (permissions.includes("tokens:admin") && performance.now() - started < BOUND_MS) {
      const result = await verifyOnB(created.value);
      permissions = result.ok ? result.principal.permissions : [];
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    expect(permissions).toEqual(["tokens:read"]);
  });

  it("listener loss: B reconnects, and staleness stays within the cache's maximum age", async () => {
    const { admin, created } = await warmToken("listener loss");
    const listensBefore = listensOnB;
    const db = await getDb();
    // Kill every LISTEN connection (B's and A's); postgres.js reconnects them.
    await db.execute(sql`select pg_terminate_backend(pid) from pg_stat_activity where query ilike 'listen%' and pid <> pg_backend_pid()`);
    await revokeToken(actorFor(admin), created.token.id);
    expect(await msUntilRefusedOnB(created.value, MAX_AGE_MS + 1000)).toBeLessThan(MAX_AGE_MS + 1000);
    // And the listener is back: once B has listened again, the next change arrives by notification.
    const next = await warmToken("after reconnect");
    await expect.poll(() => listensOnB, { timeout: 10_000 }).toBeGreaterThan(listensBefore);
    await revokeToken(actorFor(next.admin), next.created.token.id);
    expect(await msUntilRefusedOnB(next.created.value, BOUND_MS)).toBeLessThan(BOUND_MS);
    expect((await verifyToken(created.value)).ok).toBe(false);
  });
});
