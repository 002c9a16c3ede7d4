import { beforeAll, describe, expect, it } from "vitest";
import { POST as createToken } from "@/app/api/v1/tokens/route";
import { GET as getToken, PATCH as patchToken } from "@/app/api/v1/tokens/[id]/route";
import { POST as rotateToken } from "@/app/api/v1/tokens/[id]/rotate/route";
import { POST as rotateSelf } from "@/app/api/v1/tokens/self/rotate/route";
import { GET as getMe } from "@/app/api/v1/me/route";
import { consoleActor } from "@/lib/auth/actor";
import { createToken as createTokenAs } from "@/lib/tokens/create";
import { deleteToken } from "@/lib/tokens/revoke";
import { callRoute } from "../../fixtures/api";
import { createTestOrganization } from "../../fixtures/organizations";
import { tokenRow } from "../../fixtures/tokens";

// SPEC §8: a token never grants more than it holds. Each case is an attack that succeeded
// before the access module existed; each must answer 403 insufficient_scope naming the first
// missing permission, and change nothing.

type Org = Awaited<ReturnType<typeof createTestOrganization>>;
let org: Org;
const context = { ip: "127.0.0.1", userAgent: "vitest" };
const as = (user: Org["admin"]) => consoleActor(user, context);

beforeAll(async () => {
  org = await createTestOrganization();
});

async function expectInsufficientScope(response: Response, permission: string) {
  expect(response.status).toBe(403);
  expect(response.headers.get("www-authenticate")).toContain(`scope="${permission}"`);
  expect(await response.json()).toMatchObject({ code: "insufficient_scope", detail: expect.stringContaining(permission) });
}

describe("route matrix: escalation", () => {
  it("PATCH /api/v1/tokens/{id} — escalate itself: a Token automation token cannot add permissions to itself", async () => {
    const automation = await createTokenAs(as(org.admin), { description: "automation", permissions: ["tokens:read", "tokens:write"] });
    const response = await callRoute(patchToken, {
      method: "PATCH",
      token: automation.value,
      params: { id: automation.token.id },
      body: { permissions: ["tokens:read", "tokens:write", "tokens:admin", "audit:read", "reps:read", "tokens:introspect"] },
    });
    await expectInsufficientScope(response, "tokens:admin");
    expect((await tokenRow(automation.token.id))?.permissions).toEqual(["tokens:read", "tokens:write"]);
    const me = await (await callRoute(getMe, { token: automation.value })).json();
    expect(me.token.permissions).toEqual(["tokens:read", "tokens:write"]);
  });

  it("POST /api/v1/tokens — mint a stronger token: a rep's automation token cannot create one with permissions it lacks", async () => {
    const automation = await createTokenAs(as(org.repOne), { description: "rep automation", permissions: ["tokens:read", "tokens:write"] });
    const response = await callRoute(createToken, {
      method: "POST",
      token: automation.value,
      body: { description: "stronger", permissions: ["employees:write", "messages:send"] },
    });
    // Catalog order: employees:write comes before messages:send.
    await expectInsufficientScope(response, "employees:write");
  });

  it("POST /api/v1/tokens/{id}/rotate — rotate a stronger sibling: a tokens:write token cannot obtain a sibling's fresh value", async () => {
    const automation = await createTokenAs(as(org.repTwo), {
      description: "sibling automation",
      permissions: ["tokens:read", "tokens:write"],
    });
    const sibling = await createTokenAs(as(org.repTwo), { description: "stronger sibling", permissions: ["documents:write"] });
    const response = await callRoute(rotateToken, { method: "POST", token: automation.value, params: { id: sibling.token.id } });
    await expectInsufficientScope(response, "documents:write");
    expect((await tokenRow(sibling.token.id))?.revokedAt).toBeNull();
    expect((await callRoute(getMe, { token: sibling.value })).status).toBe(200);
  });

  it("POST /api/v1/tokens/self/rotate — read-only self-rotate: a token without tokens:write cannot rotate itself", async () => {
    const readOnly = await createTokenAs(as(org.repOne), { description: "read only", permissions: ["tokens:read"] });
    const response = await callRoute(rotateSelf, { method: "POST", token: readOnly.value });
    await expectInsufficientScope(response, "tokens:write");
    expect((await tokenRow(readOnly.token.id))?.revokedAt).toBeNull();
  });

  it("POST /api/v1/tokens/{id}/rotate — rotating a sibling it fully covers is allowed", async () => {
    const automation = await createTokenAs(as(org.repTwo), { description: "covering", permissions: ["tokens:write", "tokens:read"] });
    const sibling = await createTokenAs(as(org.repTwo), { description: "covered", permissions: ["tokens:read"] });
    const response = await callRoute(rotateToken, { method: "POST", token: automation.value, params: { id: sibling.token.id } });
    expect(response.status).toBe(201);
  });

  it("PATCH /api/v1/tokens/{id} — deactivating a stronger sibling stays allowed within reach; reactivating it does not", async () => {
    const automation = await createTokenAs(as(org.repOne), { description: "switcher", permissions: ["tokens:write"] });
    const sibling = await createTokenAs(as(org.repOne), { description: "strong", permissions: ["customers:write"] });
    const off = await callRoute(patchToken, {
      method: "PATCH",
      token: automation.value,
      params: { id: sibling.token.id },
      body: { active: false },
    });
    expect(off.status).toBe(200);
    const on = await callRoute(patchToken, {
      method: "PATCH",
      token: automation.value,
      params: { id: sibling.token.id },
      body: { active: true },
    });
    await expectInsufficientScope(on, "customers:write");
    expect((await tokenRow(sibling.token.id))?.active).toBe(false);
  });

  it("PATCH /api/v1/tokens/{id} — a token cannot edit the description of a token stronger than itself", async () => {
    const automation = await createTokenAs(as(org.repOne), { description: "renamer", permissions: ["tokens:write"] });
    const sibling = await createTokenAs(as(org.repOne), { description: "keep my name", permissions: ["customers:write"] });
    const response = await callRoute(patchToken, {
      method: "PATCH",
      token: automation.value,
      params: { id: sibling.token.id },
      body: { description: "renamed" },
    });
    await expectInsufficientScope(response, "customers:write");
    expect((await tokenRow(sibling.token.id))?.description).toBe("keep my name");
  });

  it("POST /api/v1/tokens — a rep's token cannot choose an account SID; it always gets a generated one", async () => {
    const automation = await createTokenAs(as(org.repOne), { description: "sid chooser", permissions: ["tokens:write", "tokens:read"] });
    const response = await callRoute(createToken, {
      method: "POST",
      token: automation.value,
      body: { description: "chosen sid", permissions: ["tokens:read"], account_sid: "0123456789abcdef0123456789abcdef" },
    });
    await expectInsufficientScope(response, "tokens:admin");
    const generated = await callRoute(createToken, {
      method: "POST",
      token: automation.value,
      body: { description: "generated sid", permissions: ["tokens:read"] },
    });
    expect(generated.status).toBe(201);
    expect((await generated.json()).token.account_sid).toMatch(/^[0-9a-f]{32}$/);
  });

  it("POST /api/v1/tokens — tokens:admin may choose an account SID, but not one another token of the organization ever used", async () => {
    const adminToken = await createTokenAs(as(org.admin), {
      description: "admin automation",
      permissions: ["tokens:admin", "tokens:read"],
    });
    const accountSid = "abcdefabcdefabcdefabcdefabcdef01";
    const first = await callRoute(createToken, {
      method: "POST",
      token: adminToken.value,
      body: { description: "partner", permissions: ["tokens:read"], account_sid: accountSid, user_id: org.repOne.id },
    });
    expect(first.status).toBe(201);
    const taken = await callRoute(createToken, {
      method: "POST",
      token: adminToken.value,
      body: { description: "takeover", permissions: ["tokens:read"], account_sid: accountSid },
    });
    expect(taken.status).toBe(422);
    expect((await taken.json()).errors.accountSid).toBeDefined();
  });

  it("POST /api/v1/tokens — a deleted token's account SID is not freed for another token", async () => {
    const adminToken = await createTokenAs(as(org.admin), {
      description: "admin automation",
      permissions: ["tokens:admin", "tokens:read"],
    });
    const accountSid = "abcdefabcdefabcdefabcdefabcdef02";
    const partner = await createTokenAs(as(org.admin), {
      description: "partner",
      permissions: ["tokens:read"],
      accountSid,
      userId: org.repOne.id,
    });
    // The rep who owns it deletes it on Options.
    await deleteToken(as(org.repOne), partner.token.id);
    const hijack = await callRoute(createToken, {
      method: "POST",
      token: adminToken.value,
      body: { description: "hijack", permissions: ["tokens:read"], account_sid: accountSid },
    });
    expect(hijack.status).toBe(422);
    expect((await hijack.json()).errors.accountSid).toBeDefined();
  });

  it("GET /api/v1/tokens/{id} — tokens:write alone may read the tokens it may change", async () => {
    const writer = await createTokenAs(as(org.repTwo), { description: "writer", permissions: ["tokens:write"] });
    const response = await callRoute(getToken, { token: writer.value, params: { id: writer.token.id } });
    expect(response.status).toBe(200);
  });
});
