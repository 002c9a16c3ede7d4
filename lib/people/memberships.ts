import { and, asc, eq } from "drizzle-orm";
import { getDb } from "@/db";
import { organizations, persons, users } from "@/db/schema";
import { isOpenMembership } from "@/lib/auth/session-store";
import type { Role } from "@/lib/permissions/catalog";

/** One of the signed-in person's organizations, as the header's select and Options' create dialog show it. */
export type WorkingMembership = { slug: string; name: string; role: Role };

/**
 * The organizations a person works in now (active membership, active organization), in the
 * order they joined: the first is their default, where the old paths (/options, /admin/…) lead.
 * Only ever asked for the signed-in person's own: no admin reads another organization's list.
 */
export async function listWorkingMemberships(personId: string): Promise<WorkingMembership[]> {
  const db = await getDb();
  return db
    .select({ slug: organizations.slug, name: organizations.name, role: users.role })
    .from(users)
    .innerJoin(organizations, eq(organizations.id, users.organizationId))
    .innerJoin(persons, eq(persons.id, users.personId))
    .where(and(eq(users.personId, personId), isOpenMembership))
    .orderBy(asc(users.createdAt), asc(users.id));
}
