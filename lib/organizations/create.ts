import { sql } from "drizzle-orm";
import type { Database, Executor } from "@/db";
import { organizations, users, type Organization } from "@/db/schema";
import { recordAuditEvent } from "@/lib/audit/record";
import type { RequestContext } from "@/lib/http/request-context";
import { hashPassword } from "@/lib/auth/passwords";
import type { Role } from "@/lib/permissions/catalog";
import { installApplication, TESSERA_API, type ApplicationDefinition } from "@/lib/applications/definition";
import { findOrCreatePerson } from "@/lib/people/persons";
import type { Member } from "@/lib/people/member";
import { assertSlugAvailable } from "./slug";

export type NewUserInput = {
  username: string;
  email: string;
  displayName: string;
  role: Role;
  password: string;
};

/**
 * Creates an organization with its first admin (and any further members), the built-in Tessera
 * API application and any further `applications`, audited, in one transaction.
 */
export async function createOrganization(
  db: Database,
  input: { slug: string; name: string; users: NewUserInput[]; applications?: readonly ApplicationDefinition[] },
  context?: RequestContext,
): Promise<{ organization: Organization; users: Member[] }> {
  // Hash outside the transaction: argon2 is deliberately slow.
  const hashed = await Promise.all(input.users.map(async (user) => ({ ...user, passwordHash: await hashPassword(user.password) })));
  assertSlugAvailable(input.slug);
  return db.transaction(async (tx) => {
    const [organization] = await tx.insert(organizations).values({ slug: input.slug, name: input.name }).returning();
    if (!organization) throw new Error("organization insert returned no row");
    await recordAuditEvent(tx, {
      organizationId: organization.id,
      action: "organization.created",
      targetType: "organization",
      targetId: organization.id,
      context,
      details: { slug: organization.slug, name: organization.name },
    });
    for (const application of [TESSERA_API, ...(input.applications ?? [])]) {
      await installApplication(tx, organization.id, application);
    }
    const created = await insertUsers(tx, organization.id, hashed, context);
    return { organization, users: created };
  });
}

async function insertUsers(
  tx: Executor,
  organizationId: string,
  rows: (Omit<NewUserInput, "password"> & { passwordHash: string })[],
  context?: RequestContext,
): Promise<Member[]> {
  const created: Member[] = [];
  for (const row of rows) {
    // A person already known by the e-mail joins with their own password (SPEC §10: the
    // demo's consultant works in two organizations); anyone else becomes a person here, with the
    // operator's password as their own. A person whose password an admin of another organization
    // set (which opens that organization alone) keeps it; the new organization opens once they
    // choose their own (SPEC §14).
    const { person } = await findOrCreatePerson(tx, row.email, { hash: row.passwordHash, organizationId: null });
    const [user] = await tx
      .insert(users)
      .values({ organizationId, personId: person.id, username: row.username, displayName: row.displayName, role: row.role })
      .returning();
    if (!user) throw new Error("user insert returned no row");
    await recordAuditEvent(tx, {
      organizationId,
      action: "user.created",
      targetType: "user",
      targetId: user.id,
      targetUserId: user.id,
      context,
      details: { username: user.username, email: person.email, role: user.role },
    });
    created.push({ ...user, email: person.email });
  }
  return created;
}

export async function countOrganizations(db: Executor): Promise<number> {
  const [row] = await db.select({ count: sql<number>`count(*)::int` }).from(organizations);
  return row?.count ?? 0;
}
