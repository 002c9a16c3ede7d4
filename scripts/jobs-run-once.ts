// `npm run jobs:run-once [-- --now 2030-01-31T09:00:00Z]`: one pass of the background jobs
// (queue due expiry notices, deliver due mail when SMTP_URL is set), then exit. For cron when
// JOBS_ENABLED=false, and for driving the clock forward (--now) to watch notices go out.
import { parseArgs } from "node:util";
import { runJobsPass } from "@/lib/jobs/run-pass";
import { describePass } from "@/lib/jobs/scheduler";
import { runCommand } from "./run-command";

const { values } = parseArgs({ options: { now: { type: "string" } } });
const now = values.now === undefined ? new Date() : new Date(values.now);
if (Number.isNaN(now.getTime())) {
  console.error(`--now: not a date: ${values.now}. Use an ISO 8601 time such as 2030-01-31T09:00:00Z.`);
  process.exit(2);
}

await runCommand(async () => {
  const result = await runJobsPass({ now });
  console.log(`Jobs pass at ${now.toISOString()}: ${describePass(result)}`);
});
