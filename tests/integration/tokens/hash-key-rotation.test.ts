// @module-tag database
import { randomBytes } from "node:crypto";
import { eq } from "drizzle-orm";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { GET as getMe } from "@/app/api/v1/me/route";
import { POST as rotateSelf } from "@/app/api/v1/tokens/self/rotate/route";
import { getDb } from "@/db";
import { personalAccessTokens } from "@/db/schema";
import { consoleActor } from "@/lib/auth/actor";
import { getEnv, type Env } from "@/lib/env";
import { hashToken, type HashKey } from "@/lib/tokens/hash";
import { readHashKeyStatus } from "@/lib/tokens/hash-key-status";
import { verificationCache } from "@/lib/tokens/verification-cache";
import { callRoute } from "../../fixtures/api";
import { exchange, introspect } from "../../fixtures/oauth";
import { clientCredentials } from "../../fixtures/applications";
import { createApplication } from "@/lib/applications/change";
import { createTestOrganization } from "../../fixtures/organizations";
import { createTestToken, tokenRow } from "../../fixtures/tokens";

// Versions no other test file uses, so the status counts are this file's own.
const keyOf = (version: number): HashKey => ({ version, secret: randomBytes(32).toString("base64url") });
const original = { ...getEnv() };

/** What a restarted server would run with: this current key and, optionally, a previous one. */
async function serveWith(current: HashKey, previous?: HashKey): Promise<void> {
  Object.assign(getEnv(), { tokenHashKey: current, previousTokenHashKey: previous } satisfies Partial<Env>);
  (await verificationCache())?.clear();
}

let org: Awaited<ReturnType<typeof createTestOrganization>>;
const actor = () => consoleActor(org.repOne, { ip: null, userAgent: null });
const me = (value: string) => callRoute(getMe, { token: value, ip: "192.0.2.61" });

beforeAll(async () => {
  org = await createTestOrganization();
});
afterEach(() => {
  Object.assign(getEnv(), { tokenHashKey: original.tokenHashKey, previousTokenHashKey: original.previousTokenHashKey });
});

describe("hash-key rotation", () => {
  it("a token hashed under key A works after the server moves to key B (A previous), moves to B on use, and works once A is dropped", async () => {
    const a = keyOf(701);
    const b = keyOf(702);
    await serveWith(a);
    const { token, value } = await createTestToken(actor());
    expect(await tokenRow(token.id)).toMatchObject({ hashKeyVersion: 701, secretHash: hashToken(value, a) });

    await serveWith(b, a);
    expect((await me(value)).status).toBe(200);
    expect(await tokenRow(token.id)).toMatchObject({ hashKeyVersion: 702, secretHash: hashToken(value, b) });
    expect((await me(value)).status).toBe(200);

    await serveWith(b);
    expect((await me(value)).status).toBe(200);
  });

  it("token exchange and self-rotation accept a token still on the previous key", async () => {
    const a = keyOf(741);
    await serveWith(a);
    const exchanged = await createTestToken(actor());
    const rotated = await createTestToken(actor(), { permissions: ["tokens:read", "tokens:write"] });
    await serveWith(keyOf(742), a);
    expect((await exchange(exchanged.value)).status).toBe(200);
    expect((await callRoute(rotateSelf, { method: "POST", token: rotated.value })).status).toBe(201);
  });

  it("a token hashed under a key the server no longer knows is refused", async () => {
    const a = keyOf(711);
    await serveWith(a);
    const { token, value } = await createTestToken(actor());
    await serveWith(keyOf(713), keyOf(712));
    const response = await me(value);
    expect(response.status).toBe(401);
    expect(await tokenRow(token.id)).toMatchObject({ hashKeyVersion: 711, secretHash: hashToken(value, a) });
  });

  it("concurrent first uses under the previous key all succeed and leave one current hash", async () => {
    const a = keyOf(721);
    const b = keyOf(722);
    await serveWith(a);
    const { token, value } = await createTestToken(actor());
    await serveWith(b, a);
    const statuses = await Promise.all(Array.from({ length: 8 }, () => me(value).then((response) => response.status)));
    expect(statuses).toEqual(Array(8).fill(200));
    expect(await tokenRow(token.id)).toMatchObject({ hashKeyVersion: 722, secretHash: hashToken(value, b) });
  });

  it("keys:hash-status counts live tokens per key version and flags versions the server does not know", async () => {
    const a = keyOf(731);
    const b = keyOf(732);
    await serveWith(keyOf(730));
    await createTestToken(actor());
    await serveWith(a);
    await createTestToken(actor());
    await createTestToken(actor());
    const revoked = await createTestToken(actor());
    const db = await getDb();
    await db.update(personalAccessTokens).set({ revokedAt: new Date() }).where(eq(personalAccessTokens.id, revoked.token.id));
    await serveWith(b, a);
    await createTestToken(actor());

    const status = (await readHashKeyStatus()).filter((row) => row.version >= 730 && row.version < 740);
    expect(status).toEqual([
      { version: 730, liveTokens: 1, liveClientSecrets: 0, key: "unknown" },
      { version: 731, liveTokens: 2, liveClientSecrets: 0, key: "previous" },
      { version: 732, liveTokens: 1, liveClientSecrets: 0, key: "current" },
    ]);
  });

  it("an application's client secret made under key A moves to key B at its first use and keeps working once A is dropped", async () => {
    const a = keyOf(751);
    const b = keyOf(752);
    const admin = consoleActor(org.admin, { ip: null, userAgent: null });
    await serveWith(a);
    const application = (await createApplication(admin, { name: "Key rotation", audience: "urn:example:key-rotation" })).id;
    const client = await clientCredentials(admin, application);
    await serveWith(b, a);
    const statusOf = async (version: number) => (await readHashKeyStatus()).find((row) => row.version === version);
    expect(await statusOf(751)).toMatchObject({ liveClientSecrets: 1, key: "previous" });
    expect((await introspect(client.authorization, "x")).status).toBe(200);
    expect(await statusOf(751)).toMatchObject({ liveClientSecrets: 0 });
    expect(await statusOf(752)).toMatchObject({ liveClientSecrets: 1, key: "current" });
    await serveWith(b);
    expect((await introspect(client.authorization, "x")).status).toBe(200);
  });
});
