import { createHmac, randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { getEnv } from "@/lib/env";
import { isValidSudoGrant, sudoGrantValue } from "@/lib/auth/sudo";

const session = { personId: randomUUID(), sessionId: randomUUID() };
const now = Date.now();
const later = now + 60_000;

describe("sudo grant", () => {
  it("is accepted for the person and session it was granted to, until it expires", () => {
    const grant = sudoGrantValue(session, later);
    expect(isValidSudoGrant(grant, session, now)).toBe(true);
    expect(isValidSudoGrant(grant, session, later + 1)).toBe(false);
  });

  it("is refused for another session of the same person: a grant dies with its session", () => {
    const grant = sudoGrantValue(session, later);
    expect(isValidSudoGrant(grant, { ...session, sessionId: randomUUID() }, now)).toBe(false);
    expect(isValidSudoGrant(grant, { ...session, personId: randomUUID() }, now)).toBe(false);
  });

  it("is refused when signed with AUTH_SECRET itself rather than the key derived from it", () => {
    const payload = `${session.personId}.${session.sessionId}.${later}`;
    for (const message of [`sudo:${payload}`, payload]) {
      const signature = createHmac("sha256", getEnv().authSecret).update(message).digest("base64url");
      expect(isValidSudoGrant(`${payload}.${signature}`, session, now)).toBe(false);
    }
    // The grant format of before, bound to the person only, is refused too.
    const legacy = `${session.personId}.${later}`;
    const legacySignature = createHmac("sha256", getEnv().authSecret).update(`sudo:${legacy}`).digest("base64url");
    expect(isValidSudoGrant(`${legacy}.${legacySignature}`, session, now)).toBe(false);
  });

  it("refuses garbage without throwing", () => {
    for (const value of [undefined, "", "...", "a.b.c.d", `${session.personId}.${session.sessionId}.${later}.`]) {
      expect(isValidSudoGrant(value, session, now)).toBe(false);
    }
  });
});
