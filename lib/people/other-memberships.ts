import { and, eq, ne, sql } from "drizzle-orm";
import type { Executor } from "@/db";
import { organizations, users } from "@/db/schema";

type Membership = { id: string; personId: string };

// These answer yes or no, never which organizations: an admin acts on their own organization's
// membership, and what else the person does stays with the person.

/** Whether the member's person still works in another organization (active membership, active organization). */
export async function worksElsewhere(executor: Executor, membership: Membership): Promise<boolean> {
  const [row] = await executor
    .select({ yes: sql<boolean>`true` })
    .from(users)
    .innerJoin(organizations, eq(organizations.id, users.organizationId))
    .where(
      and(eq(users.personId, membership.personId), ne(users.id, membership.id), eq(users.active, true), eq(organizations.active, true)),
    )
    .limit(1);
  return row !== undefined;
}

/** Whether the member's person has any other membership, working or not: then their password is not one organization's to set. */
export async function belongsElsewhere(executor: Executor, membership: Membership): Promise<boolean> {
  const [row] = await executor
    .select({ yes: sql<boolean>`true` })
    .from(users)
    .where(and(eq(users.personId, membership.personId), ne(users.id, membership.id)))
    .limit(1);
  return row !== undefined;
}
