import { describe, expect, it } from "vitest";
import { effectiveScopes, tesseraPermissions } from "@/lib/applications/scopes";
import { TESSERA_API } from "@/lib/applications/definition";
import { ADMIN_ONLY_PERMISSIONS, PERMISSION_DESCRIPTIONS, PERMISSIONS, isPermission } from "@/lib/permissions/catalog";

describe("the Tessera API's permissions", () => {
  it("are SPEC §9's console permissions, each described", () => {
    expect([...PERMISSIONS].sort()).toEqual(
      [
        "applications:read",
        "applications:write",
        "audit:read",
        "reps:read",
        "tokens:admin",
        "tokens:introspect",
        "tokens:read",
        "tokens:write",
      ].sort(),
    );
    for (const permission of PERMISSIONS) expect(PERMISSION_DESCRIPTIONS[permission].length).toBeGreaterThan(5);
  });

  it("admin-only: everything but a rep's own tokens:read and tokens:write", () => {
    expect(PERMISSIONS.filter((p) => !(ADMIN_ONLY_PERMISSIONS as readonly string[]).includes(p))).toEqual(["tokens:read", "tokens:write"]);
  });

  it("the built-in application's catalog is exactly them, admin-only flags included", () => {
    expect(TESSERA_API.scopes.map((scope) => scope.id)).toEqual([...PERMISSIONS]);
    expect(TESSERA_API.scopes.filter((scope) => scope.adminOnly).map((scope) => scope.id)).toEqual([...ADMIN_ONLY_PERMISSIONS]);
  });

  it("isPermission knows only Tessera's own", () => {
    expect(isPermission("tokens:admin")).toBe(true);
    expect(isPermission("employees:read")).toBe(false);
    expect(isPermission("TOKENS:ADMIN")).toBe(false);
  });
});

describe("effective scopes = stored ∩ live scopes ∩ role (SPEC §9)", () => {
  const granted = { live: ["orders:read", "settings:admin", "orders:write"], adminOnly: ["settings:admin"], archived: false };

  it("an admin owner holds every live scope it stores, in catalog order", () => {
    expect(effectiveScopes(granted, "admin")).toEqual(["orders:read", "settings:admin", "orders:write"]);
  });

  it("a rep owner never holds an admin-only scope", () => {
    expect(effectiveScopes(granted, "rep")).toEqual(["orders:read", "orders:write"]);
  });

  it("an archived application's tokens hold nothing", () => {
    expect(effectiveScopes({ ...granted, archived: true }, "admin")).toEqual([]);
  });
});

describe("what Tessera itself honours", () => {
  it("a Tessera API token's permissions", () => {
    expect(tesseraPermissions(["tokens:read", "tokens:admin"], true)).toEqual(["tokens:read", "tokens:admin"]);
  });

  it("nothing of another application's token, even a scope named like Tessera's", () => {
    expect(tesseraPermissions(["tokens:admin", "audit:read"], false)).toEqual([]);
  });
});
