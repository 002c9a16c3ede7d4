// `npm run seed:scale -- [--tokens 100000] [--reps 25]`: adds the organization "scale"
// (admin sysadmin@scale.test, password tessera-demo) with that many tokens to the configured
// database, for measuring the token pages at size. Idempotent: an existing "scale" is kept.
import { parseArgs } from "node:util";
import { eq, sql } from "drizzle-orm";
import { closeDb, getDb, type Database } from "@/db";
import { organizations, users } from "@/db/schema";
import { createOrganization } from "@/lib/organizations/create";
import { DEMO_PASSWORD } from "@/lib/organizations/demo-data";

export const SCALE_ADMIN = "sysadmin@scale.test";

export async function seedScaleOrganization(db: Database, tokenCount: number, repCount: number) {
  const [existing] = await db.select().from(organizations).where(eq(organizations.slug, "scale"));
  if (existing) return existing;
  const reps = Array.from({ length: repCount }, (_, i) => ({
    username: `rep${String(i).padStart(3, "0")}`,
    email: `rep${i}@scale.test`,
    displayName: `Scale Rep ${i}`,
    role: "rep" as const,
    password: DEMO_PASSWORD,
  }));
  const { organization } = await createOrganization(db, {
    slug: "scale",
    name: "Scale Test",
    users: [{ username: "sysadmin", email: SCALE_ADMIN, displayName: "Scale Admin", role: "admin", password: DEMO_PASSWORD }, ...reps],
  });
  // One INSERT … SELECT: the hashes are random placeholders (no value exists for them), the
  // mix of states and permissions resembles a real organization's table.
  await db.execute(sql`
    insert into personal_access_tokens
      (organization_id, user_id, created_by_id, description, account_sid, permissions, expires_at, active,
       revoked_at, secret_hash, hash_key_version, hint, created_at, updated_at, last_used_at)
    select ${organization.id}, u.id, u.id,
      'Integration ' || g, md5('sid' || g::text || random()::text),
      case g % 3 when 0 then array['assessments:read','assessments:write','employees:read']
                 when 1 then array['messages:send','employees:read','customers:read']
                 else array['orders:read'] end,
      case when g % 5 = 0 then null else now() + ((g % 120) - 20) * interval '1 day' end,
      g % 17 <> 0,
      case when g % 23 = 0 then now() - interval '1 day' else null end,
      md5('a' || g::text || random()::text) || md5('b' || g::text || random()::text), 1,
      'tsr_scal…' || lpad((g % 10000)::text, 4, '0'),
      now() - g * interval '1 minute', now(),
      case when g % 4 = 0 then null else now() - (g % 1000) * interval '1 minute' end
    from generate_series(1, ${tokenCount}) as g
    join lateral (
      select id from users where organization_id = ${organization.id} and role = 'rep'
      order by username offset (g % ${repCount}) limit 1
    ) u on true`);
  await db.execute(sql`analyze personal_access_tokens`);
  return organization;
}

export async function scaleRepIds(db: Database, organizationId: string) {
  return db.select({ id: users.id }).from(users).where(eq(users.organizationId, organizationId));
}

const isMain = process.argv[1]?.endsWith("seed-scale.ts");
if (isMain) {
  const { values } = parseArgs({ options: { tokens: { type: "string", default: "100000" }, reps: { type: "string", default: "25" } } });
  const started = Date.now();
  const organization = await seedScaleOrganization(await getDb(), Number(values.tokens), Number(values.reps));
  console.log(
    `Organization "${organization.slug}" ready in ${((Date.now() - started) / 1000).toFixed(1)} s; sign in as ${SCALE_ADMIN} / ${DEMO_PASSWORD}.`,
  );
  await closeDb();
}
