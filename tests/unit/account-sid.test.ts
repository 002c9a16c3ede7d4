import { describe, expect, it } from "vitest";
import { ACCOUNT_SID_PATTERN, generateAccountSid, isAccountSid, normalizeAccountSid } from "@/lib/tokens/account-sid";

describe("account SID (SPEC §2: 32 lowercase hex characters)", () => {
  it("generated SIDs are 32 lowercase hex characters and unique over 10,000", () => {
    const seen = new Set<string>();
    for (let i = 0; i < 10_000; i++) {
      const sid = generateAccountSid();
      expect(sid).toMatch(ACCOUNT_SID_PATTERN);
      expect(isAccountSid(sid)).toBe(true);
      seen.add(sid);
    }
    expect(seen.size).toBe(10_000);
  });

  it("a typed SID is trimmed and lower-cased before it is checked", () => {
    const typed = "  0123456789ABCDEF0123456789abcdef\n";
    expect(isAccountSid(typed)).toBe(false);
    expect(normalizeAccountSid(typed)).toBe("0123456789abcdef0123456789abcdef");
    expect(isAccountSid(normalizeAccountSid(typed))).toBe(true);
  });

  it("rejects wrong lengths, non-hex characters, upper case and non-strings", () => {
    for (const value of [
      "",
      "0123456789abcdef0123456789abcde",
      "0123456789abcdef0123456789abcdef0",
      "0123456789abcdef0123456789abcdeg",
      "0123456789ABCDEF0123456789ABCDEF",
      "0123456789abcdef-0123456789abcde",
      undefined,
      null,
      123,
    ]) {
      expect(isAccountSid(value)).toBe(false);
    }
  });
});
