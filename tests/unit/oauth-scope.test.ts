import { describe, expect, it } from "vitest";
import { narrowScope, stillGranted } from "@/lib/oauth/scope";
// A token's effective scopes come in its application's catalog order.
const HELD = ["employees:read", "assessments:read", "assessments:write"];

describe("token exchange scope", () => {
  it("no scope asked for: everything the PAT holds, in catalog order", () => {
    expect(narrowScope(undefined, HELD)).toEqual({ ok: true, scope: ["employees:read", "assessments:read", "assessments:write"] });
  });

  it("narrowing: a subset, deduplicated, in catalog order", () => {
    expect(narrowScope("assessments:write employees:read assessments:write", HELD)).toEqual({
      ok: true,
      scope: ["employees:read", "assessments:write"],
    });
  });

  it("widening: refused, naming the permissions the PAT lacks", () => {
    const result = narrowScope("assessments:read orders:write tokens:admin", HELD);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.description).toMatch(/does not hold orders:write, tokens:admin/);
  });

  it("unknown and malformed scopes are refused", () => {
    const unknown = narrowScope("assessments:read galaxy:conquer", HELD);
    expect(unknown.ok).toBe(false);
    if (!unknown.ok) expect(unknown.description).toMatch(/does not hold galaxy:conquer\.$/);
    for (const malformed of ["", " assessments:read", "assessments:read  employees:read", 'a"b', "a\\b", "é"]) {
      expect(narrowScope(malformed, HELD).ok, JSON.stringify(malformed)).toBe(false);
    }
  });

  it("what a JWT's scope still grants: only what the PAT holds now", () => {
    expect(stillGranted("assessments:read assessments:write", ["assessments:read"])).toEqual(["assessments:read"]);
    expect(stillGranted("", HELD)).toEqual([]);
  });
});
