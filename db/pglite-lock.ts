import { closeSync, mkdirSync, openSync, readFileSync, unlinkSync, writeSync } from "node:fs";
import path from "node:path";

export class DataDirectoryInUseError extends Error {
  override name = "DataDirectoryInUseError";
}

/**
 * Takes an exclusive, process-wide claim on a PGlite data directory. PGlite cannot share its
 * files between processes, so a second process must stop with a clear message instead.
 * Returns the release function; the claim is also released when the process exits.
 */
export function acquireDirectoryLock(dataDir: string): () => void {
  const resolved = path.resolve(dataDir);
  mkdirSync(path.dirname(resolved), { recursive: true, mode: 0o700 });
  const lockFile = `${resolved}.lock`;

  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      const fd = openSync(lockFile, "wx", 0o600);
      writeSync(fd, String(process.pid));
      closeSync(fd);
      const release = () => {
        process.off("exit", release);
        try {
          if (readFileSync(lockFile, "utf8") === String(process.pid)) unlinkSync(lockFile);
        } catch {
          // Already gone: nothing to release.
        }
      };
      process.on("exit", release);
      return release;
    } catch (error) {
      if (!isAlreadyExists(error)) throw error;
      const holder = Number.parseInt(readFileSync(lockFile, "utf8"), 10);
      if (isRunningProcess(holder)) {
        throw new DataDirectoryInUseError(
          `The embedded database at ${resolved} is in use by another Tessera process (pid ${holder}). ` +
            `Stop that process, or set TESSERA_DATA_DIR (or DATABASE_URL) to use another database.`,
        );
      }
      // The holder died without cleaning up: the claim is stale.
      unlinkSync(lockFile);
    }
  }
  throw new DataDirectoryInUseError(`Could not lock ${resolved}; another process keeps claiming it.`);
}

function isAlreadyExists(error: unknown): boolean {
  return error instanceof Error && "code" in error && error.code === "EEXIST";
}

function isRunningProcess(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM means it exists but belongs to someone else: still alive.
    return error instanceof Error && "code" in error && error.code === "EPERM";
  }
}
