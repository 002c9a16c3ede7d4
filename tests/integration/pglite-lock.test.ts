// @module-tag database
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { acquireDirectoryLock, DataDirectoryInUseError } from "@/db/pglite-lock";
import { openDatabase } from "@/db";

const tsx = path.resolve("node_modules/.bin/tsx");

describe("embedded database guard", () => {
  it("a second process on the same PGlite directory stops with a clear message and leaves the data intact", async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), "tessera-lock-"));
    const pglitePath = path.join(dataDir, "pglite");
    const first = await openDatabase({ pglitePath });
    try {
      const second = spawnSync(tsx, ["scripts/db-migrate.ts"], {
        env: { ...process.env, DATABASE_URL: "", PGLITE_PATH: pglitePath, TESSERA_DATA_DIR: dataDir },
        encoding: "utf8",
      });
      expect(second.status).toBe(1);
      expect(second.stderr).toContain(`The embedded database at ${pglitePath} is in use by another Tessera process`);
      expect(second.stderr).not.toMatch(/\n\s+at /); // no stack trace
      // The first process still works.
      const result = await first.db.execute("select 1 as one");
      expect(result).toBeDefined();
    } finally {
      await first.close();
    }
    // Once released, the directory opens again.
    const reopened = spawnSync(tsx, ["scripts/db-migrate.ts"], {
      env: { ...process.env, DATABASE_URL: "", PGLITE_PATH: pglitePath, TESSERA_DATA_DIR: dataDir },
      encoding: "utf8",
    });
    expect(reopened.stderr).toBe("");
    expect(reopened.status).toBe(0);
  });

  it("takes over a claim left by a process that died", () => {
    const dir = path.join(mkdtempSync(path.join(tmpdir(), "tessera-lock-")), "pglite");
    const dead = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], { encoding: "utf8" });
    writeFileSync(`${dir}.lock`, dead.stdout);
    const release = acquireDirectoryLock(dir);
    release();
  });

  it("refuses a claim held by a live process", async () => {
    const dir = path.join(mkdtempSync(path.join(tmpdir(), "tessera-lock-")), "pglite");
    const alive = spawn(process.execPath, ["-e", "setTimeout(() => {}, 30000)"]);
    try {
      writeFileSync(`${dir}.lock`, String(alive.pid));
      expect(() => acquireDirectoryLock(dir)).toThrowError(DataDirectoryInUseError);
    } finally {
      alive.kill();
    }
  });
});
