import { describe, expect, it } from "vitest";
import { webhookEventForAudit } from "@/lib/webhooks/events";
import { guardedLookup, RefusedTargetError } from "@/lib/webhooks/send";
import { isPublicAddress, webhookUrlProblem } from "@/lib/webhooks/target";

const production = { allowPrivate: false };
const allowed = { allowPrivate: true };

describe("webhook URLs (SPEC §12, SSRF)", () => {
  it("an https URL on a public host is accepted", () => {
    expect(webhookUrlProblem("https://hooks.example.com/tessera?x=1", production)).toBeNull();
    expect(webhookUrlProblem("https://8.8.8.8/hook", production)).toBeNull();
    expect(webhookUrlProblem("https://[2606:4700::1111]/hook", production)).toBeNull();
  });

  it("http:// is refused unless WEBHOOK_ALLOW_PRIVATE", () => {
    expect(webhookUrlProblem("http://hooks.example.com/", production)).toBe("Must be an https:// URL.");
    expect(webhookUrlProblem("http://127.0.0.1:8080/", allowed)).toBeNull();
    for (const url of ["ftp://hooks.example.com/", "javascript:alert(1)", "file:///etc/passwd"]) {
      expect(webhookUrlProblem(url, allowed), url).not.toBeNull();
    }
  });

  it.each([
    "https://127.0.0.1/",
    "https://127.1/",
    "https://2130706433/",
    "https://0x7f000001/",
    "https://10.0.0.5/",
    "https://172.16.3.4/",
    "https://192.168.1.1/",
    "https://169.254.169.254/latest/meta-data/",
    "https://100.64.0.1/",
    "https://0.0.0.0/",
    "https://224.0.0.1/",
    "https://[::1]/",
    "https://[::]/",
    "https://[fd00::1]/",
    "https://[fe80::1]/",
    "https://[::ffff:127.0.0.1]/",
    "https://[::ffff:a9fe:a9fe]/",
    "https://[64:ff9b::a00:1]/",
    "https://[2002:a00:1::]/",
    "https://localhost/",
    "https://localhost./",
    "https://api.localhost/",
    "https://printer.local/",
    "https://intranet/",
  ])("%s is refused", (url) => {
    expect(webhookUrlProblem(url, production)).toMatch(/not point to|public host/);
    expect(webhookUrlProblem(url, allowed)).toBeNull();
  });

  it("credentials, fragments, non-URLs and overlong URLs are refused whatever the setting", () => {
    expect(webhookUrlProblem("https://user:pass@hooks.example.com/", allowed)).toMatch(/user name or password/);
    expect(webhookUrlProblem("https://hooks.example.com/#x", allowed)).toMatch(/fragment/);
    expect(webhookUrlProblem("hooks.example.com", allowed)).toMatch(/full URL/);
    expect(webhookUrlProblem(`https://hooks.example.com/${"a".repeat(2000)}`, allowed)).toMatch(/at most 2000/);
  });

  it("public addresses are public unicast only", () => {
    expect(isPublicAddress("93.184.216.34")).toBe(true);
    expect(isPublicAddress("::ffff:10.0.0.1")).toBe(false);
    expect(isPublicAddress("not an address")).toBe(false);
  });

  it("at connection time, a name that resolves to a private address is refused (DNS rebinding)", async () => {
    const resolve = (policy: { allowPrivate: boolean }) =>
      new Promise<unknown>((done) => guardedLookup(policy)("localhost", { all: true }, (error, addresses) => done(error ?? addresses)));
    const refused = await resolve(production);
    expect(refused).toBeInstanceOf(RefusedTargetError);
    expect(String(refused)).toBe("RefusedTargetError: localhost resolves to a non-public address");
    expect(await resolve(allowed)).toEqual(expect.arrayContaining([expect.objectContaining({ address: expect.any(String) })]));
  });
});

describe("which token changes are which webhook events", () => {
  it.each([
    ["token.created", {}, "token.created"],
    ["token.updated", {}, "token.updated"],
    ["token.activated", {}, "token.updated"],
    ["token.deactivated", {}, "token.updated"],
    ["token.deactivated", { secretScanning: { source: "github" } }, "token.leaked"],
    ["token.revoked", { reason: "x" }, "token.revoked"],
    ["token.revoked", { reason: "Reported leaked", reportedLeaked: true }, "token.leaked"],
    ["token.regenerated", {}, "token.rotated"],
    ["token.reused", {}, "token.reused"],
    ["token.deleted", {}, null],
    ["token.exchanged", {}, null],
    ["sign_in.succeeded", {}, null],
  ])("%s %j → %s", (action, details, event) => {
    expect(webhookEventForAudit(action, details)).toBe(event);
  });
});
