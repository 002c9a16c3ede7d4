import { generateKeyPairSync } from "node:crypto";
import { calculateJwkThumbprint, decodeProtectedHeader } from "jose";
import { afterAll, describe, expect, inject, it, vi } from "vitest";
import { closeDb, getDb } from "@/db";
import { signingKeys } from "@/db/schema";
import { createFreshDatabase, dropDatabase } from "../../../scripts/fresh-database.mjs";

// This file's server takes its signing key from SIGNING_KEY. Signing keys are global, so on
// PostgreSQL it gets a database of its own: the other files' servers must not see this key.
const shared = inject("databaseUrl");
const isolated = shared ? await createFreshDatabase(shared, "tessera_signing_env") : undefined;
if (isolated) process.env.DATABASE_URL = isolated.url;
afterAll(async () => {
  await closeDb();
  if (shared && isolated) await dropDatabase(shared, isolated.name);
});

const { privateKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
const { kty, crv, x, y, d } = privateKey.export({ format: "jwk" });
const suppliedKid = await calculateJwkThumbprint({ kty, crv, x, y });

/** A restart: configuration is read again (the database connection lives on globalThis and stays). */
async function restart() {
  vi.resetModules();
  const keys = await import("@/lib/oauth/signing-keys");
  keys.forgetCachedKey();
  return keys;
}

describe("a signing key supplied by SIGNING_KEY", () => {
  it("replaces the generated key, which stays published; signs new JWTs; is never stored; is not rotated by the script", async () => {
    delete process.env.SIGNING_KEY;
    const generated = await (await restart()).ensureSigningKey();

    // The operator supplies a key (PEM with escaped line breaks, as in a .env file) and restarts.
    process.env.SIGNING_KEY = privateKey.export({ format: "pem", type: "pkcs8" }).toString().replaceAll("\n", "\\n");
    const keys = await restart();
    expect(await keys.ensureSigningKey()).toEqual({ kid: suppliedKid, created: true });
    expect(await keys.ensureSigningKey()).toEqual({ kid: suppliedKid, created: false });
    expect((await keys.publishedSigningKeys()).map((key) => key.kid)).toEqual([suppliedKid, generated.kid]);

    const rows = await (await getDb()).select().from(signingKeys);
    expect(rows.find((row) => row.kid === suppliedKid)?.encryptedPrivateKey).toBe("env:SIGNING_KEY");
    expect(JSON.stringify(rows)).not.toContain(String(d));

    const { createTestOrganization } = await import("../../fixtures/organizations");
    const { createTestToken } = await import("../../fixtures/tokens");
    const { consoleActor } = await import("@/lib/auth/actor");
    const { exchangedJwt } = await import("../../fixtures/oauth");
    const org = await createTestOrganization();
    const pat = await createTestToken(consoleActor(org.repOne, { ip: null, userAgent: null }), { permissions: ["assessments:read"] });
    expect(decodeProtectedHeader(await exchangedJwt(pat.value)).kid).toBe(suppliedKid);

    await expect(keys.rotateSigningKey()).rejects.toThrow(/comes from SIGNING_KEY/);

    // An instance without that key refuses to sign under its kid rather than sign with another key.
    delete process.env.SIGNING_KEY;
    const without = await restart();
    const logged = vi.spyOn(console, "error").mockImplementation(() => {});
    await expect(without.currentSigningKey()).rejects.toThrow(/SIGNING_KEY this instance does not have/);
    // …and says so in the log, where an operator looks.
    expect(logged).toHaveBeenCalledWith(expect.stringContaining("Tessera: cannot sign tokens"));
    logged.mockRestore();
  });
});
