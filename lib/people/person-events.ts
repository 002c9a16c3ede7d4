import { and, asc, eq } from "drizzle-orm";
import type { Executor } from "@/db";
import { organizations, users } from "@/db/schema";
import { recordAuditEvent, type AuditAction } from "@/lib/audit/record";
import type { RequestContext } from "@/lib/http/request-context";

export type MembershipRef = { organizationId: string; userId: string };

/**
 * The memberships a person-level event (a sign-in, a sign-out) is recorded under: each
 * organization's audit log sees it as its own member's, and none learns of the others.
 * `workingOnly` keeps the active memberships of active organizations.
 */
export async function membershipsOf(executor: Executor, personId: string, options: { workingOnly: boolean }): Promise<MembershipRef[]> {
  return executor
    .select({ organizationId: users.organizationId, userId: users.id })
    .from(users)
    .innerJoin(organizations, eq(organizations.id, users.organizationId))
    .where(and(eq(users.personId, personId), options.workingOnly ? and(eq(users.active, true), eq(organizations.active, true)) : undefined))
    .orderBy(asc(users.createdAt), asc(users.id));
}

/**
 * The request's address and user agent as a person-level event records them in its `index`-th
 * membership (oldest first): only the first, the person's default organization, sees them. An
 * organization that added the person later must not follow where they sign in from.
 */
export function personEventContext(context: RequestContext, index: number): RequestContext {
  return index === 0 ? context : { ip: null, userAgent: null };
}

/** Records one event per membership of the person (see membershipsOf), each acted and targeted as that membership. */
export async function recordPersonEvent(
  executor: Executor,
  personId: string,
  action: AuditAction,
  context: RequestContext,
  details: Record<string, unknown>,
  options: { workingOnly: boolean },
): Promise<void> {
  const memberships = await membershipsOf(executor, personId, options);
  for (const [index, membership] of memberships.entries()) {
    await recordAuditEvent(executor, {
      organizationId: membership.organizationId,
      action,
      actorUserId: membership.userId,
      targetType: "user",
      targetId: membership.userId,
      targetUserId: membership.userId,
      context: personEventContext(context, index),
      details,
    });
  }
}
