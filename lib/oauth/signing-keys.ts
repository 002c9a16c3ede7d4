import { createPrivateKey, createPublicKey, generateKeyPairSync, type JsonWebKey, type KeyObject } from "node:crypto";
import { desc, gt, isNull, or, sql } from "drizzle-orm";
import { calculateJwkThumbprint, type JWK } from "jose";
import { getDb, type Executor } from "@/db";
import { signingKeys, type SigningKey } from "@/db/schema";
import { getEnv } from "@/lib/env";
import { decryptPrivateKey, deriveKeyEncryptionKey, encryptPrivateKey } from "./key-encryption";
import { JWT_MAX_LIFETIME_SECONDS, KEY_PUBLICATION_MARGIN_SECONDS, SIGNING_ALGORITHM, SIGNING_KEY_CACHE_SECONDS } from "./vocabulary";
import { processSingleton } from "@/lib/shared/process-singleton";

/** Stored instead of a ciphertext when the private key lives only in the SIGNING_KEY variable. */
const SUPPLIED_BY_ENVIRONMENT = "env:SIGNING_KEY";
const PUBLICATION_WINDOW_MS = (JWT_MAX_LIFETIME_SECONDS + KEY_PUBLICATION_MARGIN_SECONDS) * 1000;

export type CurrentSigningKey = { kid: string; privateKey: KeyObject };

export class SigningKeyError extends Error {
  override name = "SigningKeyError";
}

const cachedKey = processSingleton<CurrentSigningKey & { loadedAt: number }>("signingKey");

/**
 * Makes sure there is a current signing key: creates one on first start, or registers the key
 * from SIGNING_KEY (superseding the previous one, which stays published). Safe to run from
 * every instance at once: an advisory lock serializes them.
 */
export async function ensureSigningKey(now = new Date()): Promise<{ kid: string; created: boolean }> {
  const supplied = getEnv().oauth.signingKey;
  const db = await getDb();
  return db.transaction(async (tx) => {
    await lockSigningKeys(tx);
    const current = await currentRow(tx);
    if (supplied) {
      const { kid, publicJwk } = await describe(supplied);
      if (current?.kid === kid) return { kid, created: false };
      await supersedeCurrent(tx, now);
      await tx
        .insert(signingKeys)
        .values({ kid, algorithm: SIGNING_ALGORITHM, publicJwk, encryptedPrivateKey: SUPPLIED_BY_ENVIRONMENT, createdAt: now })
        .onConflictDoUpdate({ target: signingKeys.kid, set: { supersededAt: null } });
      forgetCachedKey();
      return { kid, created: true };
    }
    if (current) return { kid: current.kid, created: false };
    return { kid: await insertGeneratedKey(tx, now), created: true };
  });
}

/**
 * `npm run keys:rotate`: a new current key; the previous one is superseded but stays in the
 * JWKS until every JWT it signed has expired, so resource servers keep verifying them.
 */
export async function rotateSigningKey(now = new Date()): Promise<{ kid: string; superseded: string[] }> {
  if (getEnv().oauth.signingKey) {
    throw new SigningKeyError(
      "The signing key comes from SIGNING_KEY. Rotate it by setting SIGNING_KEY to a new key and restarting; " +
        "the previous key stays published until its tokens have expired.",
    );
  }
  const db = await getDb();
  const result = await db.transaction(async (tx) => {
    await lockSigningKeys(tx);
    const superseded = await supersedeCurrent(tx, now);
    return { kid: await insertGeneratedKey(tx, now), superseded };
  });
  forgetCachedKey();
  return result;
}

/** The key that signs new JWTs, reused for a minute so a token exchange costs no key lookup. */
export async function currentSigningKey(now = new Date()): Promise<CurrentSigningKey> {
  const cached = cachedKey.get();
  if (cached && now.getTime() - cached.loadedAt < SIGNING_KEY_CACHE_SECONDS * 1000) return cached;
  const db = await getDb();
  let row = await currentRow(db);
  if (!row) {
    await ensureSigningKey(now);
    row = await currentRow(db);
  }
  if (!row) throw new SigningKeyError("No signing key could be created.");
  try {
    const key = { kid: row.kid, privateKey: await privateKeyOf(row), loadedAt: now.getTime() };
    cachedKey.set(key);
    return key;
  } catch (error) {
    // The reason names no secret, and an operator needs it to fix the configuration.
    if (error instanceof Error) console.error(`Tessera: cannot sign tokens: ${error.message}`);
    throw error;
  }
}

/** The current key and every superseded key that may still have unexpired JWTs out there. */
export async function publishedSigningKeys(now = new Date()): Promise<JWK[]> {
  const db = await getDb();
  const published = () =>
    db
      .select({ publicJwk: signingKeys.publicJwk })
      .from(signingKeys)
      .where(or(isNull(signingKeys.supersededAt), gt(signingKeys.supersededAt, new Date(now.getTime() - PUBLICATION_WINDOW_MS))))
      .orderBy(desc(signingKeys.createdAt));
  let rows = await published();
  // Start-up creates the first key; this covers a database that was emptied under a running server.
  if (rows.length === 0) {
    await ensureSigningKey(now);
    rows = await published();
  }
  return rows.map((row) => row.publicJwk);
}

export function forgetCachedKey(): void {
  cachedKey.set(undefined);
}

async function lockSigningKeys(executor: Executor): Promise<void> {
  await executor.execute(sql`select pg_advisory_xact_lock(hashtext('tessera:signing-keys'))`);
}

async function currentRow(executor: Executor): Promise<SigningKey | undefined> {
  const [row] = await executor
    .select()
    .from(signingKeys)
    .where(isNull(signingKeys.supersededAt))
    .orderBy(desc(signingKeys.createdAt))
    .limit(1);
  return row;
}

async function supersedeCurrent(executor: Executor, now: Date): Promise<string[]> {
  const rows = await executor
    .update(signingKeys)
    .set({ supersededAt: now })
    .where(isNull(signingKeys.supersededAt))
    .returning({ kid: signingKeys.kid });
  return rows.map((row) => row.kid);
}

async function insertGeneratedKey(executor: Executor, now: Date): Promise<string> {
  const { privateKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
  const { kid, publicJwk } = await describe(privateKey);
  const sealed = encryptPrivateKey(JSON.stringify(privateKey.export({ format: "jwk" })), deriveKeyEncryptionKey(getEnv().authSecret), kid);
  await executor.insert(signingKeys).values({ kid, algorithm: SIGNING_ALGORITHM, publicJwk, encryptedPrivateKey: sealed, createdAt: now });
  return kid;
}

async function privateKeyOf(row: SigningKey): Promise<KeyObject> {
  if (row.encryptedPrivateKey !== SUPPLIED_BY_ENVIRONMENT) {
    const jwk: unknown = JSON.parse(decryptPrivateKey(row.encryptedPrivateKey, deriveKeyEncryptionKey(getEnv().authSecret), row.kid));
    return createPrivateKey({ key: jwk as JsonWebKey, format: "jwk" });
  }
  const supplied = getEnv().oauth.signingKey;
  // Another instance may run with a different SIGNING_KEY: signing under this row's kid with
  // our key would produce JWTs that nobody can verify.
  if (!supplied || (await describe(supplied)).kid !== row.kid) {
    throw new SigningKeyError(`The current signing key ${row.kid} comes from a SIGNING_KEY this instance does not have.`);
  }
  return supplied;
}

/** The public JWK as published (RFC 7517), with the RFC 7638 thumbprint as its kid. */
async function describe(privateKey: KeyObject): Promise<{ kid: string; publicJwk: JWK }> {
  const { kty, crv, x, y } = createPublicKey(privateKey).export({ format: "jwk" });
  const kid = await calculateJwkThumbprint({ kty, crv, x, y });
  return { kid, publicJwk: { kty, crv, x, y, kid, alg: SIGNING_ALGORITHM, use: "sig" } };
}
