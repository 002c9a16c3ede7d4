import { createHmac, timingSafeEqual } from "node:crypto";
import { cookies, headers } from "next/headers";
import { getEnv } from "./env";

// "Sudo mode": changes ask for the password again once the last confirmation is older than
// the window. The grant is an HMAC-signed, httpOnly cookie bound to the user — not a session
// field, because Auth.js lets the browser post arbitrary session updates.
const COOKIE = "tessera-sudo";

function sign(payload: string): string {
  return createHmac("sha256", getEnv().authSecret).update(`sudo:${payload}`).digest("base64url");
}

export function sudoGrantValue(userId: string, expiresAtMs: number): string {
  const payload = `${userId}.${expiresAtMs}`;
  return `${payload}.${sign(payload)}`;
}

export function isValidSudoGrant(value: string | undefined, userId: string, nowMs: number): boolean {
  if (!value) return false;
  const [grantUser, expires, signature] = value.split(".");
  if (!grantUser || !expires || !signature || grantUser !== userId) return false;
  const expected = Buffer.from(sign(`${grantUser}.${expires}`));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return false;
  return Number(expires) > nowMs;
}

/** Whether the current user confirmed their password within the sudo window. */
export async function hasRecentConfirmation(userId: string): Promise<boolean> {
  return isValidSudoGrant((await cookies()).get(COOKIE)?.value, userId, Date.now());
}

export async function grantSudo(userId: string): Promise<void> {
  const seconds = getEnv().sudoWindowSeconds;
  const secure = (await headers()).get("x-forwarded-proto") === "https";
  (await cookies()).set(COOKIE, sudoGrantValue(userId, Date.now() + seconds * 1000), {
    httpOnly: true,
    sameSite: "strict",
    secure,
    path: "/",
    maxAge: seconds,
  });
}
