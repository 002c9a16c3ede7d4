import path from "node:path";
import type { Reporter, TestCase, TestResult } from "@playwright/test/reporter";

/**
 * Prints the ten slowest spec files of a Playwright run (the sum of their tests' durations, hooks
 * included), so CI output shows where the suite's time goes (issue 23). Added beside "list".
 */
export default class SlowestFiles implements Reporter {
  private readonly seconds = new Map<string, number>();

  onTestEnd(test: TestCase, result: TestResult): void {
    const file = path.relative(process.cwd(), test.location.file);
    this.seconds.set(file, (this.seconds.get(file) ?? 0) + result.duration / 1000);
  }

  onEnd(): void {
    const files = [...this.seconds].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, 10);
    if (files.length === 0) return;
    console.log("\nSlowest spec files (Playwright):");
    for (const [file, seconds] of files) console.log(`  ${seconds.toFixed(1).padStart(6)} s  ${file}`);
  }

  printsToStdio(): boolean {
    return false;
  }
}
