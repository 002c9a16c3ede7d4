import { defineConfig } from "drizzle-kit";

// drizzle-kit only diffs the schema against the committed migrations; it needs no database.
export default defineConfig({
  dialect: "postgresql",
  schema: "./db/schema.ts",
  out: "./db/migrations",
});
