import { and, eq, inArray } from "drizzle-orm";
import type { Executor } from "@/db";
import { organizations, persons, users } from "@/db/schema";
import type { Actor } from "@/lib/auth/actor";
import { getEnv } from "@/lib/env";
import { invitationMessage, ownPasswordMessage, passwordResetMessage } from "./messages";
import { enqueueNotifications } from "./outbox";

// Mails about an admin's change to a membership. Each takes the change's transaction, so the
// mail is queued if and only if the change commits; each goes to the person's own address.

type Membership = { id: string; username: string; displayName: string; role: "admin" | "rep" };

/**
 * An invitation to the admin's organization, to a person who already has an account (SPEC §14):
 * queued under the outbox's membership.added kind, addressed to the person's e-mail (they have
 * no membership here to name), and telling them to accept on /account — never a link that acts.
 */
export async function notifyInvitation(
  tx: Executor,
  actor: Actor,
  invitation: { email: string; username: string; displayName: string; role: "admin" | "rep"; expiresAt: string },
): Promise<void> {
  const { organization, people } = await loadMembers(tx, actor.organizationId, [actor.userId]);
  const admin = people.get(actor.userId);
  if (!admin || !organization) return;
  const message = invitationMessage({
    invitee: invitation,
    admin,
    organizationName: organization.name,
    expiresAt: new Date(invitation.expiresAt),
    accountUrl: `${getEnv().appUrl}/account`,
  });
  await enqueueNotifications(tx, [
    { organizationId: actor.organizationId, recipientUserId: null, recipient: invitation.email, kind: "membership.added", ...message },
  ]);
}

/** person.password_reset — the link itself is made when the mail is sent (lib/notifications/delivery.ts). */
export async function notifyPasswordResetLink(tx: Executor, actor: Actor, member: Pick<Membership, "id">): Promise<void> {
  const { organization, people } = await loadMembers(tx, actor.organizationId, [member.id, actor.userId]);
  const recipient = people.get(member.id);
  const admin = people.get(actor.userId);
  if (!recipient || !admin || !organization) return;
  const message = passwordResetMessage({ member: recipient, admin, organizationName: organization.name });
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

/**
 * person.password_reset to the person themselves, asked for on /account: at most one every ten
 * minutes (a dedupe key per window), so the button cannot flood their mailbox. False when one was
 * already queued in this window.
 */
export async function notifyOwnPasswordLink(
  tx: Executor,
  organizationId: string,
  membershipId: string,
  now = new Date(),
): Promise<boolean> {
  const { organization, people } = await loadMembers(tx, organizationId, [membershipId]);
  const recipient = people.get(membershipId);
  if (!recipient || !organization) return false;
  const window = Math.floor(now.getTime() / (10 * 60 * 1000));
  const queued = await enqueueNotifications(tx, [
    {
      organizationId,
      recipientUserId: membershipId,
      recipient: recipient.email,
      kind: "person.password_reset",
      dedupeKey: `own-password:${membershipId}:${window}`,
      ...ownPasswordMessage({ member: recipient, organizationName: organization.name }),
    },
  ]);
  return queued > 0;
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
