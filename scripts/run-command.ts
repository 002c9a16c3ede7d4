// The one way a maintenance command runs: its work, then the database closed. A problem the
// operator must fix (configuration, a PGlite directory in use by a server, or one the command
// names) is printed as its one-line message with exit code 1; anything else is a bug and throws.
import { closeDb } from "@/db";
import { DataDirectoryInUseError } from "@/db/pglite-lock";
import { ConfigError } from "@/lib/env";

type ErrorClass = abstract new (...args: never[]) => Error;

export async function runCommand(work: () => Promise<void>, operatorErrors: readonly ErrorClass[] = []): Promise<void> {
  try {
    await work();
  } catch (error) {
    if ([ConfigError, DataDirectoryInUseError, ...operatorErrors].some((type) => error instanceof type)) {
      console.error((error as Error).message);
      process.exitCode = 1;
    } else {
      throw error;
    }
  } finally {
    await closeDb();
  }
}
