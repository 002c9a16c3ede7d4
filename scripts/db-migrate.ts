// `npm run db:migrate`: applies pending migrations to the configured database and exits.
// (The app also applies them at start-up; this is for deploy pipelines.)
import { getConnection } from "@/db";
import { runCommand } from "./run-command";

await runCommand(async () => {
  const { driver } = await getConnection();
  console.log(`Migrations applied (${driver}).`);
});
