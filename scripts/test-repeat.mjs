// The flake finder (issue 23): runs the given vitest files and Playwright specs N times each and
// names every test that failed even once.
//
//   npm run test:repeat -- tests/integration/tokens/list.test.ts tests/e2e/tokens.spec.ts
//   npm run test:repeat -- --times 20 tests/unit/cursor.test.ts
//
// vitest files run N times as separate runs (a fresh database each time, as in CI); Playwright
// specs run in one run with --repeat-each N against one production build and server (--no-deps:
// only the named specs, not the projects playwright.config.ts runs before them).
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";

const { values, positionals } = parseArgs({
  options: { times: { type: "string", short: "n", default: "10" } },
  allowPositionals: true,
});
const times = Number(values.times);
if (!Number.isInteger(times) || times < 1) {
  console.error("--times must be a whole number of at least 1");
  process.exit(2);
}
const vitestFiles = positionals.filter((file) => file.endsWith(".test.ts"));
const specs = positionals.filter((file) => file.endsWith(".spec.ts"));
const unknown = positionals.filter((file) => !vitestFiles.includes(file) && !specs.includes(file));
if (positionals.length === 0 || unknown.length > 0) {
  console.error(
    `Usage: npm run test:repeat -- [--times N] <file.test.ts | file.spec.ts>…${unknown.length ? `\nNot a test file: ${unknown.join(", ")}` : ""}`,
  );
  process.exit(2);
}

const root = path.resolve(import.meta.dirname, "..");
const bin = (name) => path.join(root, "node_modules", ".bin", name);
const work = mkdtempSync(path.join(tmpdir(), "tessera-repeat-"));
/** test name → { runs, failures } */
const results = new Map();
const note = (name, passed) => {
  const entry = results.get(name) ?? { runs: 0, failures: 0 };
  entry.runs += 1;
  if (!passed) entry.failures += 1;
  results.set(name, entry);
};
const runErrors = [];

for (let run = 1; run <= times && vitestFiles.length > 0; run += 1) {
  const output = path.join(work, `vitest-${run}.json`);
  const started = Date.now();
  const child = spawnSync(bin("vitest"), ["run", "--reporter=dot", "--reporter=json", `--outputFile.json=${output}`, ...vitestFiles], {
    cwd: root,
    stdio: ["ignore", "ignore", "inherit"],
  });
  let report;
  try {
    report = JSON.parse(readFileSync(output, "utf8"));
  } catch {
    runErrors.push(`vitest run ${run} wrote no report (exit ${child.status})`);
    continue;
  }
  for (const file of report.testResults) {
    const relative = path.relative(root, file.name);
    if (file.assertionResults.length === 0) note(`${relative} (the file failed to load)`, false);
    for (const test of file.assertionResults) {
      if (test.status === "skipped" || test.status === "pending" || test.status === "todo") continue;
      note(`${relative} › ${test.fullName}`, test.status === "passed");
    }
  }
  if (child.status !== 0 && report.numFailedTests === 0) runErrors.push(`vitest run ${run} exited ${child.status} with no failed test`);
  console.log(
    `vitest run ${run}/${times}: ${report.numPassedTests} passed, ${report.numFailedTests} failed (${Math.round((Date.now() - started) / 1000)} s)`,
  );
}

if (specs.length > 0) {
  const output = path.join(work, "playwright.json");
  const child = spawnSync(bin("playwright"), ["test", `--repeat-each=${times}`, "--no-deps", "--reporter=dot,json", ...specs], {
    cwd: root,
    stdio: ["ignore", "inherit", "inherit"],
    env: { ...process.env, PLAYWRIGHT_JSON_OUTPUT_NAME: output },
  });
  let report;
  try {
    report = JSON.parse(readFileSync(output, "utf8"));
  } catch {
    runErrors.push(`playwright wrote no report (exit ${child.status})`);
  }
  const walk = (suite) => {
    for (const spec of suite.specs ?? [])
      for (const test of spec.tests)
        for (const result of test.results) note(`${spec.file} › ${spec.title}`, result.status === "passed" || result.status === "skipped");
    for (const child of suite.suites ?? []) walk(child);
  };
  for (const suite of report?.suites ?? []) walk(suite);
  if (report && child.status !== 0 && [...results.values()].every((entry) => entry.failures === 0))
    runErrors.push(`playwright exited ${child.status} with no failed test`);
}
rmSync(work, { recursive: true, force: true });

const flaky = [...results].filter(([, entry]) => entry.failures > 0);
console.log(`\n${results.size} tests, ${times} runs each.`);
for (const [name, entry] of flaky) console.log(`  FAILED ${entry.failures} of ${entry.runs}: ${name}`);
for (const error of runErrors) console.log(`  ERROR ${error}`);
if (flaky.length === 0 && runErrors.length === 0 && results.size > 0) console.log("None failed.");
process.exit(flaky.length > 0 || runErrors.length > 0 || results.size === 0 ? 1 : 0);
