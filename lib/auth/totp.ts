import { generate, generateSecret, generateURI, verify } from "otplib";
import { seal, unseal } from "@/lib/shared/sealed-box";

// The authenticator app (RFC 6238 TOTP, through otplib): 30-second steps, six digits, SHA-1 —
// what every authenticator app reads from a QR code. The shared secret must be readable to check
// a code, so it is stored sealed (AES-256-GCM under a key derived from AUTH_SECRET, bound to its
// person), never in the clear. A code is accepted one step either side of now, and only for a
// step later than the last one accepted, so an overheard code works once.

const ISSUER = "Tessera";
const PERIOD_SECONDS = 30;
const TOLERANCE_SECONDS = PERIOD_SECONDS;
const CODE = /^\d{6}$/;

const SEAL_LABEL = "tessera/totp-secret/v1";

/** Seals a TOTP secret for storage, or for the setup form to carry back, bound to its person. */
export const sealTotpSecret = (secret: string, personId: string) => seal(SEAL_LABEL, secret, personId);

/** The person's TOTP secret from its sealed form; null when it is not theirs or was altered. */
export const openTotpSecret = (value: string, personId: string) => unseal(SEAL_LABEL, value, personId);

const SETUP_LABEL = "tessera/totp-setup/v1";
/** How long a setup may wait for its first code. */
export const SETUP_MINUTES = 15;

/** A setup's secret sealed for its person to send back with the first code: it keeps SETUP_MINUTES. */
export function sealTotpSetup(secret: string, personId: string, now = new Date()): string {
  return seal(SETUP_LABEL, JSON.stringify({ secret, expires: now.getTime() + SETUP_MINUTES * 60_000 }), personId);
}

/** The secret of this person's setup while it keeps; null when it expired, was altered or is another person's. */
export function openTotpSetup(value: string, personId: string, now = new Date()): string | null {
  const opened = value.length > 1024 ? null : unseal(SETUP_LABEL, value, personId);
  if (!opened) return null;
  const { secret, expires } = JSON.parse(opened) as { secret: string; expires: number };
  return expires > now.getTime() ? secret : null;
}

/** A new secret and the otpauth:// URI an authenticator app scans. */
export function newTotpSecret(accountName: string): { secret: string; uri: string } {
  const secret = generateSecret();
  return { secret, uri: generateURI({ issuer: ISSUER, label: accountName, secret, period: PERIOD_SECONDS }) };
}

/**
 * The time step a six-digit code matches, if it matches one within a step of `now` that is later
 * than `afterStep` (the last one accepted); null for anything else.
 */
export async function matchTotp(secret: string, code: string, afterStep: number | null, now = new Date()): Promise<number | null> {
  const token = code.replace(/\s/g, "");
  if (!CODE.test(token)) return null;
  const epoch = Math.floor(now.getTime() / 1000);
  // otplib refuses an afterTimeStep beyond its window (a clock set back): nothing in the window is later anyway.
  const latestStep = Math.floor((epoch + TOLERANCE_SECONDS) / PERIOD_SECONDS);
  if (afterStep !== null && afterStep >= latestStep) return null;
  const result = await verify({
    secret,
    token,
    period: PERIOD_SECONDS,
    epoch,
    epochTolerance: TOLERANCE_SECONDS,
    ...(afterStep === null ? {} : { afterTimeStep: afterStep }),
  });
  return result.valid && "timeStep" in result ? result.timeStep : null;
}

/** The code an authenticator app shows at `now` (tests, and the e2e's stand-in for a phone). */
export function totpCode(secret: string, now = new Date()): Promise<string> {
  return generate({ secret, period: PERIOD_SECONDS, epoch: Math.floor(now.getTime() / 1000) });
}
