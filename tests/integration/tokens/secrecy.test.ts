import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { regenerateToken } from "@/lib/tokens/regenerate";
import { deleteToken, revokeToken } from "@/lib/tokens/revoke";
import { setTokenActive, updateToken } from "@/lib/tokens/update";
import { actorFor } from "../../fixtures/actors";
import { createTestOrganization } from "../../fixtures/organizations";
import { createTestToken } from "../../fixtures/tokens";

const TABLES = ["organizations", "users", "personal_access_tokens", "audit_events", "notifications", "rate_limits"] as const;

/** Every row of every table, as text. */
async function wholeDatabaseAsText(): Promise<string> {
  const db = await getDb();
  const dumps: string[] = [];
  for (const table of TABLES) {
    dumps.push(JSON.stringify(await db.execute(sql.raw(`select * from ${table}`))));
  }
  return dumps.join("\n");
}

describe("secrecy — a token value is never stored", () => {
  it("after creating, changing, regenerating, revoking and deleting tokens, no column of any table holds an issued value", async () => {
    const { admin, repOne } = await createTestOrganization();
    const values: string[] = [];

    const forRep = await createTestToken(actorFor(admin), { userId: repOne.id, description: "Vendor" });
    const own = await createTestToken(actorFor(repOne), { description: "Script" });
    const adminOwn = await createTestToken(actorFor(admin), { permissions: ["tokens:admin"] });
    const doomed = await createTestToken(actorFor(repOne), { description: "Doomed" });
    values.push(forRep.value, own.value, adminOwn.value, doomed.value);

    await updateToken(actorFor(admin), forRep.token.id, { description: "Vendor (renamed)" });
    await setTokenActive(actorFor(repOne), own.token.id, false);
    const first = await regenerateToken(actorFor(admin), forRep.token.id);
    const second = await regenerateToken(actorFor(repOne), first.token.id);
    const third = await regenerateToken(actorFor(repOne), own.token.id);
    values.push(first.value, second.value, third.value);
    await revokeToken(actorFor(admin), adminOwn.token.id, "Done");
    await deleteToken(actorFor(repOne), doomed.token.id);

    expect(new Set(values).size).toBe(values.length);
    const everything = await wholeDatabaseAsText();
    // Sanity: the dump does hold the tokens' public parts, so a miss below is meaningful.
    expect(everything).toContain(forRep.token.accountSid);
    expect(everything).toContain(second.token.hint);
    for (const value of values) {
      expect(everything).not.toContain(value);
      // Not even the random part without its prefix and checksum.
      expect(everything).not.toContain(value.slice(4, 36));
    }
  });
});
