import { and, eq } from "drizzle-orm";
import type { Executor } from "@/db";
import { organizations, users } from "@/db/schema";
import type { Actor } from "@/lib/auth/actor";
import { notFound } from "@/lib/shared/errors";
import type { TokenPolicy } from "@/lib/organizations/policy";

export async function loadPolicy(executor: Executor, organizationId: string): Promise<TokenPolicy> {
  const [policy] = await executor
    .select({
      maxLifetimeDays: organizations.maxLifetimeDays,
      requireExpiration: organizations.requireExpiration,
      defaultLifetimeDays: organizations.defaultLifetimeDays,
      expiryNoticeDays: organizations.expiryNoticeDays,
    })
    .from(organizations)
    .where(eq(organizations.id, organizationId));
  if (!policy) throw notFound("Organization");
  return policy;
}

/** The owner a token may be created for: an active user of the actor's organization. */
export async function loadOwner(executor: Executor, actor: Actor, userId: string) {
  const [owner] = await executor
    .select({ id: users.id, role: users.role, active: users.active, username: users.username, displayName: users.displayName })
    .from(users)
    .where(and(eq(users.organizationId, actor.organizationId), eq(users.id, userId)));
  return owner ?? null;
}
