import { and, eq } from "drizzle-orm";
import type { Executor } from "@/db";
import { users } from "@/db/schema";
import type { Actor } from "@/lib/auth/actor";

/** The owner a token may be created for: an active user of the actor's organization. */
export async function loadOwner(executor: Executor, actor: Actor, userId: string) {
  const [owner] = await executor
    .select({ id: users.id, role: users.role, active: users.active, username: users.username, displayName: users.displayName })
    .from(users)
    .where(and(eq(users.organizationId, actor.organizationId), eq(users.id, userId)));
  return owner ?? null;
}
