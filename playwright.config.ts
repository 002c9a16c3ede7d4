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

/**
 * Specs that spend a budget shared by the whole server or watch a whole organization: the client
 * address's sign-in limits (every browser and request here comes from 127.0.0.1), Globex's token
 * policy, Acme's webhook endpoints (which receive every token change in Acme). They run one at a
 * time, after the rest; the fuzzer, which spends the address's budget of failed API
 * authentications, runs last of all.
 */
const SHARED_STATE = ["admin.spec.ts", "client-address.spec.ts", "sign-in-limits.spec.ts", "webhooks.spec.ts"];
const LAST = ["fuzz.spec.ts"];
const CONSOLE_FUZZ = /fuzz: no console page /;

export default defineConfig({
  testDir: "tests/e2e",
  // One production build and one server; two workers (the cores) run the other specs' files side by
  // side, each test on names of its own (helpers' unique()).
  workers: 2,
  fullyParallel: false,
  forbidOnly: true,
  retries: 0,
  timeout: 60_000,
  reporter: [["list"], ["./tests/reporters/slowest-files-playwright.ts"]],
  projects: [
    { name: "console", testIgnore: [...SHARED_STATE, ...LAST] },
    // The fuzzer's console pages spend no shared budget (a session, not a token): they run beside the rest.
    { name: "console-fuzz", testMatch: LAST, grep: CONSOLE_FUZZ },
    { name: "shared-state", testMatch: SHARED_STATE, dependencies: ["console", "console-fuzz"], workers: 1 },
    { name: "fuzz", testMatch: LAST, grepInvert: CONSOLE_FUZZ, dependencies: ["shared-state"], workers: 1 },
  ],
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
