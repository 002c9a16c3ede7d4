import { randomBytes } from "node:crypto";
import { hash, verify } from "@node-rs/argon2";

// @node-rs/argon2 defaults to argon2id with OWASP-recommended cost parameters.
export function hashPassword(password: string): Promise<string> {
  return hash(password);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    // A malformed stored hash can never match.
    return false;
  }
}

let decoyHash: Promise<string> | undefined;

/**
 * Spends the same time as a real check when no user matched, so response time does not
 * reveal whether an e-mail address has an account.
 */
export async function verifyDecoyPassword(password: string): Promise<false> {
  decoyHash ??= hash("tessera decoy password that matches nothing");
  await verify(await decoyHash, password).catch(() => false);
  return false;
}

/** An initial or reset password, shown once: 24 characters, 144 bits from the CSPRNG. */
export function generatePassword(): string {
  return randomBytes(18).toString("base64url");
}
