import { readdirSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { consolePath, homePath } from "@/lib/organizations/console-path";
import { assertSlugAvailable, RESERVED_SLUGS } from "@/lib/organizations/slug";
import { organizationSchema } from "@/lib/validation/organization";

// The organization's slug leads every console URL (SPEC §10): one named like a path of the app
// itself would be shadowed by it, so it is refused.

describe("organization slugs", () => {
  it("every first path segment the app serves is reserved", () => {
    const served = readdirSync(path.resolve("app"), { withFileTypes: true })
      .filter((entry) => entry.isDirectory() && !entry.name.startsWith("(") && !entry.name.startsWith("["))
      .map((entry) => entry.name);
    expect(served.length).toBeGreaterThan(3);
    for (const segment of served) expect(RESERVED_SLUGS.has(segment), segment).toBe(true);
  });

  it("org:create's schema and createOrganization refuse a reserved slug, and take any other", () => {
    for (const slug of ["admin", "options", "login", "api"]) {
      expect(organizationSchema.safeParse({ slug, name: "X", adminEmail: "a@x.test" }).success, slug).toBe(false);
      expect(() => assertSlugAvailable(slug)).toThrow(/Check the highlighted fields/);
    }
    expect(organizationSchema.safeParse({ slug: "acme", name: "Acme", adminEmail: "a@x.test" }).success).toBe(true);
    expect(() => assertSlugAvailable("acme")).not.toThrow();
  });

  it("console paths lead with the slug; members land by role", () => {
    expect(consolePath("acme", "/options")).toBe("/acme/options");
    expect(consolePath("acme", "")).toBe("/acme");
    expect(homePath("globex", "admin")).toBe("/globex/admin/tokens");
    expect(homePath("globex", "rep")).toBe("/globex/options");
  });
});
