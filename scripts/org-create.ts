// `npm run org:create -- --slug globex --name "Globex" --admin-email ops@globex.example`
// Creates an organization and its first admin. The password is prompted for, or generated and
// printed once with --generate-password (or when no terminal is attached).
import { randomBytes } from "node:crypto";
import { createInterface } from "node:readline/promises";
import { parseArgs } from "node:util";
import { z } from "zod";
import { closeDb, getDb } from "@/db";
import { isUniqueViolation } from "@/db/errors";
import { createOrganization } from "@/lib/organizations/create";
import { findPersonByEmail } from "@/lib/people/persons";
import { organizationSchema } from "@/lib/validation/organization";
import { passwordSchema, usernameSchema } from "@/lib/validation/user";

const { values } = parseArgs({
  options: {
    slug: { type: "string" },
    name: { type: "string" },
    "admin-email": { type: "string" },
    "admin-name": { type: "string" },
    "generate-password": { type: "boolean", default: false },
  },
});

const parsed = organizationSchema.safeParse({ slug: values.slug, name: values.name, adminEmail: values["admin-email"] });
if (!parsed.success) {
  for (const [field, messages] of Object.entries(z.flattenError(parsed.error).fieldErrors)) {
    console.error(`--${field === "adminEmail" ? "admin-email" : field}: ${(messages ?? []).join(" ")}`);
  }
  console.error('Usage: npm run org:create -- --slug <slug> --name "<name>" --admin-email <email> [--generate-password]');
  process.exit(2);
}
const { slug, name, adminEmail } = parsed.data;

async function choosePassword(): Promise<{ password: string; generated: boolean }> {
  if (values["generate-password"] || !process.stdin.isTTY) {
    return { password: randomBytes(18).toString("base64url"), generated: true };
  }
  const prompt = createInterface({ input: process.stdin, output: process.stdout });
  try {
    for (;;) {
      const answer = await prompt.question("Password for the first admin (at least 12 characters): ");
      const checked = passwordSchema.safeParse(answer);
      if (checked.success) return { password: checked.data, generated: false };
      console.error(checked.error.issues[0]?.message);
    }
  } finally {
    prompt.close();
  }
}

const db = await getDb();
// A person Tessera knows joins with their own password (SPEC §10): none to choose or print.
const known = (await findPersonByEmail(db, adminEmail)) !== null;
const { password, generated } = known ? { password: randomBytes(18).toString("base64url"), generated: false } : await choosePassword();
const username = usernameSchema.safeParse(adminEmail.split("@")[0]).data ?? "admin";
try {
  const { organization } = await createOrganization(db, {
    slug,
    name,
    users: [{ username, email: adminEmail, displayName: values["admin-name"] ?? `${name} admin`, role: "admin", password }],
  });
  console.log(`Created organization "${organization.name}" (${organization.slug}) with admin ${adminEmail}.`);
  if (known) console.log(`${adminEmail} already has a Tessera account and signs in with their own password.`);
  else if (generated) console.log(`Initial password (shown once): ${password}`);
} catch (error) {
  if (!isUniqueViolation(error)) throw error;
  console.error(`An organization "${slug}" already exists.`);
  process.exitCode = 1;
} finally {
  await closeDb();
}
