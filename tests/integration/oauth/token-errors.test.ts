import { decodeJwt } from "jose";
import { beforeAll, describe, expect, it } from "vitest";
import { consoleActor } from "@/lib/auth/actor";
import { GRANT_TYPE_TOKEN_EXCHANGE, TOKEN_TYPE_ACCESS_TOKEN } from "@/lib/oauth/vocabulary";
import { POST } from "@/app/api/v1/oauth/token/route";
import { freshIp } from "../../fixtures/client-addresses";
import { exchange, exchangedJwt, postToken } from "../../fixtures/oauth";
import { createTestOrganization } from "../../fixtures/organizations";
import { createTestToken } from "../../fixtures/tokens";

let pat: string;
beforeAll(async () => {
  const org = await createTestOrganization();
  pat = (await createTestToken(consoleActor(org.repOne, { ip: null, userAgent: null }), { permissions: ["assessments:read"] })).value;
});

/** An RFC 6749 §5.2 error: JSON with `error` (and a description), never cached. */
async function expectOAuthError(response: Response, status: number, error: string) {
  expect(response.status).toBe(status);
  expect(response.headers.get("content-type")).toContain("application/json");
  expect(response.headers.get("cache-control")).toBe("no-store");
  const body: unknown = await response.json();
  expect(body).toEqual({ error, error_description: expect.any(String) });
}

describe("POST /api/v1/oauth/token — malformed requests get RFC 6749 §5.2 errors", () => {
  it("a body that is not form-encoded is an invalid_request", async () => {
    const json = new Request("http://127.0.0.1/api/v1/oauth/token", {
      method: "POST",
      headers: { "content-type": "application/json", "x-tessera-peer-address": freshIp() },
      body: JSON.stringify({ grant_type: GRANT_TYPE_TOKEN_EXCHANGE, subject_token: pat, subject_token_type: TOKEN_TYPE_ACCESS_TOKEN }),
    });
    await expectOAuthError(await POST(json), 400, "invalid_request");
    await expectOAuthError(
      await postToken({ grant_type: GRANT_TYPE_TOKEN_EXCHANGE }, { contentType: "text/plain" }),
      400,
      "invalid_request",
    );
  });

  it("a missing grant_type is an invalid_request; another grant type is unsupported_grant_type", async () => {
    await expectOAuthError(await postToken({ subject_token: pat, subject_token_type: TOKEN_TYPE_ACCESS_TOKEN }), 400, "invalid_request");
    for (const grantType of ["client_credentials", "password", "urn:ietf:params:oauth:grant-type:jwt-bearer"]) {
      await expectOAuthError(await exchange(pat, { grant_type: grantType }), 400, "unsupported_grant_type");
    }
  });

  it("a missing subject_token or subject_token_type, or a subject token type other than access_token, is an invalid_request", async () => {
    await expectOAuthError(
      await postToken({ grant_type: GRANT_TYPE_TOKEN_EXCHANGE, subject_token_type: TOKEN_TYPE_ACCESS_TOKEN }),
      400,
      "invalid_request",
    );
    await expectOAuthError(await postToken({ grant_type: GRANT_TYPE_TOKEN_EXCHANGE, subject_token: pat }), 400, "invalid_request");
    for (const type of ["urn:ietf:params:oauth:token-type:jwt", "urn:ietf:params:oauth:token-type:refresh_token", "bearer"]) {
      await expectOAuthError(await exchange(pat, { subject_token_type: type }), 400, "invalid_request");
    }
  });

  it("a repeated parameter is an invalid_request (RFC 6749 §3.2)", async () => {
    await expectOAuthError(await exchange(pat, { subject_token: [pat, pat] }), 400, "invalid_request");
    await expectOAuthError(await exchange(pat, { scope: ["assessments:read", "assessments:read"] }), 400, "invalid_request");
  });

  it("delegation (actor_token) and unknown requested_token_type values are invalid_request", async () => {
    await expectOAuthError(await exchange(pat, { actor_token: pat, actor_token_type: TOKEN_TYPE_ACCESS_TOKEN }), 400, "invalid_request");
    await expectOAuthError(
      await exchange(pat, { requested_token_type: "urn:ietf:params:oauth:token-type:refresh_token" }),
      400,
      "invalid_request",
    );
  });

  it("a resource that is not an absolute URI without fragment, or too many targets, is invalid_target (RFC 8707)", async () => {
    for (const resource of ["/relative/path", "not a uri", "https://api.example.com/#fragment"]) {
      await expectOAuthError(await exchange(pat, { resource }), 400, "invalid_target");
    }
    const many = Array.from({ length: 11 }, (_, index) => `https://api${index}.example.com/`);
    await expectOAuthError(await exchange(pat, { resource: many }), 400, "invalid_target");
  });

  it("the JWT's aud is the token's application's audience, asked for or not; any other target is invalid_target (SPEC §9)", async () => {
    const enterprise = "https://api.enterprise.example";
    expect(decodeJwt(await exchangedJwt(pat, { audience: enterprise })).aud).toBe(enterprise);
    expect(decodeJwt(await exchangedJwt(pat, { resource: enterprise })).aud).toBe(enterprise);
    expect(decodeJwt(await exchangedJwt(pat)).aud).toBe(enterprise);
    const targets: Record<string, string | string[]>[] = [
      { audience: "assessments-api" },
      { resource: "https://assessments.example.com/" },
      { audience: [enterprise, "http://localhost:3000"] },
    ];
    for (const target of targets) {
      await expectOAuthError(await exchange(pat, target), 400, "invalid_target");
    }
  });

  it("a malformed scope is invalid_scope; an empty one counts as omitted (RFC 6749 §3.1)", async () => {
    for (const scope of ["assessments:read  assessments:write", " assessments:read", 'assessments:"read"']) {
      await expectOAuthError(await exchange(pat, { scope }), 400, "invalid_scope");
    }
    const empty = await exchange(pat, { scope: "" });
    expect(empty.status).toBe(200);
    expect(await empty.json()).toMatchObject({ scope: "assessments:read" });
  });

  it("a body over 16 KiB is refused before it is read in full", async () => {
    await expectOAuthError(await exchange(pat, { padding: "x".repeat(17 * 1024) }), 413, "invalid_request");
  });
});
