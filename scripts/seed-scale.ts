// `npm run seed:scale -- [--tokens 100000] [--reps 25] [--organizations 0] [--tokens-per-organization 1000]
//   [--audit-events 0]`: adds the organization "scale" (admin sysadmin@scale.test, password tessera-demo)
// with that many tokens and audit events to the configured database, and beside it small organizations
// "scale-001" … (admin sysadmin@scale-001.test, four reps), for measuring the lists at size. Rerunning
// tops each part up to the numbers asked for; nothing is ever removed.
//
// Every row is made by INSERT … SELECT generate_series in batches, so a million tokens or ten
// million audit events take minutes, not hours: each row's rep is picked from an array of the
// organization's rep ids by the row number (g % n), with no per-row lookup.
import { parseArgs } from "node:util";
import { and, count, eq, like, sql, type SQL } from "drizzle-orm";
import { closeDb, getDb, type Database } from "@/db";
import { auditEvents, organizations, persons, personalAccessTokens, users, type Organization } from "@/db/schema";
import { hashPassword } from "@/lib/auth/passwords";
import { createOrganization } from "@/lib/organizations/create";
import { ENTERPRISE_REST_API } from "@/lib/organizations/demo-applications";
import { installApplication, TESSERA_API } from "@/lib/applications/definition";
import { DEMO_PASSWORD } from "@/lib/organizations/demo-data";

export const SCALE_ADMIN = "sysadmin@scale.test";
/** The audit action that makes up exactly 1% of the seeded events (the CSV export's filter in the benchmark). */
export const ONE_PERCENT_ACTION = "user.updated";
/** The rep with a hundredth of the others' audit events: a filter that the newest events do not satisfy. */
export const QUIET_REP_EMAIL = (reps: number) => `rep${reps - 1}@scale.test`;

export type ScaleOptions = {
  tokens: number;
  reps: number;
  organizations?: number;
  tokensPerOrganization?: number;
  auditEvents?: number;
  log?: (line: string) => void;
};

const TOKEN_BATCH = 250_000;
const AUDIT_BATCH = 1_000_000;

/** Seeds (or tops up) the scale organization, the small organizations beside it and the audit log. */
export async function seedScale(db: Database, options: ScaleOptions): Promise<Organization> {
  const log = options.log ?? (() => {});
  const organization = await ensureScaleOrganization(db, options.reps);
  await topUpTokens(db, organization.id, options.tokens, log);
  if (options.organizations) await seedSmallOrganizations(db, options.organizations, options.tokensPerOrganization ?? 1000, log);
  if (options.auditEvents) await topUpAuditEvents(db, organization.id, options.auditEvents, log);
  log("vacuum analyze");
  // Fresh statistics and visibility maps, as autovacuum would leave a table that grew this way.
  await db.execute(sql`vacuum analyze personal_access_tokens, users, persons, organizations`);
  if (options.auditEvents) await db.execute(sql`vacuum analyze audit_events`);
  return organization;
}

async function ensureScaleOrganization(db: Database, repCount: number): Promise<Organization> {
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
    applications: [ENTERPRISE_REST_API],
    users: [{ username: "sysadmin", email: SCALE_ADMIN, displayName: "Scale Admin", role: "admin", password: DEMO_PASSWORD }, ...reps],
  });
  return organization;
}

async function countRows(db: Database, table: typeof personalAccessTokens | typeof auditEvents, organizationId: string) {
  const [row] = await db.select({ n: count() }).from(table).where(eq(table.organizationId, organizationId));
  return row?.n ?? 0;
}

// The organization's rep ids in username order, as one array; row g gets element 1 + g % n.
const repIdsOf = (organizationId: SQL) =>
  sql`(select array_agg(id order by username) from users where organization_id = ${organizationId} and role = 'rep')`;

/**
 * Inserts tokens numbered from+1 … to for one organization. The hashes are random placeholders
 * (no value exists for them); the mix of states, permissions and use resembles a real table.
 */
function insertTokens(organizationId: SQL, from: SQL | number, to: SQL | number): SQL {
  return sql`
    insert into personal_access_tokens
      (organization_id, application_id, user_id, created_by_id, description, account_sid, permissions, expires_at, active,
       revoked_at, secret_hash, hash_key_version, hint, created_at, updated_at, last_used_at)
    select ${organizationId},
      (select id from applications where organization_id = ${organizationId} and slug = 'enterprise-rest-api'),
      r.ids[1 + g % cardinality(r.ids)], r.ids[1 + g % cardinality(r.ids)],
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
    from ${repIdsOf(organizationId)} as r(ids), generate_series(${from}::int + 1, ${to}::int) as g`;
}

async function topUpTokens(db: Database, organizationId: string, wanted: number, log: (line: string) => void) {
  const have = await countRows(db, personalAccessTokens, organizationId);
  for (let from = have; from < wanted; from += TOKEN_BATCH) {
    const to = Math.min(wanted, from + TOKEN_BATCH);
    const started = Date.now();
    await bulkInsert(db, insertTokens(sql`${organizationId}::uuid`, from, to));
    log(`tokens ${from + 1}–${to} in ${seconds(started)}`);
  }
}

/**
 * Small organizations "scale-001" … beside the big one: each an admin, four reps and `tokens`
 * tokens. The users share one password hash (argon2 is slow on purpose; they all sign in with
 * tessera-demo). Organizations that exist already are left as they are.
 */
async function seedSmallOrganizations(db: Database, howMany: number, tokens: number, log: (line: string) => void) {
  const started = Date.now();
  const before = await db.select({ n: count() }).from(organizations).where(like(organizations.slug, "scale-%"));
  if ((before[0]?.n ?? 0) >= howMany) return;
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const slugs = Array.from({ length: howMany }, (_, i) => `scale-${String(i + 1).padStart(3, "0")}`);
  const created = await db
    .insert(organizations)
    .values(slugs.map((slug, i) => ({ slug, name: `Scale Neighbour ${i + 1}` })))
    .onConflictDoNothing({ target: organizations.slug })
    .returning();
  for (const { id, slug } of created) {
    for (const application of [TESSERA_API, ENTERPRISE_REST_API]) await installApplication(db, id, application);
    const usernames = ["sysadmin", "rep0", "rep1", "rep2", "rep3"];
    const people = await db
      .insert(persons)
      .values(usernames.map((username) => ({ email: `${username}@${slug}.test`, passwordHash })))
      .returning({ id: persons.id });
    await db.insert(users).values(
      usernames.map((username, i) => ({
        organizationId: id,
        personId: people[i]?.id ?? "",
        username,
        displayName: username === "sysadmin" ? "Admin" : `Rep ${username.slice(3)}`,
        role: username === "sysadmin" ? ("admin" as const) : ("rep" as const),
      })),
    );
    await bulkInsert(db, insertTokens(sql`${id}::uuid`, 0, tokens));
  }
  log(`${created.length} small organizations with ${tokens} tokens each in ${seconds(started)}`);
}

/**
 * Audit events numbered from+1 … to, one a second going back from now. Actions: sign-ins and
 * exchanges mostly, token changes, and ONE_PERCENT_ACTION exactly every hundredth event; each
 * event's rep is picked by g % n, except that the last rep gets a hundredth of its share.
 */
function insertAuditEvents(organizationId: string, from: number, to: number): SQL {
  return sql`
    insert into audit_events
      (organization_id, occurred_at, actor_user_id, actor_token_id, action, target_type, target_id, target_user_id, ip, user_agent, details)
    select ${organizationId}::uuid, now() - g * interval '1 second',
      case when e.action = 'token.exchanged' then null else e.rep end,
      case when e.action = 'token.exchanged' then md5('token' || (g % 5000)::text)::uuid end,
      e.action,
      case when e.action like 'token.%' then 'token' else 'user' end,
      case when e.action like 'token.%' then md5('token' || (g % 5000)::text)::uuid::text else e.rep::text end,
      e.rep,
      '10.' || (g % 250) || '.' || (g / 250 % 250) || '.1',
      'Mozilla/5.0 (X11; Linux x86_64) scale-seed/' || (g % 7),
      case when e.action in ('token.updated', ${ONE_PERCENT_ACTION})
        then jsonb_build_object('changes', jsonb_build_object('description',
               jsonb_build_object('from', 'Integration ' || g, 'to', 'Integration ' || g || ' (renamed)')))
        else '{}'::jsonb end
    from ${repIdsOf(sql`${organizationId}::uuid`)} as r(ids),
      generate_series(${from}::int + 1, ${to}::int) as g,
      lateral (select
        r.ids[1 + case when g % cardinality(r.ids) = cardinality(r.ids) - 1 and g / cardinality(r.ids) % 100 <> 0
                       then 0 else g % cardinality(r.ids) end] as rep,
        case when g % 100 = 99 then ${ONE_PERCENT_ACTION}
             when g % 100 < 35 then 'sign_in.succeeded'
             when g % 100 < 45 then 'sign_in.failed'
             when g % 100 < 55 then 'sign_out'
             when g % 100 < 70 then 'token.exchanged'
             when g % 100 < 80 then 'token.updated'
             when g % 100 < 88 then 'token.created'
             when g % 100 < 93 then 'token.revoked'
             when g % 100 < 96 then 'token.deactivated'
             when g % 100 < 98 then 'token.activated'
             else 'token.regenerated' end as action) as e`;
}

async function topUpAuditEvents(db: Database, organizationId: string, wanted: number, log: (line: string) => void) {
  // Events the app itself wrote (organization.created) are not numbered; count only seeded ones.
  const [row] = await db
    .select({ n: count() })
    .from(auditEvents)
    .where(and(eq(auditEvents.organizationId, organizationId), like(auditEvents.userAgent, "%scale-seed/%")));
  for (let from = row?.n ?? 0; from < wanted; from += AUDIT_BATCH) {
    const to = Math.min(wanted, from + AUDIT_BATCH);
    const started = Date.now();
    await bulkInsert(db, insertAuditEvents(organizationId, from, to));
    log(`audit events ${from + 1}–${to} in ${seconds(started)}`);
  }
}

/**
 * Runs one INSERT … SELECT in a transaction of its own. Every id it writes is read from the
 * database by the same statement, so the foreign-key triggers would only re-check what holds by
 * construction — and they are most of the cost (three lookups per audit event). A superuser skips
 * them for the transaction, as pg_restore --disable-triggers does; anyone else keeps them.
 * (The tables' own triggers fire on UPDATE and DELETE only.)
 */
async function bulkInsert(db: Database, statement: SQL): Promise<void> {
  const [role] = await db.select({ superuser: sql<string>`current_setting('is_superuser')` }).from(sql`(select 1) as one`);
  await db.transaction(async (tx) => {
    if (role?.superuser === "on") await tx.execute(sql`set local session_replication_role = replica`);
    await tx.execute(statement);
  });
}

const seconds = (since: number) => `${((Date.now() - since) / 1000).toFixed(1)} s`;

const isMain = process.argv[1]?.endsWith("seed-scale.ts");
if (isMain) {
  const { values } = parseArgs({
    options: {
      tokens: { type: "string", default: "100000" },
      reps: { type: "string", default: "25" },
      organizations: { type: "string", default: "0" },
      "tokens-per-organization": { type: "string", default: "1000" },
      "audit-events": { type: "string", default: "0" },
    },
  });
  const started = Date.now();
  const organization = await seedScale(await getDb(), {
    tokens: Number(values.tokens),
    reps: Number(values.reps),
    organizations: Number(values.organizations),
    tokensPerOrganization: Number(values["tokens-per-organization"]),
    auditEvents: Number(values["audit-events"]),
    log: (line) => console.log(line),
  });
  console.log(`Organization "${organization.slug}" ready in ${seconds(started)}; sign in as ${SCALE_ADMIN} / ${DEMO_PASSWORD}.`);
  await closeDb();
}
