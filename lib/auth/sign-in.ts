import type { AuthenticationResponseJSON } from "@simplewebauthn/server";
import { asc, eq } from "drizzle-orm";
import { getDb, type Executor } from "@/db";
import { organizations, persons, users, type Person } from "@/db/schema";
import { recordAuditEvent } from "@/lib/audit/record";
import type { RequestContext } from "@/lib/http/request-context";
import { takeSecondFactorAttempt, takeSignInAttempt } from "./password-limits";
import { spendPasskeyAssertion } from "./passkeys";
import { secondFactorOf, spendSecondFactorCode } from "./second-factor";
import { openSignInTicket, signInTicket, ticketHolds } from "./sign-in-ticket";
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
  | { ok: false; reason: "rate_limited"; retryAfterSeconds: number }
  // The password was right and the person has a second factor: the ticket (lib/auth/sign-in-ticket.ts)
  // carries the sign-in to verifySecondFactor.
  | { ok: false; reason: "second_factor_required"; ticket: string }
  | { ok: false; reason: "invalid_code" | "ticket_expired" };

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
  const memberships = await membershipsFor(person?.id);
  const refuse = refusalAuditor(email, memberships);

  // The attempt is counted before the password is checked (lib/auth/password-limits.ts).
  const attempt = await takeSignInAttempt(email, context.ip, deviceIdFor(deviceCookie, email));
  if (!attempt.ok) {
    await refuse("rate_limited", context);
    return { ok: false, reason: "rate_limited", retryAfterSeconds: attempt.retryAfterSeconds };
  }
  // A withdrawn password (empty) matches nothing, checked against the decoy like an unknown address.
  const check = await checkPassword(person?.passwordHash || undefined, password);
  if (check === "busy") {
    // Nobody failed anything: the process is at its cap of password checks.
    await attempt.settle("not_checked");
    await refuse("busy", context);
    return { ok: false, reason: "busy" };
  }
  if (!person || check === "mismatch") {
    await refuse("invalid_credentials", context);
    return { ok: false, reason: "invalid_credentials" };
  }

  await attempt.settle("matched");
  const closed = closedReason(person, memberships);
  if (closed) {
    await refuse(closed, context);
    return { ok: false, reason: closed };
  }
  // A person with a second factor is not signed in yet: the ticket carries the sign-in to the code.
  if ((await secondFactorOf(db, person.id)).enabled) {
    return { ok: false, reason: "second_factor_required", ticket: signInTicket(person) };
  }
  return startSignedInSession(person, { email }, context);
}

/** What the second step of a sign-in offers: a code (authenticator app or recovery code), or a passkey's answer to its ceremony. */
export type SecondFactorProof = { code: string } | { ceremony: string; response: AuthenticationResponseJSON };

/**
 * The second step of a sign-in whose password was right (`ticket`, from verifyCredentials): a code
 * from the authenticator app, a recovery code or a passkey, limited per person and address like
 * passwords, each code, recovery code and passkey ceremony spent once. Audited as the password step is.
 */
export async function verifySecondFactor(
  proof: SecondFactorProof,
  ticket: string | undefined,
  context: RequestContext,
  now = new Date(),
): Promise<SignInResult> {
  const db = await getDb();
  const person = await ticketPerson(ticket, now);
  if (!person) return { ok: false, reason: "ticket_expired" };
  const email = person.email;
  const memberships = await membershipsFor(person.id);
  const refuse = refusalAuditor(email, memberships);
  const closed = closedReason(person, memberships);
  if (closed) {
    await refuse(closed, context);
    return { ok: false, reason: closed };
  }
  const attempt = await takeSecondFactorAttempt(person.id, context.ip);
  if (!attempt.ok) {
    await refuse("rate_limited", context);
    return { ok: false, reason: "rate_limited", retryAfterSeconds: attempt.retryAfterSeconds };
  }
  const method = await db.transaction(async (tx) => {
    if ("code" in proof) return spendSecondFactorCode(tx, person.id, proof.code.slice(0, 100), now);
    return (await spendPasskeyAssertion(tx, person.id, proof.ceremony, proof.response, now)) ? ({ method: "passkey" } as const) : null;
  });
  if (!method) {
    await refuse("invalid_code", context);
    return { ok: false, reason: "invalid_code" };
  }
  await attempt.settle("matched");
  return startSignedInSession(person, { email, secondFactor: method.method }, context, async (tx) => {
    if (method.method === "recovery_code") {
      await recordPersonEvent(tx, person.id, "person.recovery_code_used", context, { remaining: method.remaining }, { workingOnly: true });
    }
  });
}

/**
 * The person a sign-in ticket names, while it is valid: five minutes, the password it proved still
 * theirs and no sign-in of theirs since (lib/auth/sign-in-ticket.ts).
 */
export async function ticketPerson(ticket: string | undefined, now = new Date()): Promise<Person | null> {
  const opened = ticket ? openSignInTicket(ticket, now) : null;
  if (!opened) return null;
  const db = await getDb();
  const [person] = await db.select().from(persons).where(eq(persons.id, opened.personId)).limit(1);
  return person && ticketHolds(opened, person) ? person : null;
}

type Membership = Awaited<ReturnType<typeof membershipsFor>>[number];

/** The person's memberships, oldest first, with whether each and its organization are active. */
async function membershipsFor(personId: string | undefined) {
  if (!personId) return [];
  const db = await getDb();
  return db
    .select({ userId: users.id, organizationId: users.organizationId, active: users.active, organizationActive: organizations.active })
    .from(users)
    .innerJoin(organizations, eq(organizations.id, users.organizationId))
    .where(eq(users.personId, personId))
    .orderBy(asc(users.createdAt), asc(users.id));
}

/** Audits a refused sign-in in each organization of the person (or once, with none, for an unknown address). */
function refusalAuditor(email: string, memberships: Membership[]) {
  return async (reason: Refusal, context: RequestContext) => {
    const db = await getDb();
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
}

/** Why a person whose password was right still cannot sign in: no membership it opens works. Null when one does. */
function closedReason(person: Person, memberships: Membership[]): "inactive_user" | "inactive_organization" | null {
  // A password an admin set opens that admin's organization alone (SPEC §14).
  const opened = memberships.filter(
    (membership) => person.passwordOrganizationId === null || membership.organizationId === person.passwordOrganizationId,
  );
  if (opened.some((membership) => membership.active && membership.organizationActive)) return null;
  return opened.some((membership) => membership.active) ? "inactive_organization" : "inactive_user";
}

/** The session starts with its audit events, in one transaction. */
async function startSignedInSession(
  person: Person,
  details: Record<string, unknown> & { email: string },
  context: RequestContext,
  also?: (tx: Executor) => Promise<void>,
): Promise<SignInResult> {
  const db = await getDb();
  const sessionId = await db.transaction(async (tx) => {
    await tx.update(persons).set({ lastSignInAt: new Date() }).where(eq(persons.id, person.id));
    await recordPersonEvent(tx, person.id, "sign_in.succeeded", context, details, { workingOnly: true });
    await also?.(tx);
    return startSession(tx, person.id, context, { secondFactor: "secondFactor" in details });
  });
  return { ok: true, identity: { personId: person.id, sessionId }, deviceCookie: deviceCookieValue(details.email) };
}
