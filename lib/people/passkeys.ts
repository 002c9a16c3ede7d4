import type { RegistrationResponseJSON } from "@simplewebauthn/server";
import { and, asc, eq } from "drizzle-orm";
import { z } from "zod";
import { getDb } from "@/db";
import { isUniqueViolation } from "@/db/errors";
import { passkeys, recoveryCodes } from "@/db/schema";
import { MAX_PASSKEYS, passkeyRegistrationOptions, verifyPasskeyRegistration } from "@/lib/auth/passkeys";
import { replaceRecoveryCodes, secondFactorOf } from "@/lib/auth/second-factor";
import { secureSessionsAfterFirstFactor } from "@/lib/auth/session-store";
import type { RequestContext } from "@/lib/http/request-context";
import { isUuid } from "@/lib/shared/ids";
import { conflict, invalid, notFound } from "@/lib/shared/errors";
import { requireCurrentPassword } from "./current-password";
import { recordPersonEvent } from "./person-events";

// "Add passkey" on /account (SPEC §14): the person's own passkeys, a second factor like the
// authenticator app. Adding or removing one asks for the current password and is audited in each
// of the person's organizations; the first second factor ends every other session.

type Session = { personId: string; sessionId: string; email: string };

export type PasskeyView = { id: string; name: string; createdAt: Date; lastUsedAt: Date | null };

/** The signed-in person's own passkeys, oldest first. */
export async function listPasskeys(personId: string): Promise<PasskeyView[]> {
  const db = await getDb();
  return db
    .select({ id: passkeys.id, name: passkeys.name, createdAt: passkeys.createdAt, lastUsedAt: passkeys.lastUsedAt })
    .from(passkeys)
    .where(eq(passkeys.personId, personId))
    .orderBy(asc(passkeys.createdAt), asc(passkeys.id));
}

/** Starts "Add passkey": the options the browser creates it with. */
export const beginPasskeyRegistration = (session: Session) => passkeyRegistrationOptions(session);

const addInput = z.object({
  ceremony: z.string().max(64),
  response: z.custom<RegistrationResponseJSON>((value) => typeof value === "object" && value !== null, {
    error: "The browser sent no passkey.",
  }),
  name: z.string().trim().min(1, { error: "Name this passkey, e.g. “Work laptop”." }).max(60, { error: "Use at most 60 characters." }),
  currentPassword: z.string().max(1024),
});

/**
 * Adds the passkey a registration response proves, for the person whose ceremony it answers, once
 * the current password is right. The first second factor of a person comes with recovery codes
 * (returned, to show once); otherwise null.
 */
export async function addPasskey(
  session: Session,
  input: z.input<typeof addInput>,
  context: RequestContext,
  now = new Date(),
): Promise<string[] | null> {
  const parsed = addInput.safeParse(input);
  if (!parsed.success) throw invalid(z.flattenError(parsed.error).fieldErrors);
  await requireCurrentPassword(session, parsed.data.currentPassword, context, "two_factor_change_failed");
  const db = await getDb();
  try {
    return await db.transaction(async (tx) => {
      const key = await verifyPasskeyRegistration(tx, session.personId, parsed.data.ceremony, parsed.data.response, now);
      if (!key) throw invalid({}, "The passkey could not be verified, or the request expired. Try again.");
      const before = await secondFactorOf(tx, session.personId);
      if (before.passkeys >= MAX_PASSKEYS) throw conflict(`You have ${MAX_PASSKEYS} passkeys already; remove one first.`);
      await tx.insert(passkeys).values({ personId: session.personId, name: parsed.data.name, ...key, createdAt: now });
      // The name is the person's: the audit logs of all their organizations see only that one was added.
      await recordPersonEvent(tx, session.personId, "person.passkey_added", context, {}, { workingOnly: false });
      if (before.enabled) return null;
      await secureSessionsAfterFirstFactor(tx, session, now);
      return replaceRecoveryCodes(tx, session.personId, now);
    });
  } catch (error) {
    if (isUniqueViolation(error, "passkeys_credential_id_unique")) throw conflict("This passkey is already registered.");
    throw error;
  }
}

/** Removes one of the person's own passkeys; with no second factor left, the recovery codes go with it. */
export async function removePasskey(
  session: Session,
  id: string,
  input: { currentPassword: string },
  context: RequestContext,
): Promise<void> {
  if (!isUuid(id)) throw notFound("Passkey");
  await requireCurrentPassword(session, input.currentPassword, context, "two_factor_change_failed");
  const db = await getDb();
  await db.transaction(async (tx) => {
    const [removed] = await tx
      .delete(passkeys)
      .where(and(eq(passkeys.id, id), eq(passkeys.personId, session.personId)))
      .returning({ id: passkeys.id });
    if (!removed) throw notFound("Passkey");
    if (!(await secondFactorOf(tx, session.personId)).enabled)
      await tx.delete(recoveryCodes).where(eq(recoveryCodes.personId, session.personId));
    await recordPersonEvent(tx, session.personId, "person.passkey_removed", context, {}, { workingOnly: false });
  });
}
