import { randomBytes } from "node:crypto";
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
  TESSERA_DATA_DIR: z.string().min(1).default(".data"),
  PGLITE_PATH: z.string().min(1).optional(),
  TESSERA_DEMO: booleanFlag.default(true),
  SUDO_WINDOW_SECONDS: z.coerce.number().int().min(1).default(600),
  SIGN_IN_FAILURES_PER_MINUTE: z.coerce.number().int().min(1).default(5),
});

export type Env = {
  databaseUrl: string | undefined;
  /** Where PGlite keeps its files, or "memory://"; undefined when DATABASE_URL is set. */
  pglitePath: string | undefined;
  dataDir: string;
  authSecret: string;
  tokenHashKey: { version: number; secret: string };
  demoData: boolean;
  sudoWindowSeconds: number;
  signInFailuresPerMinute: number;
};

export class ConfigError extends Error {
  override name = "ConfigError";
}

type Source = Record<string, string | undefined>;

/** Parses configuration; throws ConfigError naming the variable that is wrong. */
export function parseEnv(source: Source): Env {
  const cleaned = Object.fromEntries(
    Object.keys(rawEnvSchema.shape).map((key) => [key, blankToUndefined(source[key])]),
  );
  const parsed = rawEnvSchema.safeParse(cleaned);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const variable = String(issue?.path[0] ?? "configuration");
    throw new ConfigError(`Invalid ${variable}: ${issue?.message ?? "invalid value"}.`);
  }
  const raw = parsed.data;
  const dataDir = path.resolve(raw.TESSERA_DATA_DIR);
  const embedded = raw.DATABASE_URL === undefined;
  const secrets = embedded
    ? loadOrCreateSecrets(dataDir, raw)
    : requireSecrets(raw);
  return {
    databaseUrl: raw.DATABASE_URL,
    pglitePath: embedded ? (raw.PGLITE_PATH ?? path.join(dataDir, "pglite")) : undefined,
    dataDir,
    authSecret: secrets.authSecret,
    tokenHashKey: { version: raw.TOKEN_HASH_KEY_VERSION, secret: secrets.tokenHashKey },
    demoData: raw.TESSERA_DEMO,
    sudoWindowSeconds: raw.SUDO_WINDOW_SECONDS,
    signInFailuresPerMinute: raw.SIGN_IN_FAILURES_PER_MINUTE,
  };
}

type RawEnv = z.infer<typeof rawEnvSchema>;
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

/** True while `next build` prerenders; nothing may open the database then. */
export function isBuildPhase(): boolean {
  return process.env.NEXT_PHASE === "phase-production-build";
}
