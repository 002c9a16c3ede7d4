import { describe, expect, it } from "vitest";
import {
  ADMIN_ONLY_PERMISSIONS,
  PERMISSIONS,
  PERMISSION_DESCRIPTIONS,
  PERMISSION_GROUPS,
  PERMISSION_PRESETS,
  ROLES,
  allowedPermissions,
  disallowedPermissions,
  effectivePermissions,
  isPermission,
  presetMatching,
  type PresetId,
} from "@/lib/permissions/catalog";

const DOMAIN = [
  "employees:read",
  "employees:write",
  "customers:read",
  "customers:write",
  "orders:read",
  "orders:write",
  "assignments:read",
  "assignments:write",
  "assessments:read",
  "assessments:write",
  "documents:read",
  "documents:write",
  "messages:send",
];
const CONSOLE = ["tokens:read", "tokens:write", "tokens:admin", "reps:read", "audit:read", "tokens:introspect"];

function presetPermissions(id: PresetId): string[] {
  const preset = PERMISSION_PRESETS.find((candidate) => candidate.id === id);
  if (preset === undefined) throw new Error(`missing preset ${id}`);
  return [...preset.permissions].sort();
}

describe("permission catalog (SPEC §3)", () => {
  it("holds exactly the domain and console permissions, each once", () => {
    expect([...PERMISSIONS]).toEqual([...DOMAIN, ...CONSOLE]);
    expect(new Set(PERMISSIONS).size).toBe(PERMISSIONS.length);
  });

  it("admin-only permissions are tokens:admin, reps:read, audit:read and tokens:introspect", () => {
    expect([...ADMIN_ONLY_PERMISSIONS].sort()).toEqual(["audit:read", "reps:read", "tokens:admin", "tokens:introspect"]);
  });

  it("roles are admin and rep", () => {
    expect([...ROLES]).toEqual(["admin", "rep"]);
  });

  it("every permission is in exactly one checkbox group", () => {
    const grouped = PERMISSION_GROUPS.flatMap((group) => group.permissions);
    expect([...grouped].sort()).toEqual([...PERMISSIONS].sort());
    expect(new Set(grouped).size).toBe(grouped.length);
    expect(new Set(PERMISSION_GROUPS.map((group) => group.id)).size).toBe(PERMISSION_GROUPS.length);
  });

  it("every permission has a description", () => {
    for (const permission of PERMISSIONS) {
      expect(PERMISSION_DESCRIPTIONS[permission].length).toBeGreaterThan(0);
    }
    expect(Object.keys(PERMISSION_DESCRIPTIONS).sort()).toEqual([...PERMISSIONS].sort());
  });

  it("isPermission accepts catalog ids only", () => {
    for (const permission of PERMISSIONS) expect(isPermission(permission)).toBe(true);
    for (const value of ["", "tokens:*", "Tokens:read", "employees:read ", "admin", "toString"]) {
      expect(isPermission(value)).toBe(false);
    }
  });
});

describe("presets (SPEC §3)", () => {
  it("Assessments integration is assessments:read, assessments:write and employees:read", () => {
    expect(presetPermissions("assessments")).toEqual(["assessments:read", "assessments:write", "employees:read"]);
  });

  it("Messaging is messages:send, employees:read and customers:read", () => {
    expect(presetPermissions("messaging")).toEqual(["customers:read", "employees:read", "messages:send"]);
  });

  it("Read-only is every domain :read permission", () => {
    expect(presetPermissions("read-only")).toEqual(DOMAIN.filter((permission) => permission.endsWith(":read")).sort());
    expect(presetPermissions("read-only")).toHaveLength(6);
  });

  it("Token automation is tokens:read and tokens:write", () => {
    expect(presetPermissions("token-automation")).toEqual(["tokens:read", "tokens:write"]);
  });

  it("Custom is empty, and the presets are offered in the spec's order", () => {
    expect(presetPermissions("custom")).toEqual([]);
    expect(PERMISSION_PRESETS.map((preset) => preset.label)).toEqual([
      "Assessments integration",
      "Messaging",
      "Read-only",
      "Token automation",
      "Custom",
    ]);
  });

  it("no preset grants an admin-only permission, so every preset is usable by a rep", () => {
    for (const preset of PERMISSION_PRESETS) {
      expect(disallowedPermissions(preset.permissions, "rep")).toEqual([]);
    }
  });

  it("presetMatching names the preset whose set equals the selection, in any order", () => {
    expect(presetMatching(["employees:read", "assessments:write", "assessments:read"])).toBe("assessments");
    expect(presetMatching(["messages:send", "customers:read", "employees:read", "messages:send"])).toBe("messaging");
    expect(presetMatching(["tokens:write", "tokens:read"])).toBe("token-automation");
    expect(presetMatching(DOMAIN.filter((permission) => permission.endsWith(":read")))).toBe("read-only");
  });

  it("presetMatching answers custom for a subset, a superset or an empty selection", () => {
    expect(presetMatching(["assessments:read", "employees:read"])).toBe("custom");
    expect(presetMatching(["tokens:read", "tokens:write", "tokens:admin"])).toBe("custom");
    expect(presetMatching([])).toBe("custom");
  });
});

describe("effective permissions (stored ∩ what the owner's current role allows)", () => {
  it("an admin may hold every permission; a rep every one but the admin-only ones", () => {
    expect(allowedPermissions("admin")).toEqual(PERMISSIONS);
    expect(allowedPermissions("rep")).toEqual(
      PERMISSIONS.filter((permission) => !(ADMIN_ONLY_PERMISSIONS as readonly string[]).includes(permission)),
    );
  });

  it("drops admin-only permissions from a rep's token", () => {
    const stored = ["tokens:admin", "tokens:read", "audit:read", "employees:read", "reps:read", "tokens:introspect"];
    expect(effectivePermissions(stored, "rep")).toEqual(["employees:read", "tokens:read"]);
    expect(effectivePermissions(stored, "admin")).toEqual([
      "employees:read",
      "tokens:read",
      "tokens:admin",
      "reps:read",
      "audit:read",
      "tokens:introspect",
    ]);
  });

  it("drops unknown strings and duplicates, and returns catalog order", () => {
    const stored = ["messages:send", "bogus:read", "employees:read", "messages:send", "TOKENS:READ", ""];
    expect(effectivePermissions(stored, "admin")).toEqual(["employees:read", "messages:send"]);
  });

  it("disallowedPermissions names what a rep may not be granted, in catalog order", () => {
    expect(disallowedPermissions(["tokens:introspect", "employees:read", "tokens:admin"], "rep")).toEqual([
      "tokens:admin",
      "tokens:introspect",
    ]);
    expect(disallowedPermissions(["tokens:introspect", "tokens:admin"], "admin")).toEqual([]);
  });
});
