import { describe, expect, it } from "vitest";
import { daysUntil } from "@/lib/shared/time";
import { TOKEN_STATES, deriveTokenState, type TokenState } from "@/lib/tokens/state";

const NOW = new Date("2025-06-01T12:00:00.000Z");
const PAST = new Date("2025-05-01T00:00:00.000Z");
const FUTURE = new Date("2025-07-01T00:00:00.000Z");

type Row = {
  active: boolean;
  revokedAt: Date | null;
  expiresAt: Date | null;
  expected: TokenState;
};

// Every combination of the three inputs; precedence is revoked > expired > inactive > active.
const TABLE: Row[] = [
  { active: true, revokedAt: null, expiresAt: null, expected: "active" },
  { active: true, revokedAt: null, expiresAt: FUTURE, expected: "active" },
  { active: false, revokedAt: null, expiresAt: null, expected: "inactive" },
  { active: false, revokedAt: null, expiresAt: FUTURE, expected: "inactive" },
  { active: true, revokedAt: null, expiresAt: PAST, expected: "expired" },
  { active: false, revokedAt: null, expiresAt: PAST, expected: "expired" },
  { active: true, revokedAt: PAST, expiresAt: null, expected: "revoked" },
  { active: true, revokedAt: PAST, expiresAt: FUTURE, expected: "revoked" },
  { active: true, revokedAt: PAST, expiresAt: PAST, expected: "revoked" },
  { active: false, revokedAt: PAST, expiresAt: null, expected: "revoked" },
  { active: false, revokedAt: PAST, expiresAt: FUTURE, expected: "revoked" },
  { active: false, revokedAt: PAST, expiresAt: PAST, expected: "revoked" },
];

describe("token state (SPEC §2: revoked > expired > inactive > active)", () => {
  it.each(TABLE)("active=$active, revoked=$revokedAt, expires=$expiresAt → $expected", ({ expected, ...token }) => {
    expect(deriveTokenState(token, NOW)).toBe(expected);
  });

  it("a token is expired at the exact instant it expires, not a millisecond later", () => {
    const token = { active: true, revokedAt: null, expiresAt: new Date(NOW.getTime()) };
    expect(deriveTokenState(token, NOW)).toBe("expired");
    const justBefore = new Date(NOW.getTime() - 1);
    expect(deriveTokenState(token, justBefore)).toBe("active");
  });

  it("lists the four states", () => {
    expect([...TOKEN_STATES].sort()).toEqual(["active", "expired", "inactive", "revoked"]);
  });
});

describe("daysUntil (for 'expires in N days' badges)", () => {
  const hours = (n: number) => new Date(NOW.getTime() + n * 60 * 60 * 1000);

  it("rounds a partial day up", () => {
    expect(daysUntil(hours(2), NOW)).toBe(1);
    expect(daysUntil(hours(24), NOW)).toBe(1);
    expect(daysUntil(hours(25), NOW)).toBe(2);
    expect(daysUntil(hours(72), NOW)).toBe(3);
  });

  it("is zero at expiry and negative after it", () => {
    expect(daysUntil(NOW, NOW)).toBe(0);
    expect(daysUntil(hours(-48), NOW)).toBe(-2);
  });
});
