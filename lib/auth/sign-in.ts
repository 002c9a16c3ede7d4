import { asc, eq } from "drizzle-orm";
import { getDb } from "@/db";
import { organizations, persons, users } from "@/db/schema";
import { recordAuditEvent } from "@/lib/audit/record";
import type { RequestContext } from "@/lib/http/request-context";
import { takeSignInAttempt } from "./password-limits";
import { checkPassword } from "./passwords";
import { auditUncheckedRefusal } from "./sign-in-audit";
import { startSession } from "./session-store";
import { deviceCookieValue, deviceIdFor } from "./sign-in-device";
import { personEventContext, recordPersonEvent } from "@/lib/people/person-events";
import { signInSchema } from "@/lib/validation/user";

export type SessionIdentity = { personId: string; sessionId: string };

export type SignInResult =
  | { ok: true; identity: SessionIdentity; deviceCookie: string }
  | { ok: false; reason: "invalid_credentials" | "inactive_user" | "inactive_organization" | "busy" }
  | { ok: false; reason: "rate_limited"; retryAfterSeconds: number };

type Refusal = Exclude<SignInResult, { ok: true }>["reason"];

/**
 * Checks an e-mail and password. Every outcome is audited, in each organization the person is a
 * member of. The result never says whether the e-mail or the password was wrong; "inactive" is
 * only revealed to whoever knows the password, and only when no membership works: a person
 * signs in while at least one of their organizations still has them.
 * `deviceCookie`: the browser's device cookie (lib/auth/sign-in-device.ts), if any; a successful
 * sign-in returns a new one to set.
 */
export async function verifyCredentials(input: unknown, context: RequestContext, deviceCookie?: string): Promise<SignInResult> {
  const parsed = signInSchema.safeParse(input);
  if (!parsed.success) return { ok: false, reason: "invalid_credentials" };
  const { email, password } = parsed.data;
  const db = await getDb();

  const [person] = await db.select().from(persons).where(eq(persons.email, email)).limit(1);
  const memberships = person
    ? await db
        .select({ userId: users.id, organizationId: users.organizationId, active: users.active, organizationActive: organizations.active })
        .from(users)
        .innerJoin(organizations, eq(organizations.id, users.organizationId))
        .where(eq(users.personId, person.id))
        .orderBy(asc(users.createdAt), asc(users.id))
    : [];
  const refuse = async (reason: Refusal) => {
    const details = { email, reason };
    const events = memberships.length > 0 ? memberships : [null];
    for (const [index, membership] of events.entries()) {
      const event = {
        organizationId: membership?.organizationId ?? null,
        action: "sign_in.failed" as const,
        actorUserId: membership?.userId ?? null,
        targetType: membership ? ("user" as const) : undefined,
        targetId: membership?.userId ?? null,
        targetUserId: membership?.userId ?? null,
        context: personEventContext(context, index),
        details,
      };
      // Refusals of unchecked attempts are counted per minute; a checked password has its own event.
      if (reason === "rate_limited" || reason === "busy") await auditUncheckedRefusal(event);
      else await recordAuditEvent(db, event);
    }
  };

  // The attempt is counted before the password is checked (lib/auth/password-limits.ts).
  const attempt = await takeSignInAttempt(email, context.ip, deviceIdFor(deviceCookie, email));
  if (!attempt.ok) {
    await refuse("rate_limited");
    return { ok: false, reason: "rate_limited", retryAfterSeconds: attempt.retryAfterSeconds };
  }
  // A withdrawn password (empty) matches nothing, checked against the decoy like an unknown address.
  const check = await checkPassword(person?.passwordHash || undefined, password);
  if (check === "busy") {
    // Nobody failed anything: the process is at its cap of password checks.
    await attempt.settle("not_checked");
    await refuse("busy");
    return { ok: false, reason: "busy" };
  }
  if (!person || check === "mismatch") {
    await refuse("invalid_credentials");
    return { ok: false, reason: "invalid_credentials" };
  }

  await attempt.settle("matched");
  // A password an admin set opens that admin's organization alone (SPEC §14).
  const opened = memberships.filter(
    (membership) => person.passwordOrganizationId === null || membership.organizationId === person.passwordOrganizationId,
  );
  if (!opened.some((membership) => membership.active && membership.organizationActive)) {
    const reason = opened.some((membership) => membership.active) ? "inactive_organization" : "inactive_user";
    await refuse(reason);
    return { ok: false, reason };
  }
  // The session starts with its audit events, in one transaction.
  const sessionId = await db.transaction(async (tx) => {
    await tx.update(persons).set({ lastSignInAt: new Date() }).where(eq(persons.id, person.id));
    await recordPersonEvent(tx, person.id, "sign_in.succeeded", context, { email }, { workingOnly: true });
    return startSession(tx, person.id, context);
  });
  return { ok: true, identity: { personId: person.id, sessionId }, deviceCookie: deviceCookieValue(email) };
}
