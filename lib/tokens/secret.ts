import { getEnv } from "@/lib/env";
import { generateToken } from "./format";
import { hashToken, tokenHint } from "./hash";

export type IssuedSecret = {
  /** The value to show once. Never store, log or audit it. */
  value: string;
  secretHash: string;
  hashKeyVersion: number;
  hint: string;
};

export function issueSecret(): IssuedSecret {
  const key = getEnv().tokenHashKey;
  const value = generateToken();
  return { value, secretHash: hashToken(value, key), hashKeyVersion: key.version, hint: tokenHint(value) };
}
