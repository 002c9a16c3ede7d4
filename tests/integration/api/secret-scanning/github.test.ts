import { createHash, sign, type KeyObject } from "node:crypto";
import { and, eq } from "drizzle-orm";
import { describe, expect, it, vi } from "vitest";
import { POST as reportToGithubIntake } from "@/app/api/v1/secret-scanning/github/route";
import { GET as getMe } from "@/app/api/v1/me/route";
import { PATCH as patchToken } from "@/app/api/v1/tokens/[id]/route";
import { getDb } from "@/db";
import { getTokenDetail } from "@/lib/tokens/detail";
import { auditEvents, notifications } from "@/db/schema";
import { callRoute, createApiFixture } from "../../../fixtures/api";
import { auditEventCount, tokenRow } from "../../../fixtures/tokens";
import { createTokenViaApi, rotateWithGrace } from "../../../fixtures/tokens-api";

// SPEC §12: GitHub's secret scanning reports Tessera tokens it finds in public. Only a report
// signed by a configured GitHub key (this file's own P-256 pair) changes anything; matches are
// deactivated (reversible), audited, told to owners and admins, and labelled in GitHub's format.

const KEY_ID = "90a421169f0a406205f1563a953312f0be898d3c7b6c06b681aa86a874555f4a";
// Configured before any module reads the configuration (vi.hoisted runs ahead of the imports).
const keys = await vi.hoisted(async () => {
  const { generateKeyPairSync } = await import("node:crypto");
  const github = generateKeyPairSync("ec", { namedCurve: "prime256v1" });
  const stranger = generateKeyPairSync("ec", { namedCurve: "prime256v1" });
  process.env.GITHUB_SECRET_SCANNING_KEYS = JSON.stringify({
    public_keys: [
      {
        key_identifier: "90a421169f0a406205f1563a953312f0be898d3c7b6c06b681aa86a874555f4a",
        key: github.publicKey.export({ format: "pem", type: "spki" }).toString(),
        is_current: true,
      },
    ],
  });
  return { github: github.privateKey, stranger: stranger.privateKey };
});

type Finding = { token: string; type?: string; url?: string; source?: string };
const URL_FOUND = "https://github.com/octocat/Hello-World/blob/12345600b9cbe38a219f39a9941c9319b600c002/foo/bar.txt";
const report = (...tokens: string[]): Finding[] =>
  tokens.map((token) => ({ token, type: "tessera_pat", url: URL_FOUND, source: "content" }));

const signatureOf = (body: string, key: KeyObject = keys.github) =>
  sign("sha256", Buffer.from(body), { key, dsaEncoding: "der" }).toString("base64");

/** POSTs a report as GitHub would: the raw body with its key identifier and signature headers. */
let addresses = 0;
async function send(
  findings: Finding[] | string,
  options: { keyId?: string | null; signature?: string | null; signedBody?: string; signer?: KeyObject; ip?: string } = {},
): Promise<Response> {
  const body = typeof findings === "string" ? findings : JSON.stringify(findings);
  const headers = new Headers({
    "content-type": "application/json",
    "user-agent": "GitHub-Secret-Scanning",
    "x-tessera-peer-address": options.ip ?? `198.18.77.${(addresses++ % 250) + 1}`,
  });
  const keyId = options.keyId === undefined ? KEY_ID : options.keyId;
  const signature = options.signature === undefined ? signatureOf(options.signedBody ?? body, options.signer) : options.signature;
  if (keyId !== null) headers.set("github-public-key-identifier", keyId);
  if (signature !== null) headers.set("github-public-key-signature", signature);
  return reportToGithubIntake(new Request("http://127.0.0.1/api/v1/secret-scanning/github", { method: "POST", headers, body }));
}

let meCalls = 0;
const me = (token: string) => callRoute(getMe, { token, ip: `198.18.78.${(meCalls++ % 250) + 1}` });
const sha256 = (value: string) => createHash("sha256").update(value).digest("hex");

async function exposureEvents(organizationId: string, tokenId: string) {
  const db = await getDb();
  return db
    .select()
    .from(auditEvents)
    .where(
      and(eq(auditEvents.organizationId, organizationId), eq(auditEvents.action, "token.deactivated"), eq(auditEvents.targetId, tokenId)),
    );
}

async function exposureMails(organizationId: string) {
  const db = await getDb();
  return db
    .select({ recipientUserId: notifications.recipientUserId, subject: notifications.subject, body: notifications.body })
    .from(notifications)
    .where(and(eq(notifications.organizationId, organizationId), eq(notifications.kind, "token.exposed")));
}

describe("POST /api/v1/secret-scanning/github — refusals change nothing and say nothing of which values exist", () => {
  it("an unsigned report, an unknown key identifier, a signature over another body, by another key or truncated: 401, token untouched", async () => {
    const f = await createApiFixture();
    const leaked = await createTokenViaApi(f.rep.value, { description: "in a gist", permissions: ["tokens:read"] });
    const body = JSON.stringify(report(leaked.value));
    const signature = signatureOf(body);
    const attempts = [
      await send(body, { keyId: null, signature: null }),
      await send(body, { signature: null }),
      await send(body, { keyId: null }),
      await send(body, { keyId: "0".repeat(64) }),
      await send(body, { signedBody: JSON.stringify(report("tsr_somethingElseEntirely000000000000000000")) }),
      await send(body, { signer: keys.stranger }),
      await send(body, { signature: signature.slice(0, 40) }),
      await send(body, { signature: "not base64 at all!" }),
      await send(`${body} `, { signature }),
    ];
    for (const response of attempts) {
      expect(response.status).toBe(401);
      expect(response.headers.get("content-type")).toBe("application/problem+json");
      expect(await response.json()).toMatchObject({ code: "invalid_signature" });
    }
    // The same refusal for a value that is no token at all.
    const unknown = await send(report("tsr_definitelyNotARealTokenValue0000000000"), { keyId: "0".repeat(64) });
    expect(unknown.status).toBe(401);
    expect(await unknown.json()).toEqual(await (await send(body, { keyId: "0".repeat(64) })).json());

    expect((await me(leaked.value)).status).toBe(200);
    expect(await tokenRow(leaked.token.id)).toMatchObject({ active: true, revokedAt: null });
    expect(await exposureEvents(f.org.organization.id, leaked.token.id)).toHaveLength(0);
    expect(await exposureMails(f.org.organization.id)).toHaveLength(0);
  });

  it("a body over 1 MB is 413 before its signature is checked; signed malformed input is 400/422; refusals from one address are limited", async () => {
    const f = await createApiFixture();
    const kept = await createTokenViaApi(f.admin.value, { description: "kept", permissions: ["tokens:read"] });
    const huge = JSON.stringify(report(...Array.from({ length: 12_000 }, () => kept.value)));
    expect((await send(huge)).status).toBe(413);
    expect((await send("{not json")).status).toBe(400);
    expect((await send(JSON.stringify({ token: kept.value }))).status).toBe(422);
    expect((await send(report(...Array.from({ length: 1001 }, () => kept.value)))).status).toBe(422);
    expect((await me(kept.value)).status).toBe(200);
    expect(await tokenRow(kept.token.id)).toMatchObject({ active: true });

    const ip = "198.18.79.1";
    const statuses: number[] = [];
    for (let i = 0; i < 11; i += 1) statuses.push((await send(report("tsr_x"), { signature: null, ip })).status);
    expect(statuses.slice(0, 10).every((status) => status === 401)).toBe(true);
    expect(statuses[10]).toBe(429);
    // GitHub's own signed reports from that address still pass.
    expect((await send(report("tsr_x"), { ip })).status).toBe(200);
  });
});

describe("POST /api/v1/secret-scanning/github — a signed GitHub-format report", () => {
  it("deactivates the token (the API refuses it), audits it, mails owner and admins where it leaked, answers GitHub's labels; an admin can reactivate it", async () => {
    const f = await createApiFixture();
    const leaked = await createTokenViaApi(f.rep.value, { description: "pasted in a gist", permissions: ["tokens:read"] });
    const unknownValue = "tsr_definitelyNotARealTokenValue0000000000";
    const response = await send([
      ...report(leaked.value),
      { token: unknownValue, type: "tessera_pat", url: "" },
      { token: "hello", type: "x" },
    ]);

    expect(response.status).toBe(200);
    const labels = await response.json();
    expect(labels).toEqual([
      { token_hash: sha256(leaked.value), token_type: "tessera_pat", label: "true_positive" },
      { token_hash: sha256(unknownValue), token_type: "tessera_pat", label: "false_positive" },
      { token_hash: sha256("hello"), token_type: "x", label: "false_positive" },
    ]);
    expect(JSON.stringify(labels)).not.toContain(leaked.value);

    expect((await me(leaked.value)).status).toBe(401);
    // Deactivated, not revoked: reversible.
    expect(await tokenRow(leaked.token.id)).toMatchObject({ active: false, revokedAt: null });

    const events = await exposureEvents(f.org.organization.id, leaked.token.id);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      actorUserId: null,
      actorTokenId: null,
      targetUserId: f.org.repOne.id,
      userAgent: "GitHub-Secret-Scanning",
      details: { secretScanning: { source: "github", type: "tessera_pat", url: URL_FOUND, reportedAt: expect.any(String) } },
    });
    expect(events[0]?.ip).toMatch(/^198\.18\.77\./);
    expect(JSON.stringify(events)).not.toContain(leaked.value);

    const mails = await exposureMails(f.org.organization.id);
    expect(mails.map((mail) => mail.recipientUserId).sort()).toEqual([f.org.admin.id, f.org.repOne.id].sort());
    for (const mail of mails) {
      expect(mail.subject).toBe("Token “pasted in a gist” was found on GitHub and deactivated");
      expect(mail.body).toContain(`Found at:     ${URL_FOUND}`);
      expect(mail.body).toContain(leaked.value.slice(0, 8));
      expect(mail.body).toMatch(/switch the token on again/);
      expect(mail.body).not.toContain(leaked.value);
    }

    // The token page says where: its owner's and the admins' alike.
    expect((await getTokenDetail(f.repActor, leaked.token.id)).exposure).toMatchObject({ url: URL_FOUND, link: true });

    // A false positive after all: an admin switches it on again.
    const reactivated = await callRoute(patchToken, {
      method: "PATCH",
      token: f.admin.value,
      params: { id: leaked.token.id },
      body: { active: true },
    });
    expect(reactivated.status).toBe(200);
    expect((await me(leaked.value)).status).toBe(200);
    expect((await getTokenDetail(f.adminActor, leaked.token.id)).exposure).toBeNull();

    // The same finding again (GitHub's repeat, or a captured report replayed) leaves the admin's
    // judgement alone; a finding somewhere else switches it off again.
    expect((await send(report(leaked.value))).status).toBe(200);
    expect((await me(leaked.value)).status).toBe(200);
    expect(await exposureEvents(f.org.organization.id, leaked.token.id)).toHaveLength(1);
    await send([{ token: leaked.value, type: "tessera_pat", url: "https://github.com/octo/elsewhere/blob/main/.env" }]);
    expect((await me(leaked.value)).status).toBe(401);
  });

  it("the token page links only an http(s) address; anything else is shown as text", async () => {
    const f = await createApiFixture();
    const leaked = await createTokenViaApi(f.rep.value, { description: "odd url", permissions: ["tokens:read"] });
    await send([{ token: leaked.value, type: "tessera_pat", url: "javascript:alert(1)" }]);
    expect((await getTokenDetail(f.adminActor, leaked.token.id)).exposure).toMatchObject({ url: "javascript:alert(1)", link: false });
  });

  it("a repeated report changes nothing more: no second event or mail, still labelled true_positive", async () => {
    const f = await createApiFixture();
    const leaked = await createTokenViaApi(f.rep.value, { description: "twice", permissions: ["tokens:read"] });
    expect((await send(report(leaked.value, leaked.value))).status).toBe(200);
    const events = await auditEventCount(f.org.organization.id);
    const again = await send(report(leaked.value));
    expect(await again.json()).toEqual([{ token_hash: sha256(leaked.value), token_type: "tessera_pat", label: "true_positive" }]);
    expect(await auditEventCount(f.org.organization.id)).toBe(events);
    expect(await exposureEvents(f.org.organization.id, leaked.token.id)).toHaveLength(1);
    expect(await exposureMails(f.org.organization.id)).toHaveLength(2);
  });

  it("a revoked token's value is a false_positive and nothing changes", async () => {
    const f = await createApiFixture();
    const before = await auditEventCount(f.org.organization.id);
    const response = await send(report(f.revoked.value));
    expect(await response.json()).toEqual([{ token_hash: sha256(f.revoked.value), token_type: "tessera_pat", label: "false_positive" }]);
    expect(await auditEventCount(f.org.organization.id)).toBe(before);
    expect(await exposureMails(f.org.organization.id)).toHaveLength(0);
  });

  it("tokens of two organizations in one report: each deactivated, audited and told in its own organization", async () => {
    const a = await createApiFixture();
    const b = await createApiFixture();
    const ours = await createTokenViaApi(a.rep.value, { description: "ours", permissions: ["tokens:read"] });
    const theirs = await createTokenViaApi(b.admin.value, { description: "theirs", permissions: ["tokens:read"] });
    const response = await send(report(ours.value, theirs.value));
    expect((await response.json()).map((entry: { label: string }) => entry.label)).toEqual(["true_positive", "true_positive"]);
    expect(await exposureEvents(a.org.organization.id, ours.token.id)).toHaveLength(1);
    expect(await exposureEvents(b.org.organization.id, theirs.token.id)).toHaveLength(1);
    expect(await exposureEvents(a.org.organization.id, theirs.token.id)).toHaveLength(0);
    const mailsA = await exposureMails(a.org.organization.id);
    const mailsB = await exposureMails(b.org.organization.id);
    expect(mailsA.map((mail) => mail.recipientUserId).sort()).toEqual([a.org.admin.id, a.org.repOne.id].sort());
    expect(mailsB.map((mail) => mail.recipientUserId)).toEqual([b.org.admin.id]);
    expect(mailsA.every((mail) => !mail.body.includes("theirs"))).toBe(true);
    expect(mailsB.every((mail) => !mail.body.includes("ours"))).toBe(true);
  });

  it("a rotated-out value still in its grace stops working; its successor keeps working", async () => {
    const f = await createApiFixture();
    const old = await createTokenViaApi(f.admin.value, { description: "graced", permissions: ["tokens:read"] });
    const successor = await rotateWithGrace(f.admin.value, old);
    expect((await me(old.value)).status).toBe(200);
    expect(await (await send(report(old.value))).json()).toEqual([
      { token_hash: sha256(old.value), token_type: "tessera_pat", label: "true_positive" },
    ]);
    expect((await me(old.value)).status).toBe(401);
    expect((await me(successor.value)).status).toBe(200);
    expect(await exposureEvents(f.org.organization.id, old.token.id)).toMatchObject([
      { details: { secretScanning: { source: "github" }, graceEnded: true } },
    ]);
  });
});

describe("POST /api/v1/secret-scanning/github — not configured", () => {
  it("answers 404 problem+json when GITHUB_SECRET_SCANNING_KEYS is not set", async () => {
    const configured = process.env.GITHUB_SECRET_SCANNING_KEYS;
    delete process.env.GITHUB_SECRET_SCANNING_KEYS;
    try {
      vi.resetModules();
      const { POST } = await import("@/app/api/v1/secret-scanning/github/route");
      const body = JSON.stringify(report("tsr_x"));
      const response = await POST(
        new Request("http://127.0.0.1/api/v1/secret-scanning/github", {
          method: "POST",
          headers: { "github-public-key-identifier": KEY_ID, "github-public-key-signature": signatureOf(body) },
          body,
        }),
      );
      expect(response.status).toBe(404);
      expect(response.headers.get("content-type")).toBe("application/problem+json");
    } finally {
      process.env.GITHUB_SECRET_SCANNING_KEYS = configured;
    }
  });
});
