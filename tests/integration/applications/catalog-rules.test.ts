import { beforeAll, describe, expect, it } from "vitest";
import { createApplication, updateApplication } from "@/lib/applications/change";
import { getEnv } from "@/lib/env";
import { createToken } from "@/lib/tokens/create";
import { regenerateToken } from "@/lib/tokens/regenerate";
import { verifyToken } from "@/lib/tokens/verify";
import { actorFor } from "../../fixtures/actors";
import { createTestOrganization } from "../../fixtures/organizations";

// Names, slugs and audiences of applications, and what regeneration keeps: the cases an attack
// review of SPEC §9 found (each failed before its fix).

type Org = Awaited<ReturnType<typeof createTestOrganization>>;
let org: Org;
beforeAll(async () => {
  org = await createTestOrganization("Catalog rules");
});

const effective = async (value: string) => {
  const verified = await verifyToken(value);
  return verified.ok ? verified.principal.permissions : verified.reason;
};

describe("application names and slugs", () => {
  it("a renamed application keeps its slug, and its old name can be used again (with a slug of its own)", async () => {
    const admin = actorFor(org.admin);
    const alpha = await createApplication(admin, { name: "Alpha", audience: "urn:example:alpha" });
    await updateApplication(admin, alpha.id, { name: "Beta" });
    const again = await createApplication(admin, { name: "Alpha", audience: "urn:example:alpha2" });
    expect(again).toMatchObject({ name: "Alpha", slug: "alpha-2" });
  });

  it("names without Latin letters each get a slug", async () => {
    const admin = actorFor(org.admin);
    const orders = await createApplication(admin, { name: "Заказы", audience: "urn:example:orders-ru" });
    const payments = await createApplication(admin, { name: "Платежи", audience: "urn:example:payments-ru" });
    expect(orders.slug).not.toBe(payments.slug);
  });

  it("two applications cannot share a name, whatever its case (422 on the name)", async () => {
    const admin = actorFor(org.admin);
    await createApplication(admin, { name: "Payroll", audience: "urn:example:payroll" });
    await expect(createApplication(admin, { name: "PAYROLL", audience: "urn:example:payroll-2" })).rejects.toMatchObject({
      code: "invalid",
      fieldErrors: { name: [expect.stringContaining("already has this name")] },
    });
  });
});

describe("application audiences", () => {
  it("are unique in the organization in any spelling: case, default port, trailing slash", async () => {
    const admin = actorFor(org.admin);
    const first = await createApplication(admin, { name: "Aud one", audience: "HTTPS://Dup.Example.com:443/api/" });
    expect(first.audience).toBe("https://dup.example.com/api");
    for (const audience of ["https://dup.example.com/api", "https://DUP.example.com/api//", "https://dup.example.com:443/api"]) {
      await expect(createApplication(admin, { name: `Aud ${audience}`, audience }), audience).rejects.toMatchObject({
        code: "invalid",
        fieldErrors: { audience: [expect.any(String)] },
      });
    }
  });

  it("never claim Tessera's own audience, in any spelling", async () => {
    const admin = actorFor(org.admin);
    const oauth = getEnv().oauth;
    const issuer = oauth.issuer;
    Object.assign(oauth, { issuer: "https://tessera.example.com" });
    try {
      for (const audience of ["https://TESSERA.example.com", "https://tessera.example.com:443", "https://tessera.example.com/"]) {
        await expect(createApplication(admin, { name: `Issuer ${audience}`, audience }), audience).rejects.toMatchObject({
          fieldErrors: { audience: [expect.stringContaining("Tessera's own audience")] },
        });
      }
    } finally {
      Object.assign(oauth, { issuer });
    }
  });
});

describe("regeneration and deprecated scopes", () => {
  it("a token regenerated while a scope is deprecated gets it back when the scope is restored, like its siblings", async () => {
    const admin = actorFor(org.admin);
    const scopes = [
      { id: "d:read", description: "Read" },
      { id: "d:write", description: "Write" },
    ];
    const app = (await createApplication(admin, { name: "Deprecations", audience: "urn:example:deprecations", scopes })).id;
    const kept = await createToken(admin, { description: "kept", applicationId: app, permissions: ["d:read", "d:write"] });
    const rotated = await createToken(admin, { description: "rotated", applicationId: app, permissions: ["d:read", "d:write"] });
    await updateApplication(admin, app, { scopes: [{ id: "d:write", description: "Write", deprecated: true }] });
    const successor = await regenerateToken(admin, rotated.token.id);
    expect(await effective(successor.value)).toEqual(["d:read"]);
    await updateApplication(admin, app, { scopes: [{ id: "d:write", description: "Write", deprecated: false }] });
    await expect.poll(() => effective(kept.value), { timeout: 5000 }).toEqual(["d:read", "d:write"]);
    await expect.poll(() => effective(successor.value), { timeout: 5000 }).toEqual(["d:read", "d:write"]);
  });
});
