import { sql } from "drizzle-orm";
import type { Database } from "@/db";
import { isUniqueViolation } from "@/db/errors";
import { DEMO_APPLICATIONS } from "./demo-applications";
import { countOrganizations, createOrganization, type NewUserInput } from "./create";
import type { Role } from "@/lib/permissions/catalog";

export const DEMO_PASSWORD = "tessera-demo";

const demoUser = (email: string, displayName: string, role: Role = "rep"): NewUserInput => ({
  username: email.split("@")[0] ?? email,
  email,
  displayName,
  role,
  password: DEMO_PASSWORD,
});

/** SPEC §10: one person in both demo organizations, a rep in one and an admin in the other. */
export const DEMO_CONSULTANT_EMAIL = "consultant@partner.test";

// SPEC §7 and §10: tests and the README rely on exactly these organizations and members.
export const DEMO_ORGANIZATIONS = [
  {
    slug: "acme",
    name: "Acme Staffing",
    users: [
      demoUser("sysadmin@acme.test", "Acme System Admin", "admin"),
      demoUser("alexander.swanson@acme.test", "Alexander Swanson"),
      demoUser("dominic.reinke@acme.test", "Dominic Reinke"),
      demoUser("susan@acme.test", "Susan Meyer"),
      demoUser(DEMO_CONSULTANT_EMAIL, "Casey Consultant"),
    ],
  },
  {
    slug: "globex",
    name: "Globex",
    users: [
      demoUser("sysadmin@globex.test", "Globex System Admin", "admin"),
      demoUser("kevin.prow@globex.test", "Kevin Prow"),
      // The same person as in Acme (same e-mail, one password), with a role of Globex's own.
      demoUser(DEMO_CONSULTANT_EMAIL, "Casey Consultant", "admin"),
    ],
  },
] as const;

/**
 * Seeds the demo organizations when the database has none. Safe to call from every instance
 * at every start: an advisory lock serializes concurrent starts, and a non-empty database is
 * left alone. Returns whether it seeded.
 */
export async function seedDemoData(db: Database): Promise<boolean> {
  const empty = await db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext('tessera:seed'))`);
    return (await countOrganizations(tx)) === 0;
  });
  if (!empty) return false;
  for (const organization of DEMO_ORGANIZATIONS) {
    await createOrganization(db, { ...organization, users: [...organization.users], applications: DEMO_APPLICATIONS }).catch(
      (error: unknown) => {
        // Another instance seeded the same organization between our check and insert.
        if (!isUniqueViolation(error)) throw error;
      },
    );
  }
  return true;
}
