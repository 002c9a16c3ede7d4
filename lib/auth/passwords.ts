import { availableParallelism } from "node:os";
import { randomBytes } from "node:crypto";
import { hash, verify } from "@node-rs/argon2";
import { createBoundedGate } from "@/lib/shared/bounded-gate";
import { processSingleton } from "@/lib/shared/process-singleton";

// @node-rs/argon2 defaults to argon2id with OWASP-recommended cost parameters.
export function hashPassword(password: string): Promise<string> {
  return hash(password);
}

/** The bare argon2 check, without the process's cap: for scripts and tests. */
export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    // A malformed stored hash can never match.
    return false;
  }
}

let decoyHash: Promise<string> | undefined;

// Each argon2 check takes a core and 19 MiB for a while. Sign-ins for e-mails nobody has pass
// every per-account limit, so the process caps its checks: one per core at a time, a short
// queue, and beyond it the attempt is refused (the caller answers "busy").
const gate = processSingleton<ReturnType<typeof createBoundedGate>>("argon2Gate");
const argon2Gate = () => gate.getOrCreate(() => createBoundedGate({ concurrency: availableParallelism(), queue: 16 }));

export type PasswordCheck = "match" | "mismatch" | "busy";

/**
 * Checks a password against a user's hash, or against a decoy when no user matched (`undefined`),
 * so response time does not reveal whether an e-mail address has an account. "busy": the process
 * is at its cap and the password was not checked.
 */
export async function checkPassword(passwordHash: string | undefined, password: string): Promise<PasswordCheck> {
  const result = await argon2Gate()(async () => {
    if (passwordHash !== undefined) return verifyPassword(passwordHash, password);
    decoyHash ??= hash("tessera decoy password that matches nothing");
    await verifyPassword(await decoyHash, password);
    return false;
  });
  if (!result.ran) return "busy";
  return result.value ? "match" : "mismatch";
}

/** An initial or reset password, shown once: 24 characters, 144 bits from the CSPRNG. */
export function generatePassword(): string {
  return randomBytes(18).toString("base64url");
}
