// Serves a production build for the Playwright suite on its own fresh database: a new
// PostgreSQL database when DATABASE_URL is set, otherwise a new PGlite directory.
import { spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { createFreshDatabase, dropDatabase } from "./fresh-database.mjs";

const root = path.resolve(import.meta.dirname, "..");
const next = path.join(root, "node_modules", "next", "dist", "bin", "next");
const port = process.env.E2E_PORT ?? "3100";

if (process.env.E2E_SKIP_BUILD !== "1") {
  const build = spawnSync(process.execPath, [next, "build"], { cwd: root, stdio: "inherit" });
  if (build.status !== 0) process.exit(build.status ?? 1);
}

const env = {
  ...process.env,
  AUTH_SECRET: process.env.AUTH_SECRET ?? randomBytes(32).toString("base64url"),
  TOKEN_HASH_KEY: process.env.TOKEN_HASH_KEY ?? randomBytes(32).toString("base64url"),
  TESSERA_DEMO: "true",
  // Short, so the suite can watch the password prompt come back (tests/e2e/helpers.ts).
  SUDO_WINDOW_SECONDS: "30",
  // The address the suite reaches the server at: OAuth clients check that the metadata's issuer
  // is the one they discovered it from (RFC 8414 §3.3).
  TESSERA_ISSUER: `http://127.0.0.1:${port}`,
  // Links in mail, and the passkeys' relying party: WebAuthn accepts a host name, never an address,
  // so the passkey spec browses this server as localhost.
  APP_URL: `http://localhost:${port}`,
  // The webhook spec starts a receiver on 127.0.0.1, which production would refuse.
  WEBHOOK_ALLOW_PRIVATE: "true",
};
const dataDir = mkdtempSync(path.join(tmpdir(), "tessera-e2e-"));
env.TESSERA_DATA_DIR = dataDir;
let database;
if (process.env.DATABASE_URL) {
  database = await createFreshDatabase(process.env.DATABASE_URL, "tessera_e2e");
  env.DATABASE_URL = database.url;
}

const server = spawn(process.execPath, [path.join(root, "scripts", "server.mjs"), "-p", port], { cwd: root, env, stdio: "inherit" });

async function cleanUp() {
  rmSync(dataDir, { recursive: true, force: true });
  if (database) await dropDatabase(process.env.DATABASE_URL, database.name).catch(() => {});
}
for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, () => server.kill(signal));
}
server.on("exit", async (code) => {
  await cleanUp();
  process.exit(code ?? 0);
});
