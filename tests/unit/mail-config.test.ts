import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError, parseEnv } from "@/lib/env";
import { copyAsNewLink, expiryMessage } from "@/lib/notifications/messages";
import { daysUntil } from "@/lib/shared/time";
import { tokenPolicyFromForm } from "@/lib/validation/policy";

const freshDir = () => mkdtempSync(path.join(tmpdir(), "tessera-env-"));

describe("mail and jobs configuration", () => {
  it("defaults: no SMTP (mail stays in the outbox), jobs every 60 s, links to localhost:3000", () => {
    const env = parseEnv({ TESSERA_DATA_DIR: freshDir() });
    expect(env).toMatchObject({ smtpUrl: undefined, appUrl: "http://localhost:3000", jobs: { enabled: true, intervalSeconds: 60 } });
  });

  it("reads SMTP_URL, MAIL_FROM, APP_URL (without a trailing slash), JOBS_ENABLED and JOBS_INTERVAL_SECONDS", () => {
    const env = parseEnv({
      TESSERA_DATA_DIR: freshDir(),
      SMTP_URL: "smtp://user:secret@mail.example.com:587",
      MAIL_FROM: "Tessera <tessera@example.com>",
      APP_URL: "https://tessera.example.com/",
      JOBS_ENABLED: "false",
      JOBS_INTERVAL_SECONDS: "30",
    });
    expect(env).toMatchObject({
      smtpUrl: "smtp://user:secret@mail.example.com:587",
      mailFrom: "Tessera <tessera@example.com>",
      appUrl: "https://tessera.example.com",
      jobs: { enabled: false, intervalSeconds: 30 },
    });
  });

  it("names the variable that is wrong", () => {
    const cases: [Record<string, string>, RegExp][] = [
      [{ SMTP_URL: "mail.example.com" }, /^Invalid SMTP_URL/],
      [{ APP_URL: "ftp://example.com" }, /^Invalid APP_URL/],
      [{ JOBS_INTERVAL_SECONDS: "1" }, /^Invalid JOBS_INTERVAL_SECONDS/],
      [{ JOBS_ENABLED: "sometimes" }, /^Invalid JOBS_ENABLED/],
    ];
    for (const [source, message] of cases) {
      expect(() => parseEnv({ TESSERA_DATA_DIR: freshDir(), ...source })).toThrowError(ConfigError);
      expect(() => parseEnv({ TESSERA_DATA_DIR: freshDir(), ...source })).toThrowError(message);
    }
  });
});

describe("mail messages", () => {
  const now = new Date("2030-03-01T12:00:00Z");
  const token = {
    id: "5d3c…",
    description: "Vendor",
    accountSid: "a".repeat(32),
    permissions: ["orders:read"],
    expiresAt: new Date("2030-03-08T12:00:00Z"),
  };

  it("the expiry notice names the token and links to Copy as new, never with a token value", () => {
    const message = expiryMessage({
      recipient: { displayName: "Susan" },
      owner: { displayName: "Susan", username: "susan" },
      audience: "owner",
      token,
      now,
      organizationName: "Acme",
      consoleUrl: "https://tessera.example.com/acme",
    });
    expect(message.subject).toBe("Your token “Vendor” expires in 7 days");
    expect(message.body).toContain(copyAsNewLink("https://tessera.example.com/acme", token.id, "owner"));
    expect(message.body).toMatch(/Expires: +Mar 8, 2030.* UTC/);
    expect(message.body).not.toMatch(/tsr_/);
  });

  it("rounds the days left up", () => {
    expect(daysUntil(new Date(now.getTime() + 3_600_000), now)).toBe(1);
    expect(daysUntil(new Date(now.getTime() + 25 * 3_600_000), now)).toBe(2);
  });
});

describe("policy form", () => {
  it("reads blanks as null and notice days as a list", () => {
    const form = new FormData();
    form.set("maxLifetimeDays", " ");
    form.set("defaultLifetimeDays", "30");
    form.set("expiryNoticeDays", "14, 7 ;1");
    form.set("requireExpiration", "on");
    expect(tokenPolicyFromForm(form)).toEqual({
      maxLifetimeDays: null,
      requireExpiration: true,
      defaultLifetimeDays: 30,
      expiryNoticeDays: [14, 7, 1],
    });
  });
});
