import {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
  type AuthenticationResponseJSON,
  type AuthenticatorTransportFuture,
  type PublicKeyCredentialCreationOptionsJSON,
  type PublicKeyCredentialRequestOptionsJSON,
  type RegistrationResponseJSON,
} from "@simplewebauthn/server";
import { and, asc, eq, lte } from "drizzle-orm";
import { getDb, type Executor } from "@/db";
import { passkeys, webauthnChallenges } from "@/db/schema";
import { getEnv } from "@/lib/env";
import { isUuid } from "@/lib/shared/ids";

// Passkeys (WebAuthn, through @simplewebauthn/server) as a second factor (SPEC §14). Every
// ceremony starts with a challenge stored for one person and purpose and is finished by the
// response that answers it, which deletes it: a response works once, for the person it was asked
// of. The relying party is APP_URL: its host names the passkeys, its origin is the only one
// accepted.

const CEREMONY_MS = 5 * 60 * 1000;
/** Ceremonies a person may have open at once; older ones are dropped. */
const OPEN_CEREMONIES = 5;
export const MAX_PASSKEYS = 10;

type Purpose = "register" | "sign_in";

function relyingParty() {
  const url = new URL(getEnv().appUrl);
  return { rpID: url.hostname, origin: url.origin, rpName: "Tessera" };
}

async function openCeremony(personId: string, purpose: Purpose, challenge: string, now: Date): Promise<string> {
  const db = await getDb();
  return db.transaction(async (tx) => {
    const open = await tx
      .select({ id: webauthnChallenges.id, expiresAt: webauthnChallenges.expiresAt })
      .from(webauthnChallenges)
      .where(eq(webauthnChallenges.personId, personId))
      .orderBy(asc(webauthnChallenges.expiresAt))
      .for("update");
    const stale = open.filter((row, index) => row.expiresAt <= now || index <= open.length - OPEN_CEREMONIES);
    for (const row of stale) await tx.delete(webauthnChallenges).where(eq(webauthnChallenges.id, row.id));
    const [row] = await tx
      .insert(webauthnChallenges)
      .values({ personId, purpose, challenge, expiresAt: new Date(now.getTime() + CEREMONY_MS) })
      .returning({ id: webauthnChallenges.id });
    if (!row) throw new Error("challenge insert returned no row");
    return row.id;
  });
}

/** Spends the ceremony's challenge: its value if it is this person's, for this purpose, and live; null otherwise. */
async function spendCeremony(executor: Executor, ceremony: string, personId: string, purpose: Purpose, now: Date): Promise<string | null> {
  if (!isUuid(ceremony)) return null;
  const [row] = await executor
    .delete(webauthnChallenges)
    .where(and(eq(webauthnChallenges.id, ceremony), eq(webauthnChallenges.personId, personId), eq(webauthnChallenges.purpose, purpose)))
    .returning({ challenge: webauthnChallenges.challenge, expiresAt: webauthnChallenges.expiresAt });
  return row && row.expiresAt > now ? row.challenge : null;
}

/** Deletes ceremonies that ran out (the jobs pass). */
export async function pruneCeremonies(now = new Date()): Promise<number> {
  const db = await getDb();
  const pruned = await db.delete(webauthnChallenges).where(lte(webauthnChallenges.expiresAt, now)).returning({ id: webauthnChallenges.id });
  return pruned.length;
}

export type Ceremony<T> = { ceremony: string; options: T };

/** Starts adding a passkey for the person: the browser's creation options, which exclude the passkeys they already have. */
export async function passkeyRegistrationOptions(
  person: { personId: string; email: string },
  now = new Date(),
): Promise<Ceremony<PublicKeyCredentialCreationOptionsJSON>> {
  const { rpID, rpName } = relyingParty();
  const db = await getDb();
  const existing = await db
    .select({ id: passkeys.credentialId, transports: passkeys.transports })
    .from(passkeys)
    .where(eq(passkeys.personId, person.personId));
  const options = await generateRegistrationOptions({
    rpName,
    rpID,
    userName: person.email,
    userID: new TextEncoder().encode(person.personId),
    attestationType: "none",
    excludeCredentials: existing.map((key) => ({ id: key.id, transports: key.transports as AuthenticatorTransportFuture[] })),
    authenticatorSelection: { residentKey: "preferred", userVerification: "preferred" },
  });
  return { ceremony: await openCeremony(person.personId, "register", options.challenge, now), options };
}

export type NewPasskey = { credentialId: string; publicKey: string; signCount: number; transports: string[] };

/** The passkey a registration response proves, if it answers this person's ceremony; null otherwise. Call it in the change's transaction. */
export async function verifyPasskeyRegistration(
  executor: Executor,
  personId: string,
  ceremony: string,
  response: RegistrationResponseJSON,
  now = new Date(),
): Promise<NewPasskey | null> {
  const challenge = await spendCeremony(executor, ceremony, personId, "register", now);
  if (!challenge) return null;
  const { rpID, origin } = relyingParty();
  try {
    const verified = await verifyRegistrationResponse({
      response,
      expectedChallenge: challenge,
      expectedOrigin: origin,
      expectedRPID: rpID,
      requireUserVerification: false,
    });
    if (!verified.verified) return null;
    const { credential } = verified.registrationInfo;
    return {
      credentialId: credential.id,
      publicKey: Buffer.from(credential.publicKey).toString("base64url"),
      signCount: credential.counter,
      transports: credential.transports ?? [],
    };
  } catch {
    // Malformed or forged responses are refused, not errors.
    return null;
  }
}

/** Starts the passkey step of a sign-in: the browser's request options for the person's passkeys; null when they have none. */
export async function passkeySignInOptions(
  personId: string,
  now = new Date(),
): Promise<Ceremony<PublicKeyCredentialRequestOptionsJSON> | null> {
  const db = await getDb();
  const keys = await db
    .select({ id: passkeys.credentialId, transports: passkeys.transports })
    .from(passkeys)
    .where(eq(passkeys.personId, personId));
  if (keys.length === 0) return null;
  const options = await generateAuthenticationOptions({
    rpID: relyingParty().rpID,
    allowCredentials: keys.map((key) => ({ id: key.id, transports: key.transports as AuthenticatorTransportFuture[] })),
    userVerification: "preferred",
  });
  return { ceremony: await openCeremony(personId, "sign_in", options.challenge, now), options };
}

/**
 * Checks a passkey's answer to the person's sign-in ceremony and spends it: the passkey must be
 * the person's own, the signature valid over this challenge, and its counter (when the
 * authenticator keeps one) must move forward, which a cloned key would not. Call it in a transaction.
 */
export async function spendPasskeyAssertion(
  executor: Executor,
  personId: string,
  ceremony: string,
  response: AuthenticationResponseJSON,
  now = new Date(),
): Promise<boolean> {
  const challenge = await spendCeremony(executor, ceremony, personId, "sign_in", now);
  if (!challenge || typeof response?.id !== "string") return false;
  const [key] = await executor
    .select()
    .from(passkeys)
    .where(and(eq(passkeys.personId, personId), eq(passkeys.credentialId, response.id)))
    .for("update");
  if (!key) return false;
  const { rpID, origin } = relyingParty();
  try {
    const verified = await verifyAuthenticationResponse({
      response,
      expectedChallenge: challenge,
      expectedOrigin: origin,
      expectedRPID: rpID,
      requireUserVerification: false,
      credential: {
        id: key.credentialId,
        publicKey: Buffer.from(key.publicKey, "base64url"),
        counter: key.signCount,
        transports: key.transports as AuthenticatorTransportFuture[],
      },
    });
    if (!verified.verified) return false;
    await executor
      .update(passkeys)
      .set({ signCount: verified.authenticationInfo.newCounter, lastUsedAt: now })
      .where(eq(passkeys.id, key.id));
    return true;
  } catch {
    return false;
  }
}
