// Makes sure a Chromium exists for Playwright before the e2e suite runs; installs one if not.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { chromium } from "@playwright/test";
import { findChromium } from "./chromium-path.mjs";

const found = findChromium();
if (found === null) {
  console.error(`CHROMIUM_PATH=${process.env.CHROMIUM_PATH} does not exist; point it at a Chromium binary or unset it.`);
  process.exit(1);
}
if (found) process.exit(0);
if (existsSync(chromium.executablePath())) process.exit(0);

const asRoot = typeof process.getuid === "function" && process.getuid() === 0;
console.log(asRoot ? "No Chromium found; installing Debian's chromium…" : "No Chromium found; installing Playwright's…");
const result = asRoot
  ? spawnSync("sh", ["-c", "apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium"], { stdio: "inherit" })
  : spawnSync("npx", ["playwright", "install", "chromium"], { stdio: "inherit" });
if (result.status === 0 && (findChromium() || existsSync(chromium.executablePath()))) process.exit(0);

console.error("No Chromium for the e2e tests: install one (`sudo apt-get install chromium`) or set CHROMIUM_PATH.");
process.exit(1);
