// @module-tag database
import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { personalAccessTokens } from "@/db/schema";
import type { Actor } from "@/lib/auth/actor";
import { PAGE_LIMITS } from "@/lib/shared/keyset-cursor";
import { addDays } from "@/lib/shared/time";
import { listReps } from "@/lib/reps/queries";
import { revokeToken } from "@/lib/tokens/revoke";
import { listTokens } from "@/lib/tokens/queries";
import { setTokenActive } from "@/lib/tokens/update";
import type { TokenView } from "@/lib/tokens/view";
import { TOKEN_SORTS, type TokenListQuery, type TokenSort } from "@/lib/validation/token";
import { actorFor } from "../../fixtures/actors";
import { createTestOrganization, DEFAULT_POLICY } from "../../fixtures/organizations";
import { createTestToken } from "../../fixtures/tokens";

const ids = (tokens: readonly TokenView[]) => tokens.map((token) => token.id);
const sorted = (values: readonly string[]) => [...values].sort();

/** Walks every page of a listing and returns the pages' tokens in order, with each page's total. */
async function walk(
  actor: Actor,
  query: TokenListQuery & { limit: number },
): Promise<{ tokens: TokenView[]; totals: number[]; pages: number }> {
  const tokens: TokenView[] = [];
  const totals: number[] = [];
  let cursor: string | undefined;
  for (let pages = 1; pages <= 50; pages += 1) {
    const page = await listTokens(actor, { ...query, cursor });
    tokens.push(...page.tokens);
    totals.push(page.total);
    if (page.nextCursor === null) return { tokens, totals, pages };
    expect(page.tokens).toHaveLength(query.limit);
    cursor = page.nextCursor;
  }
  throw new Error("pagination did not end");
}

/** An organization with tokens in every state, for two reps and the admin. */
async function organizationWithTokens() {
  const org = await createTestOrganization();
  const admin = actorFor(org.admin);
  const now = new Date();
  const active = await createTestToken(admin, { userId: org.repOne.id, description: "Assessment vendor", expiresAt: addDays(now, 20) });
  const inactive = await createTestToken(admin, { userId: org.repOne.id, description: "SMS gateway", expiresAt: null });
  await setTokenActive(admin, inactive.token.id, false);
  // Created as of 30 days ago with a 10-day lifetime, so it has expired by now.
  const expired = await createTestToken(
    admin,
    { userId: org.repTwo.id, description: "Old CI job", expiresAt: addDays(now, -20) },
    addDays(now, -30),
  );
  const revoked = await createTestToken(admin, {
    userId: org.repTwo.id,
    description: "Leaked script",
    accountSid: "abcdef0123456789abcdef0123456789",
  });
  await revokeToken(admin, revoked.token.id, "Leaked");
  const adminOwn = await createTestToken(admin, { description: "Admin automation", permissions: ["tokens:admin"] });
  return { ...org, tokens: { active, inactive, expired, revoked, adminOwn } };
}

describe("listTokens", () => {
  it("admin sees every token of the organization, newest first by default", async () => {
    const { admin, tokens } = await organizationWithTokens();
    const page = await listTokens(actorFor(admin));
    expect(page.total).toBe(5);
    expect(page.nextCursor).toBeNull();
    expect(sorted(ids(page.tokens))).toEqual(sorted(Object.values(tokens).map((created) => created.token.id)));
    const createdAt = page.tokens.map((token) => Date.parse(token.createdAt));
    expect(createdAt).toEqual([...createdAt].sort((a, b) => b - a));
  });

  it("filter by userId: only that rep's tokens", async () => {
    const { admin, repOne, repTwo, tokens } = await organizationWithTokens();
    const one = await listTokens(actorFor(admin), { userId: repOne.id });
    expect(sorted(ids(one.tokens))).toEqual(sorted([tokens.active.token.id, tokens.inactive.token.id]));
    expect(one.total).toBe(2);
    const two = await listTokens(actorFor(admin), { userId: repTwo.id });
    expect(sorted(ids(two.tokens))).toEqual(sorted([tokens.expired.token.id, tokens.revoked.token.id]));
    expect(one.tokens.every((token) => token.userId === repOne.id)).toBe(true);
  });

  it.each([
    ["active", ["active", "adminOwn"]],
    ["inactive", ["inactive"]],
    ["expired", ["expired"]],
    ["revoked", ["revoked"]],
  ] as const)("filter by state %s", async (state, expected) => {
    const { admin, tokens } = await organizationWithTokens();
    const page = await listTokens(actorFor(admin), { state });
    expect(sorted(ids(page.tokens))).toEqual(sorted(expected.map((name) => tokens[name].token.id)));
    expect(page.total).toBe(expected.length);
    expect(page.tokens.every((token) => token.state === state)).toBe(true);
  });

  it("search matches the description, case-insensitively", async () => {
    const { admin, tokens } = await organizationWithTokens();
    const page = await listTokens(actorFor(admin), { search: "sms GATE" });
    expect(ids(page.tokens)).toEqual([tokens.inactive.token.id]);
    expect(page.total).toBe(1);
  });

  it("search matches the account SID", async () => {
    const { admin, tokens } = await organizationWithTokens();
    const page = await listTokens(actorFor(admin), { search: "ABCDEF0123456789ABCDEF0123456789" });
    expect(ids(page.tokens)).toEqual([tokens.revoked.token.id]);
    const partial = await listTokens(actorFor(admin), { search: tokens.active.token.accountSid.slice(4, 20) });
    expect(ids(partial.tokens)).toContain(tokens.active.token.id);
  });

  it("search matches the owner's username", async () => {
    const { admin, tokens } = await organizationWithTokens();
    const page = await listTokens(actorFor(admin), { search: "rep.two" });
    expect(sorted(ids(page.tokens))).toEqual(sorted([tokens.expired.token.id, tokens.revoked.token.id]));
    expect(page.total).toBe(2);
  });

  it("search treats % and _ literally", async () => {
    const { admin } = await organizationWithTokens();
    expect((await listTokens(actorFor(admin), { search: "%%%" })).total).toBe(0);
    expect((await listTokens(actorFor(admin), { search: "___" })).total).toBe(0);
  });

  it("a search needs three characters: a shorter one is no search (a trigram index cannot narrow it)", async () => {
    const { admin, tokens } = await organizationWithTokens();
    expect((await listTokens(actorFor(admin), { search: "ob" })).total).toBe(5);
    expect((await listTokens(actorFor(admin), { search: " ob " })).total).toBe(5);
    expect(ids((await listTokens(actorFor(admin), { search: "job" })).tokens)).toEqual([tokens.expired.token.id]);
  });

  it("filters combine: rep, state and search together", async () => {
    const { admin, repOne, tokens } = await organizationWithTokens();
    const page = await listTokens(actorFor(admin), { userId: repOne.id, state: "active", search: "vendor" });
    expect(ids(page.tokens)).toEqual([tokens.active.token.id]);
    const none = await listTokens(actorFor(admin), { userId: repOne.id, state: "revoked" });
    expect(none).toEqual({ tokens: [], total: 0, totalCapped: false, nextCursor: null, policy: DEFAULT_POLICY });
  });

  it("counts stop at 10,000: beyond it the total is 10,000 and capped; a filter under the cap counts exactly", async () => {
    const { organization, admin, repOne, repTwo } = await createTestOrganization();
    const cap = PAGE_LIMITS.countCap;
    const n = cap + 1005;
    const db = await getDb();
    // n tokens made in one statement: every thousandth is rep two's, one in twenty-five is revoked.
    await db.execute(sql`
      insert into personal_access_tokens
        (organization_id, application_id, user_id, description, account_sid, secret_hash, hash_key_version, hint, revoked_at, created_at)
      select ${organization.id}::uuid, (select id from applications where organization_id = ${organization.id}::uuid and built_in), case when g % 1000 = 0 then ${repTwo.id}::uuid else ${repOne.id}::uuid end,
             'Bulk ' || g, md5('sid' || g || ${organization.id}), md5('hash' || g || ${organization.id}), 1, 'tsr_…bulk',
             case when g % 25 = 1 then now() end, now() - make_interval(secs => g)
      from generate_series(1, ${n}) as g`);
    const revoked = Math.floor((n - 1) / 25) + 1;
    const admins = actorFor(admin);
    const all = await listTokens(admins, { limit: 10 });
    expect(all).toMatchObject({ total: cap, totalCapped: true });
    expect(all.tokens.map((token) => token.description)).toEqual(Array.from({ length: 10 }, (_, i) => `Bulk ${i + 1}`));
    // Later pages count the same way.
    expect(await listTokens(admins, { limit: 10, cursor: all.nextCursor ?? undefined })).toMatchObject({ total: cap, totalCapped: true });
    expect(await listTokens(admins, { state: "revoked", limit: 10 })).toMatchObject({ total: revoked, totalCapped: false });
    expect(await listTokens(admins, { userId: repOne.id, limit: 10 })).toMatchObject({ total: cap, totalCapped: true });
    expect(await listTokens(admins, { userId: repTwo.id, limit: 5 })).toMatchObject({ total: 11, totalCapped: false });
    // "Bulk 1000" and "Bulk 10000" … "Bulk 10009".
    expect(await listTokens(admins, { search: "Bulk 1000", limit: 5 })).toMatchObject({ total: 11, totalCapped: false });
    // A rep counts only their own tokens, whatever the organization holds.
    expect(await listTokens(actorFor(repTwo), { limit: 5 })).toMatchObject({ total: 11, totalCapped: false });
    // The reps page counts each person's working tokens the same way.
    const reps = await listReps(admins);
    expect(reps.find((rep) => rep.id === repOne.id)?.activeTokens).toEqual({ total: cap, totalCapped: true });
    expect(reps.find((rep) => rep.id === repTwo.id)?.activeTokens).toEqual({ total: 11, totalCapped: false });
  });

  it("rep sees only their own tokens", async () => {
    const { repOne, tokens } = await organizationWithTokens();
    const page = await listTokens(actorFor(repOne));
    expect(sorted(ids(page.tokens))).toEqual(sorted([tokens.active.token.id, tokens.inactive.token.id]));
    expect(page.total).toBe(2);
  });
});

describe("listTokens — sorting and keyset pagination", () => {
  /** Seven tokens with ties on every sort key, so the id tie-breaker is exercised. */
  async function organizationForSorting() {
    const org = await createTestOrganization();
    const admin = actorFor(org.admin);
    const now = new Date();
    const specs = [
      { userId: org.repOne.id, description: "charlie", expiresAt: addDays(now, 5) },
      { userId: org.repTwo.id, description: "alpha", expiresAt: null },
      { userId: org.repOne.id, description: "bravo", expiresAt: addDays(now, 5) },
      { userId: org.repTwo.id, description: "alpha", expiresAt: addDays(now, 2) },
      { userId: org.admin.id, description: "delta", expiresAt: null },
      { userId: org.repOne.id, description: "bravo", expiresAt: addDays(now, 9) },
      { userId: org.repTwo.id, description: "echo", expiresAt: addDays(now, 1) },
    ];
    const created: TokenView[] = [];
    for (const spec of specs) created.push((await createTestToken(admin, spec, now)).token);

    // Some tokens have been used (two at the same instant), the rest never.
    const db = await getDb();
    const usedAt = [addDays(now, -1), addDays(now, -3), addDays(now, -1)];
    for (const [index, lastUsedAt] of usedAt.entries()) {
      const token = created[index * 2];
      if (!token) throw new Error("missing token");
      await db.update(personalAccessTokens).set({ lastUsedAt }).where(eq(personalAccessTokens.id, token.id));
    }
    const rows = await db.select().from(personalAccessTokens).where(eq(personalAccessTokens.organizationId, org.organization.id));
    return { ...org, rows };
  }

  type Row = Awaited<ReturnType<typeof organizationForSorting>>["rows"][number];
  const compareIds = (a: Row, b: Row) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  const time = (date: Date | null, fallback: number) => (date ? date.getTime() : fallback);
  const text = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

  const expectedOrder: Record<TokenSort, (a: Row, b: Row) => number> = {
    created_desc: (a, b) => b.createdAt.getTime() - a.createdAt.getTime() || -compareIds(a, b),
    created_asc: (a, b) => a.createdAt.getTime() - b.createdAt.getTime() || compareIds(a, b),
    description_asc: (a, b) => text(a.description, b.description) || compareIds(a, b),
    expires_asc: (a, b) =>
      Math.sign(time(a.expiresAt, Number.POSITIVE_INFINITY) - time(b.expiresAt, Number.POSITIVE_INFINITY)) || compareIds(a, b),
    last_used_desc: (a, b) =>
      Math.sign(time(b.lastUsedAt, Number.NEGATIVE_INFINITY) - time(a.lastUsedAt, Number.NEGATIVE_INFINITY)) || -compareIds(a, b),
  };

  it.each(TOKEN_SORTS)("sort %s: walking pages of 2 yields every token exactly once, in order, with the right total", async (sort) => {
    const { admin, rows } = await organizationForSorting();
    const { tokens, totals, pages } = await walk(actorFor(admin), { sort, limit: 2 });
    expect(pages).toBe(4);
    expect(totals.every((total) => total === 7)).toBe(true);
    expect(new Set(ids(tokens)).size).toBe(tokens.length);
    expect(ids(tokens)).toEqual([...rows].sort(expectedOrder[sort]).map((row) => row.id));
  });

  it("pagination respects filters: a rep's pages hold only their tokens, each once", async () => {
    const { admin, repOne, rows } = await organizationForSorting();
    const mine = rows.filter((row) => row.userId === repOne.id).map((row) => row.id);
    for (const actor of [actorFor(admin), actorFor(repOne)]) {
      const { tokens, totals } = await walk(actor, { userId: repOne.id, sort: "description_asc", limit: 2 });
      expect(sorted(ids(tokens))).toEqual(sorted(mine));
      expect(totals.every((total) => total === mine.length)).toBe(true);
    }
  });

  it("a cursor of another sort order starts again from the first page", async () => {
    const { admin } = await organizationForSorting();
    const first = await listTokens(actorFor(admin), { sort: "created_asc", limit: 2 });
    if (first.nextCursor === null) throw new Error("expected a second page");
    const other = await listTokens(actorFor(admin), { sort: "created_desc", limit: 2 });
    const reused = await listTokens(actorFor(admin), { sort: "created_desc", limit: 2, cursor: first.nextCursor });
    expect(ids(reused.tokens)).toEqual(ids(other.tokens));
  });
});

describe("listTokens — hand-edited console URLs", () => {
  it("ignores a search with a NUL (PostgreSQL text cannot hold one) and a tampered cursor", async () => {
    const { admin } = await organizationWithTokens();
    const first = await listTokens(actorFor(admin), { limit: 2 });
    const tampered = Buffer.from(JSON.stringify({ s: "created_desc", v: "x 1", id: "0b7f9a52-8e3c-4d1a-9f6e-2c5b7a1d3e4f" })).toString(
      "base64url",
    );
    expect(ids((await listTokens(actorFor(admin), { limit: 2, search: "a\u0000b" })).tokens)).toEqual(ids(first.tokens));
    expect(ids((await listTokens(actorFor(admin), { limit: 2, cursor: tampered })).tokens)).toEqual(ids(first.tokens));
  });
});
