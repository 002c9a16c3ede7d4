import { hkdfSync } from "node:crypto";
import { getEnv } from "@/lib/env";

// Keys derived from AUTH_SECRET (HKDF-SHA256, RFC 5869), each under a label of its own, so no
// MAC made with one can be confused with another's or with anything AUTH_SECRET keys itself
// (the session cookie's encryption). Cached per label, and recomputed if the secret changes.
const derived = new Map<string, { secret: string; key: Buffer }>();

/** The 32-byte key for this label, e.g. "tessera/sudo-cookie/v1". */
export function derivedKey(label: string): Buffer {
  const secret = getEnv().authSecret;
  const cached = derived.get(label);
  if (cached?.secret === secret) return cached.key;
  const key = Buffer.from(hkdfSync("sha256", secret, "", label, 32));
  derived.set(label, { secret, key });
  return key;
}
