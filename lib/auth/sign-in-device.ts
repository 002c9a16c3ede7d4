import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { derivedKey } from "@/lib/shared/derived-key";

// OWASP's "device cookie": a browser that once signed in to an account carries a signed proof of
// it, and its sign-ins to that account skip the per-account limit (lib/auth/password-limits.ts), so
// strangers guessing the password cannot lock the owner out. The value is a random nonce and a
// MAC over the nonce and the e-mail; the e-mail itself is not in the cookie.
export const DEVICE_COOKIE = "tessera-device";
export const DEVICE_COOKIE_MAX_AGE_SECONDS = 180 * 24 * 60 * 60;

const deviceKey = () => derivedKey("tessera/device-cookie/v1");

const sign = (nonce: string, email: string) => createHmac("sha256", deviceKey()).update(`${nonce}.${email}`).digest("base64url");

/** A new device cookie value for a browser that has just proved this e-mail's password. */
export function deviceCookieValue(email: string): string {
  const nonce = randomBytes(16).toString("base64url");
  return `${nonce}.${sign(nonce, email)}`;
}

/** The device's id (its nonce) when `value` is a device cookie issued for this e-mail, else null. */
export function deviceIdFor(value: string | undefined, email: string): string | null {
  const [nonce, signature, ...rest] = value?.split(".") ?? [];
  if (!nonce || !signature || rest.length > 0) return null;
  const expected = Buffer.from(sign(nonce, email));
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given) ? nonce : null;
}

/** A cookie's value in a request's Cookie header (Auth.js's authorize sees headers, not cookies()). */
export function cookieFrom(headers: Headers, name: string): string | undefined {
  const prefix = `${name}=`;
  return headers
    .get("cookie")
    ?.split(/;\s*/)
    .find((pair) => pair.startsWith(prefix))
    ?.slice(prefix.length);
}
