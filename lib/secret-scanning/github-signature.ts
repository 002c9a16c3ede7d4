import { verify, type KeyObject } from "node:crypto";

export const GITHUB_KEY_ID_HEADER = "github-public-key-identifier";
export const GITHUB_SIGNATURE_HEADER = "github-public-key-signature";

// A DER ECDSA P-256 signature is at most 72 bytes (96 in base64): anything longer is not one.
const SIGNATURE_PATTERN = /^[A-Za-z0-9+/]{8,200}={0,2}$/;

/**
 * Whether `body` (the raw bytes, exactly as received) carries a valid signature of GitHub's secret
 * scanning (ECDSA-NIST-P256V1-SHA256, DER, base64 in Github-Public-Key-Signature) by the key that
 * Github-Public-Key-Identifier names among `keys`. An unknown identifier, a missing header or a
 * malformed signature is simply false: every refusal looks alike to the caller.
 */
export function isSignedByGithub(body: Uint8Array, headers: Headers, keys: ReadonlyMap<string, KeyObject>): boolean {
  const keyId = headers.get(GITHUB_KEY_ID_HEADER)?.trim() ?? "";
  const signature = headers.get(GITHUB_SIGNATURE_HEADER)?.trim() ?? "";
  const key = keys.get(keyId);
  if (key === undefined || !SIGNATURE_PATTERN.test(signature)) return false;
  try {
    return verify("sha256", body, { key, dsaEncoding: "der" }, Buffer.from(signature, "base64"));
  } catch {
    // OpenSSL throws on some malformed DER rather than answering false.
    return false;
  }
}
