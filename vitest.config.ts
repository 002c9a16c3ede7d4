import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const include = ["tests/unit/**/*.test.ts", "tests/integration/**/*.test.ts"];

/**
 * The suite runs in full once, on PostgreSQL (CI, with Redis). On PGlite (`VITEST_DATABASE_ONLY=1`,
 * `npm run test:pglite`) only what differs between the two runs again: the files tagged
 * `// @module-tag database` — the data layer's queries (types, time, locks, keyset, search),
 * migrations, embedded start-up and the PGlite-specific paths (its lock, LISTEN, the database-counted
 * limits). The files are chosen by their tag before anything is imported, so the rest cost nothing.
 */
const databaseOnly = process.env.VITEST_DATABASE_ONLY === "1";
const tagged = (tag: string) =>
  ["tests/unit", "tests/integration"]
    .flatMap((dir) => readdirSync(dir, { recursive: true, encoding: "utf8" }).map((file) => path.join(dir, file)))
    .filter((file) => file.endsWith(".test.ts") && new RegExp(`^// @module-tag ${tag}$`, "m").test(readFileSync(file, "utf8")));

export default defineConfig({
  resolve: { alias: { "@": fileURLToPath(new URL(".", import.meta.url)) } },
  test: {
    include: databaseOnly ? tagged("database") : include,
    tags: [{ name: "database", description: "Runs on PGlite as well as PostgreSQL: the data layer and the embedded database." }],
    globalSetup: ["tests/fixtures/global-setup.ts"],
    setupFiles: ["tests/fixtures/setup-env.ts"],
    // Two cores: one worker (vitest's default there) leaves one idle while tests wait on the database.
    maxWorkers: 3,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    reporters: ["default", "./tests/reporters/slowest-files-vitest.ts"],
  },
});
