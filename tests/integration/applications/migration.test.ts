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

// Migration 0007 on a database the previous version populated: every organization gets the
// built-in Tessera API and the Enterprise REST API, and each token moves to the application
// holding most of its permissions — so no token value changes and what each token did, it
// still does (SPEC §9, "nothing stops working").

const folder = path.resolve("db/migrations");
const journal = JSON.parse(readFileSync(path.join(folder, "meta/_journal.json"), "utf8")) as { entries: { idx: number; tag: string }[] };
const before = mkdtempSync(path.join(tmpdir(), "tessera-migrations-"));
afterAll(() => rmSync(before, { recursive: true, force: true }));

/** The migrations folder as the previous version shipped it: everything before 0007. */
function previousVersion(): string {
  const entries = journal.entries.filter((entry) => entry.idx < 7);
  cpSync(path.join(folder, "meta"), path.join(before, "meta"), { recursive: true });
  writeFileSync(path.join(before, "meta/_journal.json"), JSON.stringify({ ...journal, entries }));
  for (const entry of entries) cpSync(path.join(folder, `${entry.tag}.sql`), path.join(before, `${entry.tag}.sql`));
  return before;
}

describe("migration 0007 (applications) on a populated database", () => {
  it("moves every token to the application holding its permissions; nothing else changes", async () => {
    const client = new PGlite("memory://", { extensions: { pg_trgm, btree_gin } });
    const db = drizzle(client);
    await migrate(db, { migrationsFolder: previousVersion() });
    await client.exec(`
      insert into organizations (id, slug, name) values ('00000000-0000-4000-8000-000000000001', 'old', 'Old Org');
      insert into users (id, organization_id, username, email, display_name, role, password_hash) values
        ('00000000-0000-4000-8000-0000000000a1', '00000000-0000-4000-8000-000000000001', 'admin', 'a@old.test', 'A', 'admin', 'x');
      insert into personal_access_tokens (id, organization_id, user_id, description, account_sid, permissions, secret_hash, hash_key_version, hint)
      values
        ('00000000-0000-4000-8000-0000000000b1', '00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-0000000000a1',
         'automation', 'a1', '{tokens:read,tokens:write}', 'h1', 1, 'tsr_…1'),
        ('00000000-0000-4000-8000-0000000000b2', '00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-0000000000a1',
         'vendor', 'a2', '{assessments:read,assessments:write,employees:read}', 'h2', 1, 'tsr_…2'),
        ('00000000-0000-4000-8000-0000000000b3', '00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-0000000000a1',
         'mostly tokens', 'a3', '{tokens:read,tokens:write,orders:read}', 'h3', 1, 'tsr_…3');
    `);
    await migrate(db, { migrationsFolder: folder });

    const { rows: apps } = await client.query<{ slug: string; built_in: boolean; scopes: number; presets: number }>(`
      select a.slug, a.built_in,
        (select count(*)::int from application_scopes s where s.application_id = a.id) as scopes,
        (select count(*)::int from application_presets p where p.application_id = a.id) as presets
      from applications a order by a.slug`);
    expect(apps).toEqual([
      { slug: "enterprise-rest-api", built_in: false, scopes: 13, presets: 3 },
      { slug: "tessera-api", built_in: true, scopes: 8, presets: 1 },
    ]);
    const { rows: tokens } = await client.query<{ description: string; slug: string; permissions: string[]; secret_hash: string }>(`
      select t.description, a.slug, t.permissions, t.secret_hash from personal_access_tokens t join applications a on a.id = t.application_id
      order by t.description`);
    expect(tokens).toEqual([
      { description: "automation", slug: "tessera-api", permissions: ["tokens:read", "tokens:write"], secret_hash: "h1" },
      { description: "mostly tokens", slug: "tessera-api", permissions: ["tokens:read", "tokens:write", "orders:read"], secret_hash: "h3" },
      {
        description: "vendor",
        slug: "enterprise-rest-api",
        permissions: ["assessments:read", "assessments:write", "employees:read"],
        secret_hash: "h2",
      },
    ]);
    // The column is required from now on, and a token cannot point at another organization's application.
    await expect(
      client.query(
        `insert into personal_access_tokens (organization_id, user_id, description, account_sid, secret_hash, hash_key_version, hint)
         values ('00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-0000000000a1', 'x', 'a4', 'h4', 1, 'h')`,
      ),
    ).rejects.toThrow(/application_id/);
    await client.close();
  });
});
