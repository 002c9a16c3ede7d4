import { randomBytes } from "node:crypto";

// The token's public identifier (SPEC §2): safe to show, log and return from introspection.
export const ACCOUNT_SID_PATTERN = /^[0-9a-f]{32}$/;

export function generateAccountSid(): string {
  return randomBytes(16).toString("hex");
}

// Partners paste SIDs from their own systems, often upper-case or with stray whitespace.
export function normalizeAccountSid(input: string): string {
  return input.trim().toLowerCase();
}

export function isAccountSid(value: unknown): value is string {
  return typeof value === "string" && ACCOUNT_SID_PATTERN.test(value);
}
