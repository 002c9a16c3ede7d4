import { eq } from "drizzle-orm";
import { z } from "zod";
import { getDb } from "@/db";
import { persons, recoveryCodes } from "@/db/schema";
import { replaceRecoveryCodes, secondFactorOf } from "@/lib/auth/second-factor";
import { secureSessionsAfterFirstFactor } from "@/lib/auth/session-store";
import { matchTotp, newTotpSecret, openTotpSetup, sealTotpSecret, sealTotpSetup, SETUP_MINUTES } from "@/lib/auth/totp";
import type { RequestContext } from "@/lib/http/request-context";
import { conflict, invalid } from "@/lib/shared/errors";
import { requireCurrentPassword } from "./current-password";
import { recordPersonEvent } from "./person-events";

// "Two-factor authentication" on /account (SPEC §14): the person's own authenticator app and
// recovery codes. Turning anything on or off asks for the current password and is audited in each
// of the person's organizations, in the change's transaction.

type Session = { personId: string; sessionId: string; email: string };

/** The signed-in person's own second factors, as /account shows them. */
export async function twoFactorStatus(personId: string) {
  return secondFactorOf(await getDb(), personId);
}

/** A setup in progress: the secret to show (and scan, as `uri`), and `pending` — the same secret sealed for this person — for the form to send back. */
export type TotpSetup = { secret: string; uri: string; pending: string };

/** Starts "Set up authenticator app": a new secret, stored nowhere until a code from it proves the app has it. */
export function beginTotpSetup(session: Session): TotpSetup {
  const { secret, uri } = newTotpSecret(session.email);
  return { secret, uri, pending: sealTotpSetup(secret, session.personId) };
}

const enableInput = z.object({
  pending: z.string().min(1).max(1024),
  code: z
    .string()
    .trim()
    .regex(/^\d{6}$/, { error: "Enter the six-digit code your app shows." }),
  currentPassword: z.string().max(1024),
});

/**
 * Turns the authenticator app on with the setup's secret, once a code from it matches and the
 * current password is right; returns a new set of recovery codes, to show once.
 */
export async function enableTotp(
  session: Session,
  input: z.input<typeof enableInput>,
  context: RequestContext,
  now = new Date(),
): Promise<string[]> {
  const parsed = enableInput.safeParse(input);
  if (!parsed.success) throw invalid(z.flattenError(parsed.error).fieldErrors);
  // Sealed for this person by beginTotpSetup: another person's, or an altered one, opens as nothing.
  const secret = openTotpSetup(parsed.data.pending, session.personId, now);
  if (!secret) throw invalid({}, `This setup has expired: it keeps ${SETUP_MINUTES} minutes. Start again.`);
  await requireCurrentPassword(session, parsed.data.currentPassword, context, "two_factor_change_failed");
  const step = await matchTotp(secret, parsed.data.code, null, now);
  if (step === null)
    throw invalid({ code: ["That code does not match. Check the time on your phone, then enter the code your app shows now."] });
  const db = await getDb();
  return db.transaction(async (tx) => {
    const [person] = await tx
      .select({ totpEnabledAt: persons.totpEnabledAt })
      .from(persons)
      .where(eq(persons.id, session.personId))
      .for("update");
    if (person?.totpEnabledAt) throw conflict("Your authenticator app is already set up. Turn it off first to use another.");
    await tx
      .update(persons)
      .set({ totpSecret: sealTotpSecret(secret, session.personId), totpEnabledAt: now, totpLastStep: step, updatedAt: now })
      .where(eq(persons.id, session.personId));
    if (!(await secondFactorOf(tx, session.personId)).passkeys) await secureSessionsAfterFirstFactor(tx, session, now);
    const codes = await replaceRecoveryCodes(tx, session.personId, now);
    await recordPersonEvent(tx, session.personId, "person.two_factor_enabled", context, { method: "totp" }, { workingOnly: false });
    return codes;
  });
}

const passwordInput = z.object({ currentPassword: z.string().max(1024) });

/** Turns the authenticator app off; with no passkey left, the recovery codes go with it. */
export async function disableTotp(
  session: Session,
  input: z.input<typeof passwordInput>,
  context: RequestContext,
  now = new Date(),
): Promise<void> {
  const { currentPassword } = passwordInput.parse(input);
  await requireCurrentPassword(session, currentPassword, context, "two_factor_change_failed");
  const db = await getDb();
  await db.transaction(async (tx) => {
    const [person] = await tx
      .update(persons)
      .set({ totpSecret: null, totpEnabledAt: null, totpLastStep: null, updatedAt: now })
      .where(eq(persons.id, session.personId))
      .returning({ id: persons.id });
    if (!person) return;
    if (!(await secondFactorOf(tx, session.personId)).enabled)
      await tx.delete(recoveryCodes).where(eq(recoveryCodes.personId, session.personId));
    await recordPersonEvent(tx, session.personId, "person.two_factor_disabled", context, { method: "totp" }, { workingOnly: false });
  });
}

/** A new set of recovery codes (the old ones stop working), for a person with a second factor; shown once. */
export async function regenerateRecoveryCodes(
  session: Session,
  input: z.input<typeof passwordInput>,
  context: RequestContext,
  now = new Date(),
): Promise<string[]> {
  const { currentPassword } = passwordInput.parse(input);
  await requireCurrentPassword(session, currentPassword, context, "two_factor_change_failed");
  const db = await getDb();
  return db.transaction(async (tx) => {
    await tx.select({ id: persons.id }).from(persons).where(eq(persons.id, session.personId)).for("update");
    if (!(await secondFactorOf(tx, session.personId)).enabled) throw conflict("Set up a second factor first.");
    const codes = await replaceRecoveryCodes(tx, session.personId, now);
    await recordPersonEvent(tx, session.personId, "person.recovery_codes_regenerated", context, {}, { workingOnly: false });
    return codes;
  });
}
