import { and, eq, inArray } from "drizzle-orm";
import type { Executor } from "@/db";
import { organizations, persons, users, type PersonalAccessToken } from "@/db/schema";
import type { Actor } from "@/lib/auth/actor";
import { organizationConsoleUrl } from "./console-url";
import { createdForYouMessage, revokedByAdminMessage } from "./messages";
import { enqueueNotifications, type NewNotification } from "./outbox";

// Mails about an admin's change to someone else's token. Each function takes the transaction
// that makes the change, so the mail is queued if and only if the change commits.

type MailableToken = Pick<PersonalAccessToken, "id" | "userId" | "description" | "accountSid" | "permissions" | "expiresAt">;
export type AdminTokenChange = { kind: "revoked"; reason: string | null } | { kind: "deactivated" };

const byAdmin = (actor: Actor, ownerId: string) => actor.role === "admin" && ownerId !== actor.userId;

/** token.created_for_you — an admin created a token for another rep. */
export async function notifyTokenCreatedFor(tx: Executor, actor: Actor, token: MailableToken): Promise<void> {
  if (!byAdmin(actor, token.userId)) return;
  const { organizationName, consoleUrl, people } = await loadPeople(tx, actor.organizationId, [token.userId, actor.userId]);
  const owner = people.get(token.userId);
  const admin = people.get(actor.userId);
  if (!owner?.active || !admin) return;
  const message = createdForYouMessage({ owner, admin, token, organizationName, consoleUrl });
  await enqueueNotifications(tx, [
    {
      organizationId: actor.organizationId,
      recipientUserId: owner.id,
      recipient: owner.email,
      kind: "token.created_for_you",
      dedupeKey: `created:${token.id}`,
      ...message,
    },
  ]);
}

/** token.revoked_by_admin — an admin revoked or deactivated other reps' tokens: one mail per owner. */
export async function notifyTokensChangedByAdmin(
  tx: Executor,
  actor: Actor,
  tokens: readonly MailableToken[],
  change: AdminTokenChange,
): Promise<void> {
  const affected = tokens.filter((token) => byAdmin(actor, token.userId));
  if (affected.length === 0) return;
  const ownerIds = [...new Set(affected.map((token) => token.userId))];
  const { organizationName, consoleUrl, people } = await loadPeople(tx, actor.organizationId, [...ownerIds, actor.userId]);
  const admin = people.get(actor.userId);
  if (!admin) return;
  const rows: NewNotification[] = [];
  for (const ownerId of ownerIds) {
    const owner = people.get(ownerId);
    if (!owner?.active) continue;
    const owned = affected.filter((token) => token.userId === ownerId);
    const message = revokedByAdminMessage({ owner, admin, tokens: owned, change, organizationName, consoleUrl });
    // No dedupe key: the change itself happens once (revocation is final, a switch that is
    // already off is refused), and a token may be deactivated again after reactivation.
    rows.push({
      organizationId: actor.organizationId,
      recipientUserId: owner.id,
      recipient: owner.email,
      kind: "token.revoked_by_admin",
      ...message,
    });
  }
  await enqueueNotifications(tx, rows);
}

async function loadPeople(tx: Executor, organizationId: string, ids: string[]) {
  const rows = await tx
    .select({
      id: users.id,
      email: persons.email,
      displayName: users.displayName,
      active: users.active,
      organizationName: organizations.name,
      organizationSlug: organizations.slug,
    })
    .from(users)
    .innerJoin(persons, eq(persons.id, users.personId))
    .innerJoin(organizations, eq(organizations.id, users.organizationId))
    .where(and(eq(users.organizationId, organizationId), inArray(users.id, ids)));
  return {
    organizationName: rows[0]?.organizationName ?? "",
    consoleUrl: organizationConsoleUrl(rows[0]?.organizationSlug ?? ""),
    people: new Map(rows.map((row) => [row.id, row])),
  };
}
