import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";

// Private signing keys rest in the database encrypted with AES-256-GCM under a key derived
// from the server secret, so a database dump alone cannot mint tokens. The kid is bound in as
// associated data: a ciphertext copied onto another key's row does not decrypt.

const FORMAT = "v1";
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** HKDF-SHA256 of the server secret, labelled for this one use (RFC 5869). */
export function deriveKeyEncryptionKey(serverSecret: string): Buffer {
  return Buffer.from(hkdfSync("sha256", serverSecret, "tessera", "tessera/signing-keys/aes-256-gcm/v1", 32));
}

/** `v1.<iv>.<ciphertext>.<tag>`, each base64url. */
export function encryptPrivateKey(plaintext: string, key: Buffer, kid: string): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv("aes-256-gcm", key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(Buffer.from(kid, "utf8"));
  const ciphertext = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return [FORMAT, iv, ciphertext, cipher.getAuthTag()]
    .map((part) => (typeof part === "string" ? part : part.toString("base64url")))
    .join(".");
}

export class KeyDecryptionError extends Error {
  override name = "KeyDecryptionError";
}

/** Throws KeyDecryptionError when the blob was encrypted under another secret, for another kid, or altered. */
export function decryptPrivateKey(blob: string, key: Buffer, kid: string): string {
  const [format, iv, ciphertext, tag, ...rest] = blob.split(".");
  if (format !== FORMAT || iv === undefined || ciphertext === undefined || tag === undefined || rest.length > 0) {
    throw new KeyDecryptionError("The stored signing key is not in a format this version understands.");
  }
  try {
    const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(iv, "base64url"), { authTagLength: TAG_BYTES });
    decipher.setAAD(Buffer.from(kid, "utf8"));
    decipher.setAuthTag(Buffer.from(tag, "base64url"));
    return Buffer.concat([decipher.update(Buffer.from(ciphertext, "base64url")), decipher.final()]).toString("utf8");
  } catch {
    throw new KeyDecryptionError(
      `The signing key ${kid} cannot be decrypted with this server's AUTH_SECRET (was AUTH_SECRET changed?). ` +
        "Run `npm run keys:rotate` to create a new signing key.",
    );
  }
}
