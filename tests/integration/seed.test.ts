// @module-tag database
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Connection } from "@/db";
import { eq } from "drizzle-orm";
import { organizations, persons, users } from "@/db/schema";
import { verifyPassword } from "@/lib/auth/passwords";
import { DEMO_PASSWORD, seedDemoData } from "@/lib/organizations/demo-data";
import { openIsolatedDatabase } from "../fixtures/isolated-database";

let connection: Connection;
beforeAll(async () => {
  connection = await openIsolatedDatabase();
});
afterAll(async () => {
  await connection.close();
});

describe("demo data", () => {
  it("seeds SPEC §7's organizations and members, and §10's consultant in both, on an empty database", async () => {
    expect(await seedDemoData(connection.db)).toBe(true);
    const orgs = await connection.db.select().from(organizations);
    expect(orgs.map((org) => [org.slug, org.name]).sort()).toEqual([
      ["acme", "Acme Staffing"],
      ["globex", "Globex"],
    ]);
    const all = await connection.db
      .select({ organizationId: users.organizationId, role: users.role, email: persons.email })
      .from(users)
      .innerJoin(persons, eq(persons.id, users.personId));
    const slugOf = new Map(orgs.map((org) => [org.id, org.slug]));
    expect(all.map((user) => `${slugOf.get(user.organizationId)} ${user.role} ${user.email}`).sort()).toEqual([
      "acme admin sysadmin@acme.test",
      "acme rep alexander.swanson@acme.test",
      "acme rep consultant@partner.test",
      "acme rep dominic.reinke@acme.test",
      "acme rep susan@acme.test",
      "globex admin consultant@partner.test",
      "globex admin sysadmin@globex.test",
      "globex rep kevin.prow@globex.test",
    ]);
    // One person per address: the consultant has one password for both organizations.
    const people = await connection.db.select().from(persons);
    expect(people).toHaveLength(7);
    for (const person of people) {
      expect(person.passwordHash).toMatch(/^\$argon2id\$/);
      expect(await verifyPassword(person.passwordHash, DEMO_PASSWORD)).toBe(true);
    }
  });

  it("is idempotent: a second start changes nothing", async () => {
    expect(await seedDemoData(connection.db)).toBe(false);
    expect(await connection.db.select().from(users)).toHaveLength(8);
    expect(await connection.db.select().from(persons)).toHaveLength(7);
  });
});
