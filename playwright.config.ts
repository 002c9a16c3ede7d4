import { generateKeyPairSync } from "node:crypto";
import { defineConfig, devices } from "@playwright/test";
import { CHROMIUM_ARGS, findChromium } from "./scripts/chromium-path.mjs";

const port = Number(process.env.E2E_PORT ?? 3100);
const baseURL = `http://127.0.0.1:${port}`;

// The suite plays GitHub's secret scanning with a key pair of its own: the server trusts the
// public half (GITHUB_SECRET_SCANNING_KEYS), the tests sign with the private half. Made once, in
// the runner; its workers load this file again and inherit the runner's variables.
if (!process.env.E2E_GITHUB_SCANNING_PRIVATE_KEY) {
  const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "prime256v1" });
  process.env.E2E_GITHUB_SCANNING_PRIVATE_KEY = privateKey.export({ format: "pem", type: "pkcs8" }).toString();
  process.env.E2E_GITHUB_SCANNING_KEYS = JSON.stringify([
    { key_identifier: "e2e", key: publicKey.export({ format: "pem", type: "spki" }).toString(), is_current: true },
  ]);
}

export default defineConfig({
  testDir: "tests/e2e",
  // The suite shares one server and its demo organizations; serial runs keep it predictable.
  workers: 1,
  fullyParallel: false,
  forbidOnly: true,
  retries: 0,
  timeout: 60_000,
  reporter: [["list"]],
  use: {
    baseURL,
    trace: "retain-on-failure",
    ...devices["Desktop Chrome"],
    launchOptions: { executablePath: findChromium() ?? undefined, args: CHROMIUM_ARGS },
  },
  webServer: {
    command: "node scripts/e2e-server.mjs",
    url: `${baseURL}/api/ready`,
    env: { E2E_PORT: String(port), GITHUB_SECRET_SCANNING_KEYS: process.env.E2E_GITHUB_SCANNING_KEYS ?? "" },
    timeout: 240_000,
    reuseExistingServer: false,
    // Without it Playwright SIGKILLs the server's process group, and scripts/e2e-server.mjs never
    // drops the run's database (each run left one behind).
    gracefulShutdown: { signal: "SIGTERM", timeout: 15_000 },
    stdout: "pipe",
    stderr: "pipe",
  },
});
