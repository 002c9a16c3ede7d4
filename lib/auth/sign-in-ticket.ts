import { createHash } from "node:crypto";
import type { Person } from "@/db/schema";
import { seal, unseal } from "@/lib/shared/sealed-box";

// Between a sign-in's password and its second factor, the browser holds a ticket (an httpOnly
// cookie, lib/auth/next-auth.ts): sealed by the server, naming the person, valid five minutes,
// bound to the password it proved (a password changed or reset meanwhile spends it) and to the
// person's last sign-in (the sign-in it leads to spends it, and every other ticket of the person
// with it). It signs nobody in by itself; only a code or a passkey does, within the second
// factor's limits.

export const SIGN_IN_TICKET_COOKIE = "tessera-sign-in";
export const SIGN_IN_TICKET_SECONDS = 5 * 60;

const LABEL = "tessera/sign-in-ticket/v1";
const CONTEXT = "second-factor";

/** A short fingerprint of the password hash: enough to tell it changed, nothing to guess it from. */
const passwordFingerprint = (passwordHash: string) => createHash("sha256").update(passwordHash).digest("base64url").slice(0, 16);

type TicketPerson = Pick<Person, "id" | "passwordHash" | "lastSignInAt">;
type Payload = { personId: string; password: string; lastSignIn: number; expires: number };

const lastSignIn = (person: TicketPerson) => person.lastSignInAt?.getTime() ?? 0;

export function signInTicket(person: TicketPerson, now = new Date()): string {
  const payload: Payload = {
    personId: person.id,
    password: passwordFingerprint(person.passwordHash),
    lastSignIn: lastSignIn(person),
    expires: now.getTime() + SIGN_IN_TICKET_SECONDS * 1000,
  };
  return seal(LABEL, JSON.stringify(payload), CONTEXT);
}

/** What a ticket says while it is within its five minutes; null for an expired, altered or made-up one. */
export function openSignInTicket(value: string, now = new Date()): Payload | null {
  const opened = value.length > 2048 ? null : unseal(LABEL, value, CONTEXT);
  if (!opened) return null;
  const payload = JSON.parse(opened) as Payload;
  return payload.expires > now.getTime() ? payload : null;
}

/** Whether an opened ticket still holds for the person as they are now: same password, no sign-in since. */
export const ticketHolds = (payload: Payload, person: TicketPerson) =>
  payload.personId === person.id &&
  payload.password === passwordFingerprint(person.passwordHash) &&
  payload.lastSignIn === lastSignIn(person);
