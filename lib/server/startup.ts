import { getConnection } from "@/db";
import { DataDirectoryInUseError } from "@/db/pglite-lock";
import { ConfigError, getEnv } from "@/lib/env";
import { startJobScheduler } from "@/lib/jobs/scheduler";
import { ensureSigningKey } from "@/lib/oauth/signing-keys";
import { DEMO_ORGANIZATIONS, DEMO_PASSWORD, seedDemoData } from "@/lib/organizations/demo-data";
import { startWebhookListener } from "@/lib/webhooks/kick";

/**
 * Runs once per server process before it serves a request: validates configuration, opens the
 * database (applying migrations), seeds the demo data on an empty database and starts the
 * background jobs (expiry notices, mail delivery). A configuration problem stops the process
 * with one clear line instead of a stack trace.
 */
export async function startServer(): Promise<void> {
  try {
    const env = getEnv();
    const { db, driver } = await getConnection();
    const where = driver === "pglite" ? `embedded PGlite at ${env.pglitePath}` : "PostgreSQL (DATABASE_URL)";
    console.log(`Tessera: database ready — ${where}.`);
    if (env.demoData && (await seedDemoData(db))) printDemoSignIn();
    const signingKey = await ensureSigningKey();
    console.log(`Tessera: ${signingKey.created ? "created the token signing key" : "token signing key"} ${signingKey.kid}.`);
    if (env.jobs.enabled) {
      startJobScheduler();
      // Webhook deliveries go out as their change commits; the jobs pass retries what failed.
      await startWebhookListener();
      const mail = env.smtpUrl ? "mail goes out through SMTP_URL" : "no SMTP_URL: mail stays in the outbox (/admin/outbox)";
      console.log(`Tessera: background jobs every ${env.jobs.intervalSeconds}s; ${mail}.`);
    }
  } catch (error) {
    if (error instanceof ConfigError || error instanceof DataDirectoryInUseError) {
      console.error(`Tessera cannot start: ${error.message}`);
    } else {
      // A server that cannot reach or migrate its database must not pretend to be up.
      console.error("Tessera cannot start: the database could not be opened or migrated.", error);
    }
    process.exit(1);
  }
}

function printDemoSignIn(): void {
  const lines = DEMO_ORGANIZATIONS.flatMap((organization) =>
    organization.users.map((user) => `  ${user.email.padEnd(30)} ${user.role.padEnd(5)} ${organization.name}`),
  );
  console.log([`Tessera: seeded demo data. Sign in at /login with password "${DEMO_PASSWORD}" as:`, ...lines].join("\n"));
}
