import { createHash } from "node:crypto";
import type { Person } from "@/db/schema";
import { seal, unseal } from "@/lib/shared/sealed-box";

// Between a sign-in's password and its second factor, the browser holds a ticket (an httpOnly
// cookie, lib/auth/next-auth.ts): sealed by the server, naming the person, valid five minutes, and
// bound to the password it proved, so a password changed or reset meanwhile spends it. It signs
// nobody in by itself; only a code does, within the second factor's limits.

export const SIGN_IN_TICKET_COOKIE = "tessera-sign-in";
export const SIGN_IN_TICKET_SECONDS = 5 * 60;

const LABEL = "tessera/sign-in-ticket/v1";
const CONTEXT = "second-factor";

/** A short fingerprint of the password hash: enough to tell it changed, nothing to guess it from. */
export const passwordFingerprint = (passwordHash: string) => createHash("sha256").update(passwordHash).digest("base64url").slice(0, 16);

export function signInTicket(person: Pick<Person, "id" | "passwordHash">, now = new Date()): string {
  const payload = {
    personId: person.id,
    password: passwordFingerprint(person.passwordHash),
    expires: now.getTime() + SIGN_IN_TICKET_SECONDS * 1000,
  };
  return seal(LABEL, JSON.stringify(payload), CONTEXT);
}

/** The ticket's person and password fingerprint while it is valid; null for an expired, altered or made-up one. */
export function openSignInTicket(value: string, now = new Date()): { personId: string; password: string } | null {
  const opened = value.length > 2048 ? null : unseal(LABEL, value, CONTEXT);
  if (!opened) return null;
  const payload = JSON.parse(opened) as { personId: string; password: string; expires: number };
  return payload.expires > now.getTime() ? { personId: payload.personId, password: payload.password } : null;
}
