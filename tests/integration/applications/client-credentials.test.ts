import { beforeAll, describe, expect, it } from "vitest";
import { createApplication } from "@/lib/applications/change";
import { createClientSecret, revokeClientSecret } from "@/lib/applications/client-secrets";
import { updateApplication } from "@/lib/applications/change";
import { createToken } from "@/lib/tokens/create";
import { actorFor } from "../../fixtures/actors";
import { applicationIdOf, basicAuth, clientCredentials } from "../../fixtures/applications";
import { exchangedJwt, introspect } from "../../fixtures/oauth";
import { createTestOrganization } from "../../fixtures/organizations";

// RFC 7662 §2.1 with client credentials (SPEC §9): a resource server learns about its own
// application's tokens only; everything else is exactly {"active": false}, and a failed client
// authentication is RFC 6749's invalid_client.

type Org = Awaited<ReturnType<typeof createTestOrganization>>;
let org: Org;
let other: Org;
let enterprise: string;
let billing: string;
let enterpriseClient: string;
let billingClient: string;

beforeAll(async () => {
  org = await createTestOrganization("Clients");
  other = await createTestOrganization("Elsewhere");
  const admin = actorFor(org.admin);
  enterprise = await applicationIdOf(org.organization.id, "enterprise-rest-api");
  billing = (
    await createApplication(admin, {
      name: "Billing",
      audience: "https://billing.example.com",
      scopes: [{ id: "invoices:read", description: "Read invoices" }],
    })
  ).id;
  enterpriseClient = (await clientCredentials(admin, enterprise)).authorization;
  billingClient = (await clientCredentials(admin, billing)).authorization;
});

async function answer(caller: string, token: string | undefined) {
  const response = await introspect(caller, token);
  return { status: response.status, body: await response.json(), challenge: response.headers.get("www-authenticate") };
}

describe("introspection by an application's client credentials", () => {
  it("its own application's PAT and JWT are active with the application's audience; another application's are {active: false}", async () => {
    const admin = actorFor(org.admin);
    const enterpriseToken = await createToken(admin, {
      description: "enterprise",
      applicationId: enterprise,
      permissions: ["orders:read"],
    });
    const billingToken = await createToken(admin, { description: "billing", applicationId: billing, permissions: ["invoices:read"] });
    expect((await answer(enterpriseClient, enterpriseToken.value)).body).toMatchObject({
      active: true,
      scope: "orders:read",
      aud: "https://api.enterprise.example",
      application: "enterprise-rest-api",
    });
    expect((await answer(enterpriseClient, billingToken.value)).body).toEqual({ active: false });
    expect((await answer(billingClient, enterpriseToken.value)).body).toEqual({ active: false });
    expect((await answer(billingClient, billingToken.value)).body).toMatchObject({ active: true, aud: "https://billing.example.com" });
    const billingJwt = await exchangedJwt(billingToken.value);
    expect((await answer(enterpriseClient, billingJwt)).body).toEqual({ active: false });
    expect((await answer(billingClient, billingJwt)).body).toMatchObject({ active: true, aud: "https://billing.example.com" });
  });

  it("another organization's token of the same application is {active: false}", async () => {
    const foreign = await createToken(actorFor(other.admin), { description: "foreign", permissions: ["orders:read"] });
    expect((await answer(enterpriseClient, foreign.value)).body).toEqual({ active: false });
  });

  it("a wrong secret, an unknown client, a token as the secret, a malformed header: 401 invalid_client with a Basic challenge", async () => {
    const admin = actorFor(org.admin);
    const token = await createToken(admin, { description: "probe", permissions: ["orders:read"] });
    const ownSecret = (await clientCredentials(admin, enterprise)).clientSecret;
    for (const authorization of [
      basicAuth(enterprise, `tcs_${"B".repeat(43)}`),
      basicAuth(crypto.randomUUID(), ownSecret),
      basicAuth(billing, ownSecret),
      basicAuth(enterprise, token.value),
      "Basic %%%",
      "Basic " + Buffer.from("no-colon").toString("base64"),
    ]) {
      const result = await answer(authorization, token.value);
      expect(result.status, authorization).toBe(401);
      expect(result.body).toEqual({ error: "invalid_client", error_description: expect.any(String) });
      expect(result.challenge).toContain("Basic");
    }
  });

  it("another organization's client secret does not authenticate as this organization's application", async () => {
    const foreignEnterprise = await applicationIdOf(other.organization.id, "enterprise-rest-api");
    const foreign = await clientCredentials(actorFor(other.admin), foreignEnterprise);
    expect((await answer(basicAuth(enterprise, foreign.clientSecret), "x")).status).toBe(401);
  });

  it("two secrets live at a time: a third is refused; a revoked one stops at once, the other keeps working", async () => {
    const admin = actorFor(org.admin);
    const app = (await createApplication(admin, { name: "Rotating", audience: "urn:example:rotating" })).id;
    const first = await clientCredentials(admin, app);
    const second = await clientCredentials(admin, app);
    await expect(createClientSecret(admin, app)).rejects.toMatchObject({ code: "conflict" });
    await revokeClientSecret(admin, app, first.secretId);
    expect((await answer(first.authorization, "x")).status).toBe(401);
    expect((await answer(second.authorization, "x")).status).toBe(200);
    await clientCredentials(admin, app);
  });

  it("an archived application's credentials stop authenticating", async () => {
    const admin = actorFor(org.admin);
    const app = (await createApplication(admin, { name: "Archived", audience: "urn:example:archived" })).id;
    const client = await clientCredentials(admin, app);
    expect((await answer(client.authorization, "x")).status).toBe(200);
    await updateApplication(admin, app, { archived: true });
    expect((await answer(client.authorization, "x")).status).toBe(401);
  });

  it("a rep cannot create client secrets; the built-in Tessera API has none", async () => {
    await expect(createClientSecret(actorFor(org.repOne), enterprise)).rejects.toMatchObject({ code: "forbidden" });
    const builtIn = await applicationIdOf(org.organization.id, "tessera-api");
    await expect(createClientSecret(actorFor(org.admin), builtIn)).rejects.toMatchObject({ code: "conflict" });
  });
});

describe("introspection by a Tessera API token holding tokens:introspect", () => {
  it("answers for Tessera API tokens only (aud: the issuer); a domain application's tokens are {active: false}", async () => {
    const admin = actorFor(org.admin);
    const introspector = await createToken(admin, { description: "introspector", permissions: ["tokens:introspect"] });
    const tessera = await createToken(admin, { description: "automation", permissions: ["tokens:read"] });
    const domain = await createToken(admin, { description: "domain", permissions: ["orders:read"] });
    expect((await answer(introspector.value, tessera.value)).body).toMatchObject({
      active: true,
      aud: "http://localhost:3000",
      application: "tessera-api",
    });
    expect((await answer(introspector.value, domain.value)).body).toEqual({ active: false });
  });
});
