import { createPrivateKey, createPublicKey, randomBytes, type JsonWebKey, type KeyObject } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";

// The only module that reads process.env (STYLE rule 9). Everything else asks getEnv().

const booleanFlag = z
  .enum(["true", "false", "1", "0", "yes", "no"])
  .transform((value) => value === "true" || value === "1" || value === "yes");

const secret = z.string().min(32, "must be at least 32 characters (e.g. `openssl rand -base64 32`)");

const rawEnvSchema = z.object({
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, "must be a postgres:// or postgresql:// URL")
    .optional(),
  AUTH_SECRET: secret.optional(),
  TOKEN_HASH_KEY: secret.optional(),
  TOKEN_HASH_KEY_VERSION: z.coerce.number().int().min(1).default(1),
  TOKEN_HASH_KEY_PREVIOUS: secret.optional(),
  TOKEN_HASH_KEY_PREVIOUS_VERSION: z.coerce.number().int().min(1).optional(),
  TESSERA_DATA_DIR: z.string().min(1).default(".data"),
  PGLITE_PATH: z.string().min(1).optional(),
  // Default: on for the embedded database (a zero-config demo), off on PostgreSQL, where demo
  // users with a public password must never appear in a production database by accident.
  TESSERA_DEMO: booleanFlag.optional(),
  PORT: z.coerce.number().int().min(1).max(65_535).default(3000),
  // How many proxies in front of Tessera append to X-Forwarded-For; 0: the TCP peer is the client.
  TRUSTED_PROXY_HOPS: z.coerce.number().int().min(0).max(10).default(0),
  SUDO_WINDOW_SECONDS: z.coerce.number().int().min(1).default(600),
  SIGN_IN_FAILURES_PER_MINUTE: z.coerce.number().int().min(1).default(5),
  VERIFY_CACHE_MAX_AGE_SECONDS: z.coerce.number().int().min(0).max(300).default(30),
  VERIFY_CACHE_SIZE: z.coerce.number().int().min(1).default(10_000),
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, "must be an smtp:// or smtps:// URL, e.g. smtp://user:password@mail.example.com:587")
    .optional(),
  MAIL_FROM: z.string().min(3).default("Tessera <tessera@localhost>"),
  APP_URL: z.url({ protocol: /^https?$/, error: "must be an http:// or https:// URL, e.g. https://tessera.example.com" }).optional(),
  JOBS_ENABLED: booleanFlag.default(true),
  JOBS_INTERVAL_SECONDS: z.coerce.number().int().min(5).max(86_400).default(60),
  USAGE_RETENTION_DAYS: z.coerce.number().int().min(31).max(3650).default(90),
  // Per-token rate limits are counted here when set, exactly across instances; without it, each
  // instance counts its own requests (SPEC §12).
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, "must be a redis:// or rediss:// URL, e.g. redis://127.0.0.1:6379")
    .optional(),
  TESSERA_ISSUER: z
    .url({ protocol: /^https?$/, error: "must be an http:// or https:// URL, e.g. https://tessera.example.com" })
    // Tessera serves its endpoints and /.well-known/ at the root of its origin (RFC 8414 §3).
    .refine((value) => /^https?:\/\/[^/?#]+\/?$/.test(value), "must be an origin, e.g. https://tessera.example.com, without a path")
    .optional(),
  SIGNING_KEY: z.string().optional(),
  GITHUB_SECRET_SCANNING_KEYS: z.string().optional(),
  // Webhook endpoints may be http:// and on loopback or private addresses (tests, local receivers).
  WEBHOOK_ALLOW_PRIVATE: booleanFlag.default(false),
});

export type Env = {
  databaseUrl: string | undefined;
  /** Where PGlite keeps its files, or "memory://"; undefined when DATABASE_URL is set. */
  pglitePath: string | undefined;
  dataDir: string;
  authSecret: string;
  tokenHashKey: HashKeyConfig;
  /** The key being rotated out: tokens found under it are re-hashed under tokenHashKey on use. */
  previousTokenHashKey: HashKeyConfig | undefined;
  demoData: boolean;
  /** How many proxies in front append to X-Forwarded-For (lib/http/request-context.ts). */
  trustedProxyHops: number;
  sudoWindowSeconds: number;
  signInFailuresPerMinute: number;
  /** Verified tokens are cached this long at most (0 turns the cache off); NOTIFY usually evicts sooner. */
  verifyCacheMaxAgeSeconds: number;
  verifyCacheSize: number;
  /** Mail goes out through this server; undefined keeps every mail in the outbox (embedded mode). */
  smtpUrl: string | undefined;
  mailFrom: string;
  /** Where links in mails point, without a trailing slash. */
  appUrl: string;
  jobs: { enabled: boolean; intervalSeconds: number };
  /** Token usage rows (per hour, per client address) older than this are pruned by the jobs. */
  usageRetentionDays: number;
  /** Where per-token rate limits are counted across instances; undefined: per instance. */
  redisUrl: string | undefined;
  /** Webhook URLs may be http:// and resolve to loopback or private addresses (never in production). */
  webhookAllowPrivate: boolean;
  oauth: {
    /** The `iss` of exchanged JWTs and of the RFC 8414 metadata, without a trailing slash. */
    issuer: string;
    /** An ES256 private key from SIGNING_KEY; undefined: keys are generated and kept in the database. */
    signingKey: KeyObject | undefined;
  };
  /**
   * GitHub's secret-scanning public keys by key identifier (GITHUB_SECRET_SCANNING_KEYS); empty:
   * POST /api/v1/secret-scanning/github answers 404. Never fetched: this server may not reach GitHub.
   */
  githubSecretScanningKeys: ReadonlyMap<string, KeyObject>;
};

type HashKeyConfig = { version: number; secret: string };

export class ConfigError extends Error {
  override name = "ConfigError";
}

type Source = Record<string, string | undefined>;

/** Parses configuration; throws ConfigError naming the variable that is wrong. */
export function parseEnv(source: Source): Env {
  const cleaned = Object.fromEntries(Object.keys(rawEnvSchema.shape).map((key) => [key, blankToUndefined(source[key])]));
  const parsed = rawEnvSchema.safeParse(cleaned);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const variable = String(issue?.path[0] ?? "configuration");
    throw new ConfigError(`Invalid ${variable}: ${issue?.message ?? "invalid value"}.`);
  }
  const raw = parsed.data;
  const dataDir = path.resolve(raw.TESSERA_DATA_DIR);
  const embedded = raw.DATABASE_URL === undefined;
  const appUrl = (raw.APP_URL ?? `http://localhost:${raw.PORT}`).replace(/\/+$/, "");
  const secrets = embedded ? loadOrCreateSecrets(dataDir, raw) : requireSecrets(raw);
  return {
    databaseUrl: raw.DATABASE_URL,
    pglitePath: embedded ? (raw.PGLITE_PATH ?? path.join(dataDir, "pglite")) : undefined,
    dataDir,
    authSecret: secrets.authSecret,
    tokenHashKey: { version: raw.TOKEN_HASH_KEY_VERSION, secret: secrets.tokenHashKey },
    previousTokenHashKey: previousHashKey(raw),
    demoData: raw.TESSERA_DEMO ?? embedded,
    trustedProxyHops: raw.TRUSTED_PROXY_HOPS,
    sudoWindowSeconds: raw.SUDO_WINDOW_SECONDS,
    signInFailuresPerMinute: raw.SIGN_IN_FAILURES_PER_MINUTE,
    verifyCacheMaxAgeSeconds: raw.VERIFY_CACHE_MAX_AGE_SECONDS,
    verifyCacheSize: raw.VERIFY_CACHE_SIZE,
    smtpUrl: raw.SMTP_URL,
    mailFrom: raw.MAIL_FROM,
    appUrl,
    jobs: { enabled: raw.JOBS_ENABLED, intervalSeconds: raw.JOBS_INTERVAL_SECONDS },
    usageRetentionDays: raw.USAGE_RETENTION_DAYS,
    redisUrl: raw.REDIS_URL,
    webhookAllowPrivate: raw.WEBHOOK_ALLOW_PRIVATE,
    oauth: {
      issuer: raw.TESSERA_ISSUER?.replace(/\/+$/, "") ?? new URL(appUrl).origin,
      signingKey: raw.SIGNING_KEY === undefined ? undefined : parseSigningKey(raw.SIGNING_KEY),
    },
    githubSecretScanningKeys: raw.GITHUB_SECRET_SCANNING_KEYS === undefined ? new Map() : parseGithubKeys(raw.GITHUB_SECRET_SCANNING_KEYS),
  };
}

// What https://api.github.com/meta/public_keys/secret_scanning answers, or just its array.
const githubKey = z.object({ key_identifier: z.string().min(1).max(200), key: z.string().min(1), is_current: z.boolean().optional() });
const githubKeysSchema = z.union([z.object({ public_keys: z.array(githubKey).min(1) }), z.array(githubKey).min(1)]);

// The keys GitHub signs secret-scanning reports with (ECDSA P-256, SHA-256): a report under any
// other key identifier is refused, so a key GitHub retires stops working once it leaves this list.
function parseGithubKeys(value: string): ReadonlyMap<string, KeyObject> {
  const invalid = (why: string) => new ConfigError(`Invalid GITHUB_SECRET_SCANNING_KEYS: ${why}.`);
  let json: unknown;
  try {
    json = JSON.parse(value);
  } catch {
    throw invalid("must be JSON, as https://api.github.com/meta/public_keys/secret_scanning answers");
  }
  const parsed = githubKeysSchema.safeParse(json);
  if (!parsed.success) throw invalid('must be {"public_keys":[{"key_identifier":"…","key":"-----BEGIN PUBLIC KEY-----…"}]} or that array');
  const entries = Array.isArray(parsed.data) ? parsed.data : parsed.data.public_keys;
  const keys = new Map<string, KeyObject>();
  for (const entry of entries) {
    let key: KeyObject;
    try {
      key = createPublicKey(entry.key.replace(/\\n/g, "\n"));
    } catch {
      throw invalid(`the key of ${entry.key_identifier} is not a PEM public key`);
    }
    if (key.asymmetricKeyType !== "ec" || key.asymmetricKeyDetails?.namedCurve !== "prime256v1") {
      throw invalid(`the key of ${entry.key_identifier} is not an EC P-256 key (GitHub signs with ECDSA-NIST-P256V1-SHA256)`);
    }
    keys.set(entry.key_identifier, key);
  }
  return keys;
}

// Accepts what `openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256` prints (with
// real or `\n` line breaks) or a private JWK, and nothing but a P-256 key: exchanged JWTs are ES256.
function parseSigningKey(value: string): KeyObject {
  let key: KeyObject;
  try {
    const text = value.trim();
    key = text.startsWith("-----BEGIN")
      ? createPrivateKey(text.replace(/\\n/g, "\n"))
      : createPrivateKey({ key: JSON.parse(text) as JsonWebKey, format: "jwk" });
  } catch {
    throw new ConfigError("Invalid SIGNING_KEY: must be a private key in PKCS#8 PEM or JWK form.");
  }
  if (key.asymmetricKeyType !== "ec" || key.asymmetricKeyDetails?.namedCurve !== "prime256v1") {
    throw new ConfigError("Invalid SIGNING_KEY: must be an EC P-256 key (exchanged JWTs are signed with ES256).");
  }
  return key;
}

type RawEnv = z.infer<typeof rawEnvSchema>;

// Rotating the hash key: the new key becomes TOKEN_HASH_KEY under a new version, the old one
// stays as the previous key until `npm run keys:hash-status` shows no live token left on it.
function previousHashKey(raw: RawEnv): HashKeyConfig | undefined {
  const secret = raw.TOKEN_HASH_KEY_PREVIOUS;
  const version = raw.TOKEN_HASH_KEY_PREVIOUS_VERSION;
  if (secret === undefined && version === undefined) return undefined;
  if (secret === undefined) throw new ConfigError("TOKEN_HASH_KEY_PREVIOUS_VERSION is set without TOKEN_HASH_KEY_PREVIOUS.");
  if (version === undefined) {
    throw new ConfigError(
      "TOKEN_HASH_KEY_PREVIOUS_VERSION is not set: set it to the version tokens were hashed under with the previous key.",
    );
  }
  if (raw.TOKEN_HASH_KEY === undefined) {
    throw new ConfigError("TOKEN_HASH_KEY_PREVIOUS needs TOKEN_HASH_KEY: set the new key there, with a new TOKEN_HASH_KEY_VERSION.");
  }
  if (version === raw.TOKEN_HASH_KEY_VERSION)
    throw new ConfigError("Invalid TOKEN_HASH_KEY_PREVIOUS_VERSION: must differ from TOKEN_HASH_KEY_VERSION.");
  if (secret === raw.TOKEN_HASH_KEY) throw new ConfigError("Invalid TOKEN_HASH_KEY_PREVIOUS: must differ from TOKEN_HASH_KEY.");
  return { version, secret };
}
type Secrets = { authSecret: string; tokenHashKey: string };

function requireSecrets(raw: RawEnv): Secrets {
  for (const name of ["AUTH_SECRET", "TOKEN_HASH_KEY"] as const) {
    if (raw[name] === undefined) {
      throw new ConfigError(
        `${name} is not set. With DATABASE_URL set, secrets must come from the environment: ` +
          `set ${name} to a random value of at least 32 characters (e.g. \`openssl rand -base64 32\`).`,
      );
    }
  }
  return { authSecret: raw.AUTH_SECRET ?? "", tokenHashKey: raw.TOKEN_HASH_KEY ?? "" };
}

const secretsFileSchema = z.object({ authSecret: secret, tokenHashKey: secret });

// Embedded mode must work with no configuration, so secrets are generated once and kept
// beside the database they protect, readable by the owner only.
function loadOrCreateSecrets(dataDir: string, raw: RawEnv): Secrets {
  const file = path.join(dataDir, "secrets.json");
  let stored: Secrets;
  if (existsSync(file)) {
    const parsed = secretsFileSchema.safeParse(JSON.parse(readFileSync(file, "utf8")));
    if (!parsed.success) throw new ConfigError(`${file} is damaged; restore it or delete the data directory.`);
    stored = parsed.data;
  } else {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    stored = {
      authSecret: randomBytes(32).toString("base64url"),
      tokenHashKey: randomBytes(32).toString("base64url"),
    };
    writeFileSync(file, JSON.stringify(stored, null, 2), { mode: 0o600, flag: "wx" });
    chmodSync(file, 0o600);
  }
  return {
    authSecret: raw.AUTH_SECRET ?? stored.authSecret,
    tokenHashKey: raw.TOKEN_HASH_KEY ?? stored.tokenHashKey,
  };
}

function blankToUndefined(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === "" ? undefined : value;
}

let cached: Env | undefined;

export function getEnv(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}

/** `next dev` (scripts/server.mjs --dev): the CSP then allows the eval React's dev tools need. */
export function isDevelopment(): boolean {
  return process.env.NODE_ENV === "development";
}
