import { createHmac, timingSafeEqual } from "node:crypto";
import { cookies, headers } from "next/headers";
import { derivedKey } from "@/lib/shared/derived-key";
import { getEnv } from "@/lib/env";
import { servedOverHttps } from "@/lib/http/request-context";

// "Sudo mode": changes ask for the password again once the last confirmation is older than
// the window. The grant is an HMAC-signed, httpOnly cookie bound to the person and to the
// server-side session, so it dies with the session — not a session field, because Auth.js lets
// the browser post arbitrary session updates.
const COOKIE = "tessera-sudo";

const sudoKey = () => derivedKey("tessera/sudo-cookie/v1");

// The person, not a membership: one password proves it in each of their organizations.
export type SudoSubject = { personId: string; sessionId: string };

function sign(payload: string): string {
  return createHmac("sha256", sudoKey()).update(payload).digest("base64url");
}

export function sudoGrantValue(subject: SudoSubject, expiresAtMs: number): string {
  const payload = `${subject.personId}.${subject.sessionId}.${expiresAtMs}`;
  return `${payload}.${sign(payload)}`;
}

export function isValidSudoGrant(value: string | undefined, subject: SudoSubject, nowMs: number): boolean {
  const parts = value?.split(".") ?? [];
  if (parts.length !== 4) return false;
  const [personId, sessionId, expires, signature] = parts;
  if (personId !== subject.personId || sessionId !== subject.sessionId || !expires || !signature) return false;
  const expected = Buffer.from(sign(`${personId}.${sessionId}.${expires}`));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return false;
  return Number(expires) > nowMs;
}

/** Whether the signed-in person confirmed their password within the sudo window, in this session. */
export async function hasRecentConfirmation(subject: SudoSubject): Promise<boolean> {
  return isValidSudoGrant((await cookies()).get(COOKIE)?.value, subject, Date.now());
}

export async function grantSudo(subject: SudoSubject): Promise<void> {
  const seconds = getEnv().sudoWindowSeconds;
  const secure = servedOverHttps(await headers());
  (await cookies()).set(COOKIE, sudoGrantValue(subject, Date.now() + seconds * 1000), {
    httpOnly: true,
    sameSite: "strict",
    secure,
    path: "/",
    maxAge: seconds,
  });
}

/** Forgets the grant (sign-out). */
export async function clearSudo(): Promise<void> {
  (await cookies()).delete(COOKIE);
}
