// @module-tag database
import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { getDb } from "@/db";
import { personalAccessTokens } from "@/db/schema";
import { createApplication, updateApplication } from "@/lib/applications/change";
import { createToken } from "@/lib/tokens/create";
import { actorFor } from "../../fixtures/actors";
import { createTestOrganization } from "../../fixtures/organizations";

// createToken checks the application before its transaction; an archive (or a deprecation) that
// commits between that check and the insert must refuse the token, not let it in uncounted.
// The hook runs the archive at exactly that moment: inside loadPolicy, which createToken calls
// between the two.
const between: { hook: (() => Promise<void>) | null } = { hook: null };
vi.mock("@/lib/organizations/queries", async (importOriginal) => {
  const original = await importOriginal<typeof import("@/lib/organizations/queries")>();
  return {
    ...original,
    loadPolicy: async (...args: Parameters<typeof original.loadPolicy>) => {
      const hook = between.hook;
      between.hook = null;
      if (hook) await hook();
      return original.loadPolicy(...args);
    },
  };
});

let org: Awaited<ReturnType<typeof createTestOrganization>>;
beforeAll(async () => {
  org = await createTestOrganization("Races");
});

const tokensNamed = async (applicationId: string, description: string) =>
  (await getDb())
    .select()
    .from(personalAccessTokens)
    .where(and(eq(personalAccessTokens.applicationId, applicationId), eq(personalAccessTokens.description, description)));

describe("a grant racing a catalog change", () => {
  it("an application archived between createToken's check and its insert refuses the token", async () => {
    const admin = actorFor(org.admin);
    const scopes = [{ id: "racy:read", description: "Read" }];
    const app = (await createApplication(admin, { name: "Racy", audience: "urn:example:racy", scopes })).id;
    between.hook = () => updateApplication(admin, app, { archived: true, stopLiveTokens: 0 }).then(() => undefined);
    await expect(createToken(admin, { description: "late", applicationId: app, permissions: ["racy:read"] })).rejects.toMatchObject({
      code: "invalid",
      fieldErrors: { applicationId: [expect.any(String)] },
    });
    expect(await tokensNamed(app, "late")).toHaveLength(0);
  });

  it("a scope deprecated between the check and the insert is refused too", async () => {
    const admin = actorFor(org.admin);
    const scopes = [{ id: "racy:write", description: "Write" }];
    const app = (await createApplication(admin, { name: "Racy two", audience: "urn:example:racy-two", scopes })).id;
    between.hook = () =>
      updateApplication(admin, app, { scopes: [{ id: "racy:write", description: "Write", deprecated: true }] }).then(() => undefined);
    await expect(createToken(admin, { description: "late", applicationId: app, permissions: ["racy:write"] })).rejects.toMatchObject({
      fieldErrors: { permissions: ["racy:write is deprecated and can no longer be granted."] },
    });
    expect(await tokensNamed(app, "late")).toHaveLength(0);
  });
});
