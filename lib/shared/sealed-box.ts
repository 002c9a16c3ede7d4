import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { derivedKey } from "./derived-key";

// A value only this server can read and nobody can alter unseen: AES-256-GCM under a key derived
// from AUTH_SECRET for one label, bound to a context (a person's id, say) as associated data, so a
// value sealed for one person or purpose opens for no other.

/** Seals `plaintext` under the key of `label`, bound to `context`. */
export function seal(label: string, plaintext: string, context: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", derivedKey(label), iv);
  cipher.setAAD(Buffer.from(context));
  const sealed = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return [iv, sealed, cipher.getAuthTag()].map((part) => part.toString("base64url")).join(".");
}

/** What `seal` sealed under this label and context; null for anything else (tampered, another context, malformed). */
export function unseal(label: string, value: string, context: string): string | null {
  const [iv, sealed, tag, ...rest] = value.split(".").map((part) => Buffer.from(part, "base64url"));
  if (!iv || !sealed || !tag || rest.length > 0 || iv.length !== 12 || tag.length !== 16) return null;
  try {
    const decipher = createDecipheriv("aes-256-gcm", derivedKey(label), iv);
    decipher.setAAD(Buffer.from(context));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(sealed), decipher.final()]).toString("utf8");
  } catch {
    return null;
  }
}
