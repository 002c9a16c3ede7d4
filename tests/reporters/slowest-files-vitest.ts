import path from "node:path";
import type { Reporter, TestModule } from "vitest/node";

/**
 * Prints the ten slowest test files of a vitest run (collection, setup and tests together), so CI
 * output shows where the suite's time goes (issue 23). Added beside the default reporter.
 */
export default class SlowestFiles implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    const files = testModules
      .map((module) => {
        const diagnostic = module.diagnostic();
        const seconds = (diagnostic.collectDuration + diagnostic.setupDuration + diagnostic.duration) / 1000;
        return { file: path.relative(process.cwd(), module.moduleId), seconds };
      })
      .sort((a, b) => b.seconds - a.seconds || a.file.localeCompare(b.file))
      .slice(0, 10);
    if (files.length === 0) return;
    console.log("\nSlowest test files (vitest):");
    for (const { file, seconds } of files) console.log(`  ${seconds.toFixed(1).padStart(6)} s  ${file}`);
  }
}
