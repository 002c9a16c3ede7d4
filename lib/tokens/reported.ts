import { and, eq, inArray, isNull, or } from "drizzle-orm";
import { getDb, type Executor } from "@/db";
import { organizations, persons, personalAccessTokens as tokens, users, type PersonalAccessToken } from "@/db/schema";
import { getEnv } from "@/lib/env";
import { organizationConsoleUrl } from "@/lib/notifications/console-url";
import type { MailPerson, Message } from "@/lib/notifications/messages";
import { enqueueNotifications, type NewNotification } from "@/lib/notifications/outbox";
import { isWellFormedToken } from "./format";
import { hashToken } from "./hash";
import { inGraceCondition } from "./queries";

// What leak reports share (SPEC §12): POST /api/v1/credentials/revoke (lib/tokens/leak.ts) and
// GitHub's secret scanning (lib/tokens/exposed.ts) look reported values up the same way and tell
// the same people. Neither ever stores, logs or mails a reported value.

export const MAX_REPORTED_VALUES = 1000;

/** A token a reported value belongs to: not revoked, or a rotated-out value still in its grace. */
export type ReportedMatch = { value: string; id: string; organizationId: string; expiresAt: Date | null };

/**
 * The tokens of the well-formed values among those reported (at most 1,000 distinct), found
 * under the current and the previous hash key alike; the caller decides what to do with them.
 */
export async function findReportedTokens(values: readonly unknown[], now: Date): Promise<ReportedMatch[]> {
  const { tokenHashKey, previousTokenHashKey } = getEnv();
  const wellFormed = [...new Set(values.filter(isWellFormedToken))].slice(0, MAX_REPORTED_VALUES);
  if (wellFormed.length === 0) return [];
  const valueOfHash = new Map<string, string>();
  for (const value of wellFormed) {
    valueOfHash.set(hashToken(value, tokenHashKey), value);
    if (previousTokenHashKey) valueOfHash.set(hashToken(value, previousTokenHashKey), value);
  }
  const db = await getDb();
  const found = await db
    .select({ id: tokens.id, organizationId: tokens.organizationId, secretHash: tokens.secretHash, expiresAt: tokens.expiresAt })
    .from(tokens)
    .where(and(inArray(tokens.secretHash, [...valueOfHash.keys()]), or(isNull(tokens.revokedAt), inGraceCondition(now))));
  return found.flatMap(({ secretHash, ...token }) => {
    const value = valueOfHash.get(secretHash);
    return value === undefined ? [] : [{ value, ...token }];
  });
}

/** Ends the grace of the rotated-out values among `ids` (already revoked, still working until now); returns them. */
export async function endGrace(tx: Executor, organizationId: string, ids: string[], now: Date): Promise<PersonalAccessToken[]> {
  return tx
    .update(tokens)
    .set({ graceUntil: now, updatedAt: now })
    .where(and(eq(tokens.organizationId, organizationId), inArray(tokens.id, ids), inGraceCondition(now)))
    .returning();
}

/** Groups items by their organization: each organization's changes commit in a transaction of their own. */
export function byOrganization<T extends { organizationId: string }>(items: readonly T[]): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) groups.set(item.organizationId, [...(groups.get(item.organizationId) ?? []), item]);
  return groups;
}

export type ReportMailInput<T> = { recipient: MailPerson; tokens: readonly T[]; organizationName: string; consoleUrl: string };

/**
 * One mail per recipient — the owners, and every active admin — listing the tokens that
 * concern them, in the transaction that changed them.
 */
export async function notifyOwnersAndAdmins<T extends Pick<PersonalAccessToken, "userId">>(
  tx: Executor,
  organizationId: string,
  concerned: readonly T[],
  kind: NonNullable<NewNotification["kind"]>,
  compose: (input: ReportMailInput<T>) => Message,
): Promise<void> {
  if (concerned.length === 0) return;
  const members = await tx
    .select({
      id: users.id,
      email: persons.email,
      displayName: users.displayName,
      role: users.role,
      organizationName: organizations.name,
      organizationSlug: organizations.slug,
    })
    .from(users)
    .innerJoin(persons, eq(persons.id, users.personId))
    .innerJoin(organizations, eq(organizations.id, users.organizationId))
    .where(and(eq(users.organizationId, organizationId), eq(users.active, true)));
  const rows: NewNotification[] = [];
  for (const member of members) {
    const theirs = member.role === "admin" ? concerned : concerned.filter((token) => token.userId === member.id);
    if (theirs.length === 0) continue;
    rows.push({
      organizationId,
      recipientUserId: member.id,
      recipient: member.email,
      kind,
      ...compose({
        recipient: member,
        tokens: theirs,
        organizationName: member.organizationName,
        consoleUrl: organizationConsoleUrl(member.organizationSlug),
      }),
    });
  }
  await enqueueNotifications(tx, rows);
}
