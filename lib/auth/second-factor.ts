import { createHmac, randomBytes } from "node:crypto";
import { and, count, eq, isNull, sql } from "drizzle-orm";
import type { Executor } from "@/db";
import { passkeys, persons, recoveryCodes } from "@/db/schema";
import { derivedKey } from "@/lib/shared/derived-key";
import { matchTotp, openTotpSecret } from "./totp";

// A person's second factor (SPEC §14): the authenticator app (lib/auth/totp.ts), passkeys, and the
// recovery codes that stand in for either once each. Recovery codes are shown once and stored as
// keyed hashes, like token values.

export const RECOVERY_CODE_COUNT = 10;

// Ten characters of a 32-letter alphabet without look-alikes (no 0/o, 1/l/i): 50 bits each.
const ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789";

const normalizedCode = (code: string) => code.toLowerCase().replace(/[\s-]/g, "");
const recoveryCodeHash = (code: string) =>
  createHmac("sha256", derivedKey("tessera/recovery-code/v1")).update(normalizedCode(code), "utf8").digest("hex");

function newRecoveryCode(): string {
  const letters = Array.from(randomBytes(10), (byte) => ALPHABET[byte % ALPHABET.length]).join("");
  return `${letters.slice(0, 5)}-${letters.slice(5)}`;
}

/** Replaces the person's recovery codes with a new set and returns it, to show once. */
export async function replaceRecoveryCodes(executor: Executor, personId: string, now = new Date()): Promise<string[]> {
  const codes = Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode);
  await executor.delete(recoveryCodes).where(eq(recoveryCodes.personId, personId));
  await executor.insert(recoveryCodes).values(codes.map((code) => ({ personId, codeHash: recoveryCodeHash(code), createdAt: now })));
  return codes;
}

/** SQL for queries that read `persons`: the person has a second factor (the authenticator app or a passkey). */
export const personHasSecondFactor = sql<boolean>`(${persons.totpEnabledAt} is not null or exists (select 1 from ${passkeys} where ${passkeys.personId} = ${persons.id}))`;

export type SecondFactorStatus = { totpEnabledAt: Date | null; passkeys: number; recoveryCodesLeft: number };

/** What second factors the person has; `enabled` when any. */
export async function secondFactorOf(executor: Executor, personId: string): Promise<SecondFactorStatus & { enabled: boolean }> {
  const [person] = await executor.select({ totpEnabledAt: persons.totpEnabledAt }).from(persons).where(eq(persons.id, personId));
  const [keys] = await executor.select({ n: count() }).from(passkeys).where(eq(passkeys.personId, personId));
  const [codes] = await executor
    .select({ n: count() })
    .from(recoveryCodes)
    .where(and(eq(recoveryCodes.personId, personId), isNull(recoveryCodes.usedAt)));
  const status = { totpEnabledAt: person?.totpEnabledAt ?? null, passkeys: keys?.n ?? 0, recoveryCodesLeft: codes?.n ?? 0 };
  return { ...status, enabled: status.totpEnabledAt !== null || status.passkeys > 0 };
}

export type SecondFactorMatch = { method: "totp" } | { method: "recovery_code"; remaining: number };

/**
 * Checks a code from the authenticator app (six digits) or a recovery code, and spends it: a TOTP
 * step is accepted once (the person's row is locked, so two requests with one code cannot both
 * pass), a recovery code once. Call it in a transaction. Null when nothing matches.
 */
export async function spendSecondFactorCode(
  executor: Executor,
  personId: string,
  code: string,
  now = new Date(),
): Promise<SecondFactorMatch | null> {
  const typed = code.trim();
  if (/^\d[\d\s]*$/.test(typed)) {
    const [person] = await executor
      .select({ secret: persons.totpSecret, lastStep: persons.totpLastStep, enabledAt: persons.totpEnabledAt })
      .from(persons)
      .where(eq(persons.id, personId))
      .for("update");
    const secret = person?.secret && person.enabledAt ? openTotpSecret(person.secret, personId) : null;
    if (!secret) return null;
    const step = await matchTotp(secret, typed, person?.lastStep ?? null, now);
    if (step === null) return null;
    await executor.update(persons).set({ totpLastStep: step }).where(eq(persons.id, personId));
    return { method: "totp" };
  }
  if (normalizedCode(typed).length !== 10) return null;
  const [spent] = await executor
    .update(recoveryCodes)
    .set({ usedAt: now })
    .where(and(eq(recoveryCodes.personId, personId), eq(recoveryCodes.codeHash, recoveryCodeHash(typed)), isNull(recoveryCodes.usedAt)))
    .returning({ id: recoveryCodes.id });
  if (!spent) return null;
  const [left] = await executor
    .select({ n: count() })
    .from(recoveryCodes)
    .where(and(eq(recoveryCodes.personId, personId), isNull(recoveryCodes.usedAt)));
  return { method: "recovery_code", remaining: left?.n ?? 0 };
}
