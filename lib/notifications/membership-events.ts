import { and, eq, inArray } from "drizzle-orm";
import type { Executor } from "@/db";
import { organizations, persons, users } from "@/db/schema";
import type { Actor } from "@/lib/auth/actor";
import { organizationConsoleUrl } from "./console-url";
import { membershipAddedMessage, passwordResetMessage } from "./messages";
import { enqueueNotifications } from "./outbox";

// Mails about an admin's change to a membership. Each takes the change's transaction, so the
// mail is queued if and only if the change commits; each goes to the person's own address.

type Membership = { id: string; username: string; displayName: string; role: "admin" | "rep" };

/** membership.added — an existing person was added to the admin's organization. */
export async function notifyMembershipAdded(tx: Executor, actor: Actor, member: Membership): Promise<void> {
  const { organization, people } = await loadMembers(tx, actor.organizationId, [member.id, actor.userId]);
  const recipient = people.get(member.id);
  const admin = people.get(actor.userId);
  if (!recipient || !admin || !organization) return;
  const message = membershipAddedMessage({
    member: { ...member, displayName: recipient.displayName },
    admin,
    organizationName: organization.name,
    consoleUrl: organizationConsoleUrl(organization.slug),
  });
  await enqueueNotifications(tx, [
    { organizationId: actor.organizationId, recipientUserId: member.id, recipient: recipient.email, kind: "membership.added", ...message },
  ]);
}

/**
 * person.password_reset — the link itself is made when the mail is sent (lib/notifications/delivery.ts).
 * "requested": the admin asked for a reset; "joined": joining the admin's organization withdrew a
 * password another organization's admin had set.
 */
export async function notifyPasswordResetLink(
  tx: Executor,
  actor: Actor,
  member: Pick<Membership, "id">,
  reason: "requested" | "joined" = "requested",
): Promise<void> {
  const { organization, people } = await loadMembers(tx, actor.organizationId, [member.id, actor.userId]);
  const recipient = people.get(member.id);
  const admin = people.get(actor.userId);
  if (!recipient || !admin || !organization) return;
  const message = passwordResetMessage({ member: recipient, admin, organizationName: organization.name, reason });
  await enqueueNotifications(tx, [
    {
      organizationId: actor.organizationId,
      recipientUserId: member.id,
      recipient: recipient.email,
      kind: "person.password_reset",
      ...message,
    },
  ]);
}

async function loadMembers(tx: Executor, organizationId: string, ids: string[]) {
  const rows = await tx
    .select({
      id: users.id,
      email: persons.email,
      displayName: users.displayName,
      organization: { name: organizations.name, slug: organizations.slug },
    })
    .from(users)
    .innerJoin(persons, eq(persons.id, users.personId))
    .innerJoin(organizations, eq(organizations.id, users.organizationId))
    .where(and(eq(users.organizationId, organizationId), inArray(users.id, ids)));
  return { organization: rows[0]?.organization, people: new Map(rows.map((row) => [row.id, row])) };
}
