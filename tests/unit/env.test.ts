import { generateKeyPairSync } from "node:crypto";
import { mkdtempSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError, parseEnv } from "@/lib/env";

const freshDir = () => mkdtempSync(path.join(tmpdir(), "tessera-env-"));
const SECRET = "s".repeat(40);

describe("configuration", () => {
  it("embedded mode: generates secrets on first start, keeps them 0600 in the data directory, and reuses them", () => {
    const dir = freshDir();
    const first = parseEnv({ TESSERA_DATA_DIR: dir });
    const file = path.join(dir, "secrets.json");
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(first.authSecret.length).toBeGreaterThanOrEqual(32);
    expect(first.tokenHashKey.secret).not.toBe(first.authSecret);
    expect(first.pglitePath).toBe(path.join(dir, "pglite"));
    const second = parseEnv({ TESSERA_DATA_DIR: dir });
    expect(second.authSecret).toBe(first.authSecret);
    expect(second.tokenHashKey).toEqual(first.tokenHashKey);
    expect(JSON.parse(readFileSync(file, "utf8"))).toEqual({
      authSecret: first.authSecret,
      tokenHashKey: first.tokenHashKey.secret,
    });
  });

  it("with DATABASE_URL and no AUTH_SECRET, refuses to start and names the variable", () => {
    expect(() => parseEnv({ DATABASE_URL: "postgres://localhost/db", TOKEN_HASH_KEY: SECRET })).toThrowError(/AUTH_SECRET is not set/);
    expect(() => parseEnv({ DATABASE_URL: "postgres://localhost/db", AUTH_SECRET: SECRET })).toThrowError(/TOKEN_HASH_KEY is not set/);
  });

  it("rejects malformed values with a message naming the variable", () => {
    const cases: [Record<string, string>, RegExp][] = [
      [{ DATABASE_URL: "mysql://localhost/db" }, /^Invalid DATABASE_URL/],
      [{ DATABASE_URL: "postgres://x/db", AUTH_SECRET: "short", TOKEN_HASH_KEY: SECRET }, /^Invalid AUTH_SECRET/],
      [{ TESSERA_DEMO: "maybe", TESSERA_DATA_DIR: freshDir() }, /^Invalid TESSERA_DEMO/],
      [{ SUDO_WINDOW_SECONDS: "-5", TESSERA_DATA_DIR: freshDir() }, /^Invalid SUDO_WINDOW_SECONDS/],
    ];
    for (const [source, message] of cases) {
      expect(() => parseEnv(source)).toThrowError(ConfigError);
      expect(() => parseEnv(source)).toThrowError(message);
    }
  });

  it("takes PostgreSQL settings from the environment and writes nothing to disk", () => {
    const dir = freshDir();
    const env = parseEnv({
      DATABASE_URL: "postgresql://db.internal/tessera",
      AUTH_SECRET: SECRET,
      TOKEN_HASH_KEY: `${SECRET}k`,
      TOKEN_HASH_KEY_VERSION: "3",
      TESSERA_DEMO: "false",
      TESSERA_DATA_DIR: dir,
    });
    expect(env).toMatchObject({
      databaseUrl: "postgresql://db.internal/tessera",
      pglitePath: undefined,
      authSecret: SECRET,
      tokenHashKey: { version: 3, secret: `${SECRET}k` },
      demoData: false,
    });
    expect(() => statSync(path.join(dir, "secrets.json"))).toThrow();
  });

  it("demo data defaults to on for the embedded database and off on PostgreSQL", () => {
    expect(parseEnv({ TESSERA_DATA_DIR: freshDir() }).demoData).toBe(true);
    const postgres = { DATABASE_URL: "postgres://x/db", AUTH_SECRET: SECRET, TOKEN_HASH_KEY: SECRET };
    expect(parseEnv(postgres).demoData).toBe(false);
    expect(parseEnv({ ...postgres, TESSERA_DEMO: "true" }).demoData).toBe(true);
  });

  it("APP_URL and the issuer follow PORT unless set", () => {
    const env = parseEnv({ TESSERA_DATA_DIR: freshDir(), PORT: "3451" });
    expect(env.appUrl).toBe("http://localhost:3451");
    expect(env.oauth.issuer).toBe("http://localhost:3451");
    const set = parseEnv({ TESSERA_DATA_DIR: freshDir(), PORT: "3451", APP_URL: "https://tessera.example.com/" });
    expect(set.appUrl).toBe("https://tessera.example.com");
    expect(() => parseEnv({ TESSERA_DATA_DIR: freshDir(), TRUSTED_PROXY_HOPS: "-1" })).toThrowError(/^Invalid TRUSTED_PROXY_HOPS/);
  });

  it("a previous token hash key needs its own version, a current key and a different secret", () => {
    const base = { DATABASE_URL: "postgres://x/db", AUTH_SECRET: SECRET, TOKEN_HASH_KEY: `${SECRET}new`, TOKEN_HASH_KEY_VERSION: "2" };
    const previous = { TOKEN_HASH_KEY_PREVIOUS: `${SECRET}old`, TOKEN_HASH_KEY_PREVIOUS_VERSION: "1" };
    expect(parseEnv({ ...base, ...previous })).toMatchObject({
      tokenHashKey: { version: 2, secret: `${SECRET}new` },
      previousTokenHashKey: { version: 1, secret: `${SECRET}old` },
    });
    expect(parseEnv(base).previousTokenHashKey).toBeUndefined();
    const cases: [Record<string, string>, RegExp][] = [
      [{ ...base, ...previous, TOKEN_HASH_KEY_PREVIOUS_VERSION: "2" }, /TOKEN_HASH_KEY_PREVIOUS_VERSION: must differ/],
      [{ ...base, ...previous, TOKEN_HASH_KEY_PREVIOUS: `${SECRET}new` }, /TOKEN_HASH_KEY_PREVIOUS: must differ/],
      [{ ...base, TOKEN_HASH_KEY_PREVIOUS: `${SECRET}old` }, /TOKEN_HASH_KEY_PREVIOUS_VERSION is not set/],
      [{ ...base, TOKEN_HASH_KEY_PREVIOUS_VERSION: "1" }, /set without TOKEN_HASH_KEY_PREVIOUS/],
      [{ ...base, ...previous, TOKEN_HASH_KEY_PREVIOUS: "short" }, /^Invalid TOKEN_HASH_KEY_PREVIOUS/],
      [{ TESSERA_DATA_DIR: freshDir(), ...previous }, /TOKEN_HASH_KEY_PREVIOUS needs TOKEN_HASH_KEY/],
    ];
    for (const [source, message] of cases) expect(() => parseEnv(source), message.source).toThrowError(message);
  });

  it("GITHUB_SECRET_SCANNING_KEYS: GitHub's public_keys answer or its array, EC P-256 keys only; unset means none", () => {
    const dir = freshDir();
    const pem = (curve: string) =>
      generateKeyPairSync("ec", { namedCurve: curve }).publicKey.export({ format: "pem", type: "spki" }).toString();
    const entry = { key_identifier: "abc", key: pem("prime256v1"), is_current: true };
    expect(parseEnv({ TESSERA_DATA_DIR: dir }).githubSecretScanningKeys.size).toBe(0);
    expect([
      ...parseEnv({
        TESSERA_DATA_DIR: dir,
        GITHUB_SECRET_SCANNING_KEYS: JSON.stringify({ public_keys: [entry] }),
      }).githubSecretScanningKeys.keys(),
    ]).toEqual(["abc"]);
    expect([
      ...parseEnv({ TESSERA_DATA_DIR: dir, GITHUB_SECRET_SCANNING_KEYS: JSON.stringify([entry]) }).githubSecretScanningKeys.keys(),
    ]).toEqual(["abc"]);
    const bad = (value: string) => () => parseEnv({ TESSERA_DATA_DIR: dir, GITHUB_SECRET_SCANNING_KEYS: value });
    expect(bad("not json")).toThrowError(/Invalid GITHUB_SECRET_SCANNING_KEYS: must be JSON/);
    expect(bad(JSON.stringify({ public_keys: [] }))).toThrowError(ConfigError);
    expect(bad(JSON.stringify([{ ...entry, key: "-----BEGIN PUBLIC KEY-----\nxx\n-----END PUBLIC KEY-----" }]))).toThrowError(
      /not a PEM public key/,
    );
    expect(bad(JSON.stringify([{ ...entry, key: pem("secp384r1") }]))).toThrowError(/not an EC P-256 key/);
  });
});
