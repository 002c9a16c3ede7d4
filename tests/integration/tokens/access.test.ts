import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { personalAccessTokens } from "@/db/schema";
import { addDays } from "@/lib/shared/time";
import { revokeToken } from "@/lib/tokens/revoke";
import { setTokenActive, updateToken } from "@/lib/tokens/update";
import { actorFor } from "../../fixtures/actors";
import { createTestOrganization } from "../../fixtures/organizations";
import { createTestToken, domainErrorOf, setPolicy, tokenRow } from "../../fixtures/tokens";

const DAY_MS = 86_400_000;

describe("account SID choice", () => {
  it("a rep in the console cannot choose an account SID (a message on the field), an admin can", async () => {
    const { admin, repOne } = await createTestOrganization();
    const error = await domainErrorOf(createTestToken(actorFor(repOne), { accountSid: "0123456789abcdef0123456789abcdef" }));
    expect(error.fieldErrors.accountSid?.[0]).toMatch(/Only system admins/);
    const { token } = await createTestToken(actorFor(admin), { userId: repOne.id, accountSid: "0123456789abcdef0123456789abcdef" });
    expect(token.accountSid).toBe("0123456789abcdef0123456789abcdef");
  });
});

describe("edits never revive or stretch a token", () => {
  it("an edited expiry may not pass createdAt + the policy's maximum lifetime", async () => {
    const { organization, admin } = await createTestOrganization();
    await setPolicy(organization.id, { maxLifetimeDays: 30 });
    const { token } = await createTestToken(actorFor(admin), { expiresAt: addDays(new Date(), 10) });
    // Created 20 days ago: 25 more days from now is within 30 days of the edit, but 45 after creation.
    const createdAt = new Date(Date.now() - 20 * DAY_MS);
    const db = await getDb();
    await db.update(personalAccessTokens).set({ createdAt }).where(eq(personalAccessTokens.id, token.id));
    const latest = addDays(createdAt, 30).toISOString().slice(0, 10);
    const error = await domainErrorOf(updateToken(actorFor(admin), token.id, { expiresAt: addDays(new Date(), 25) }));
    expect(error.fieldErrors.expiresAt?.[0]).toContain(`at most 30 days; this one may expire on ${latest} at the latest`);
    expect((await tokenRow(token.id))?.expiresAt?.toISOString()).toBe(token.expiresAt);
    const ok = await updateToken(actorFor(admin), token.id, { expiresAt: addDays(createdAt, 29) });
    expect(ok.expiresAt).toBe(addDays(createdAt, 29).toISOString());
  });

  it("an expired token cannot be edited or switched back on; the message points to Regenerate or Copy as new", async () => {
    const { admin, repOne } = await createTestOrganization();
    const { token } = await createTestToken(actorFor(repOne));
    const db = await getDb();
    await db
      .update(personalAccessTokens)
      .set({ expiresAt: new Date(Date.now() - 1000), active: false })
      .where(eq(personalAccessTokens.id, token.id));
    const edit = await domainErrorOf(updateToken(actorFor(admin), token.id, { expiresAt: new Date(Date.now() + 7 * DAY_MS) }));
    expect(edit.message).toMatch(/expired.*Regenerate.*Copy as new/);
    const on = await domainErrorOf(setTokenActive(actorFor(repOne), token.id, true));
    expect(on.message).toMatch(/expired/);
    expect(await tokenRow(token.id)).toMatchObject({ active: false });
    // Taking power away stays possible.
    await revokeToken(actorFor(repOne), token.id);
    expect((await tokenRow(token.id))?.revokedAt).not.toBeNull();
  });
});
