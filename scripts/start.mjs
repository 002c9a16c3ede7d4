// `npm start`: builds the production bundle when it is missing or older than the sources,
// then serves it through scripts/server.mjs (client addresses from the TCP connection). A fresh
// clone needs only `npm install && npm start`.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");
const buildId = path.join(root, ".next", "BUILD_ID");
const sources = ["app", "components", "lib", "db", "instrumentation.ts", "next.config.mjs", "package.json"];

function newestMtime(entry) {
  if (!existsSync(entry)) return 0;
  const stat = statSync(entry);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(entry).reduce((newest, name) => Math.max(newest, newestMtime(path.join(entry, name))), stat.mtimeMs);
}

function run(script, args) {
  const result = spawnSync(process.execPath, [script, ...args], { cwd: root, stdio: "inherit" });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

const builtAt = existsSync(buildId) ? statSync(buildId).mtimeMs : 0;
if (sources.some((source) => newestMtime(path.join(root, source)) > builtAt)) {
  console.log(builtAt ? "Sources changed since the last build; rebuilding…" : "No production build yet; building…");
  run(path.join(root, "node_modules", "next", "dist", "bin", "next"), ["build"]);
}
run(path.join(root, "scripts", "server.mjs"), process.argv.slice(2));
