// @module-tag database
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { btree_gin } from "@electric-sql/pglite/contrib/btree_gin";
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";
import { drizzle } from "drizzle-orm/pglite";
import { migrate } from "drizzle-orm/pglite/migrator";
import { afterAll, describe, expect, it } from "vitest";

// Migration 0008 on a database the previous versions populated: every user becomes a person
// (same id, e-mail, password and last sign-in) with that user as their one membership, and
// sessions move to the person — no token changes owner or value (SPEC §10, "nothing stops working").

const folder = path.resolve("db/migrations");
const journal = JSON.parse(readFileSync(path.join(folder, "meta/_journal.json"), "utf8")) as { entries: { idx: number; tag: string }[] };
const before = mkdtempSync(path.join(tmpdir(), "tessera-migrations-"));
afterAll(() => rmSync(before, { recursive: true, force: true }));

/** The migrations folder as an earlier version shipped it: everything before `idx`. */
function versionBefore(idx: number): string {
  const entries = journal.entries.filter((entry) => entry.idx < idx);
  cpSync(path.join(folder, "meta"), path.join(before, "meta"), { recursive: true });
  writeFileSync(path.join(before, "meta/_journal.json"), JSON.stringify({ ...journal, entries }));
  for (const entry of entries) cpSync(path.join(folder, `${entry.tag}.sql`), path.join(before, `${entry.tag}.sql`));
  return before;
}

const ORG = "00000000-0000-4000-8000-000000000001";
const ADMIN = "00000000-0000-4000-8000-0000000000a1";
const REP = "00000000-0000-4000-8000-0000000000a2";

describe("migration 0008 (people) on a populated database", () => {
  it("makes each user a person with one membership; tokens, sessions and audit keep their owners", async () => {
    const client = new PGlite("memory://", { extensions: { pg_trgm, btree_gin } });
    const db = drizzle(client);
    await migrate(db, { migrationsFolder: versionBefore(7) });
    await client.exec(`
      insert into organizations (id, slug, name) values ('${ORG}', 'old', 'Old Org');
      insert into organizations (id, slug, name) values ('00000000-0000-4000-8000-00000000a0a0', 'options', 'Named like a path');
      insert into organizations (id, slug, name) values ('00000000-0000-4000-8000-00000000b0b0', 'account', 'Named like /account');
      insert into users (id, organization_id, username, email, display_name, role, password_hash, last_sign_in_at) values
        ('${ADMIN}', '${ORG}', 'admin', 'a@old.test', 'A', 'admin', 'hash-a', '2026-11-30T10:00:00Z'),
        ('${REP}', '${ORG}', 'rep', 'r@old.test', 'R', 'rep', 'hash-r', null);
      insert into personal_access_tokens (id, organization_id, user_id, description, account_sid, permissions, secret_hash, hash_key_version, hint)
      values ('00000000-0000-4000-8000-0000000000b1', '${ORG}', '${REP}', 'vendor', 'a1', '{employees:read}', 'h1', 1, 'tsr_…1');
      insert into sessions (id, organization_id, user_id, expires_at) values
        ('00000000-0000-4000-8000-0000000000c1', '${ORG}', '${REP}', now() + interval '1 hour');
      insert into audit_events (organization_id, action, actor_user_id, target_user_id) values ('${ORG}', 'sign_in.succeeded', '${REP}', '${REP}');
    `);
    await migrate(db, { migrationsFolder: folder });

    // Every earlier password was set by an admin: it opens that admin's organization alone
    // (migrations 0008 and 0012).
    const { rows: people } = await client.query(
      `select id, email, password_hash, password_organization_id, last_sign_in_at from persons order by email`,
    );
    expect(people).toEqual([
      {
        id: ADMIN,
        email: "a@old.test",
        password_hash: "hash-a",
        password_organization_id: ORG,
        last_sign_in_at: new Date("2026-11-30T10:00:00Z"),
      },
      { id: REP, email: "r@old.test", password_hash: "hash-r", password_organization_id: ORG, last_sign_in_at: null },
    ]);
    // A slug that is now one of the console's own paths moves aside (0008; /account in 0013).
    const { rows: slugs } = await client.query(`select slug from organizations order by slug`);
    expect(slugs).toEqual([{ slug: "account-00000000" }, { slug: "old" }, { slug: "options-00000000" }]);
    const { rows: members } = await client.query(
      `select id, person_id, organization_id, username, role, active from users order by username`,
    );
    expect(members).toEqual([
      { id: ADMIN, person_id: ADMIN, organization_id: ORG, username: "admin", role: "admin", active: true },
      { id: REP, person_id: REP, organization_id: ORG, username: "rep", role: "rep", active: true },
    ]);
    const { rows: tokens } = await client.query(`select user_id, secret_hash from personal_access_tokens`);
    expect(tokens).toEqual([{ user_id: REP, secret_hash: "h1" }]);
    const { rows: sessions } = await client.query(`select id, person_id, ended_at from sessions`);
    expect(sessions).toEqual([{ id: "00000000-0000-4000-8000-0000000000c1", person_id: REP, ended_at: null }]);
    const { rows: audit } = await client.query(`select actor_user_id from audit_events where action = 'sign_in.succeeded'`);
    expect(audit).toEqual([{ actor_user_id: REP }]);

    // One person per address, and a person is a member of an organization once.
    await expect(client.query(`insert into persons (email, password_hash) values ('a@old.test', 'x')`)).rejects.toThrow(
      /persons_email_unique/,
    );
    await expect(
      client.query(`insert into users (organization_id, person_id, username, display_name) values ('${ORG}', '${REP}', 'again', 'Again')`),
    ).rejects.toThrow(/users_org_person_key/);
    await client.close();
  });
});
