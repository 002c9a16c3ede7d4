import { generateKeyPairSync } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError, parseEnv } from "@/lib/env";
import { decryptPrivateKey, deriveKeyEncryptionKey, encryptPrivateKey } from "@/lib/oauth/key-encryption";

const base = () => ({ TESSERA_DATA_DIR: mkdtempSync(path.join(tmpdir(), "tessera-oauth-env-")) });

describe("OAuth configuration", () => {
  it("the issuer is TESSERA_ISSUER, else the origin of APP_URL, never with a trailing slash", () => {
    expect(parseEnv(base()).oauth.issuer).toBe("http://localhost:3000");
    expect(parseEnv({ ...base(), APP_URL: "https://tessera.example.com/" }).oauth.issuer).toBe("https://tessera.example.com");
    expect(parseEnv({ ...base(), TESSERA_ISSUER: "https://id.example.com/" }).oauth.issuer).toBe("https://id.example.com");
    for (const bad of ["ftp://id.example.com", "https://id.example.com/tessera", "https://id.example.com/?x=1", "nope"]) {
      expect(() => parseEnv({ ...base(), TESSERA_ISSUER: bad }), bad).toThrowError(/^Invalid TESSERA_ISSUER/);
    }
  });

  it("SIGNING_KEY takes an EC P-256 private key as PEM (real or escaped line breaks) or JWK, and nothing else", () => {
    const { privateKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
    const pem = privateKey.export({ format: "pem", type: "pkcs8" }).toString();
    const jwk = JSON.stringify(privateKey.export({ format: "jwk" }));
    for (const value of [pem, pem.replaceAll("\n", "\\n"), jwk]) {
      expect(parseEnv({ ...base(), SIGNING_KEY: value }).oauth.signingKey?.asymmetricKeyDetails?.namedCurve).toBe("prime256v1");
    }
    expect(parseEnv(base()).oauth.signingKey).toBeUndefined();
    const rsa = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ format: "pem", type: "pkcs8" }).toString();
    const p384 = generateKeyPairSync("ec", { namedCurve: "P-384" }).privateKey.export({ format: "pem", type: "pkcs8" }).toString();
    for (const bad of ["not a key", rsa, p384, JSON.stringify({ kty: "EC" })]) {
      expect(() => parseEnv({ ...base(), SIGNING_KEY: bad })).toThrowError(ConfigError);
      expect(() => parseEnv({ ...base(), SIGNING_KEY: bad })).toThrowError(/^Invalid SIGNING_KEY/);
    }
  });
});

describe("signing key encryption at rest", () => {
  const key = deriveKeyEncryptionKey("s".repeat(40));

  it("round-trips, with a fresh IV each time", () => {
    const first = encryptPrivateKey('{"d":"secret"}', key, "kid-1");
    expect(first).not.toBe(encryptPrivateKey('{"d":"secret"}', key, "kid-1"));
    expect(first).not.toContain("secret");
    expect(decryptPrivateKey(first, key, "kid-1")).toBe('{"d":"secret"}');
  });

  it("refuses another server secret, another kid, an altered ciphertext or an unknown format", () => {
    const sealed = encryptPrivateKey('{"d":"secret"}', key, "kid-1");
    const [format, iv, ciphertext, tag] = sealed.split(".");
    const flipped = Buffer.from(ciphertext ?? "", "base64url");
    flipped[0] = (flipped[0] ?? 0) ^ 1;
    const cases: [string, Buffer, string][] = [
      [sealed, deriveKeyEncryptionKey("t".repeat(40)), "kid-1"],
      [sealed, key, "kid-2"],
      [[format, iv, flipped.toString("base64url"), tag].join("."), key, "kid-1"],
      [sealed.replace(/^v1/, "v9"), key, "kid-1"],
    ];
    for (const [blob, secret, kid] of cases) expect(() => decryptPrivateKey(blob, secret, kid)).toThrowError();
  });
});
