// `npm run db:migrate`: applies pending migrations to the configured database and exits.
// (The app also applies them at start-up; this is for deploy pipelines.)
import { closeDb, getConnection } from "@/db";
import { DataDirectoryInUseError } from "@/db/pglite-lock";
import { ConfigError } from "@/lib/env";

try {
  const { driver } = await getConnection();
  console.log(`Migrations applied (${driver}).`);
  await closeDb();
} catch (error) {
  if (error instanceof ConfigError || error instanceof DataDirectoryInUseError) {
    console.error(error.message);
    process.exit(1);
  }
  throw error;
}
