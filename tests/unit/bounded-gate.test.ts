import { describe, expect, it } from "vitest";
import { checkPassword, hashPassword } from "@/lib/auth/passwords";
import { createBoundedGate } from "@/lib/shared/bounded-gate";

describe("bounded gate", () => {
  it("runs at most `concurrency` tasks, queues `queue` more and refuses the rest at once", async () => {
    const run = createBoundedGate({ concurrency: 2, queue: 3 });
    let running = 0;
    let most = 0;
    const releases: (() => void)[] = [];
    const task = () =>
      new Promise<string>((resolve) => {
        running += 1;
        most = Math.max(most, running);
        releases.push(() => {
          running -= 1;
          resolve("done");
        });
      });
    const results = Array.from({ length: 10 }, () => run(task));
    const refused = await Promise.all(results.slice(5));
    expect(refused).toEqual(Array(5).fill({ ran: false }));
    // Release the running tasks until the queued ones have had their turn too.
    for (let released = 0; released < 5;) {
      await new Promise((resolve) => setTimeout(resolve, 1));
      expect(running).toBeLessThanOrEqual(2);
      for (const release of releases.splice(0)) {
        release();
        released += 1;
      }
    }
    expect(await Promise.all(results.slice(0, 5))).toEqual(Array(5).fill({ ran: true, value: "done" }));
    expect(most).toBe(2);
  });
});

describe("checkPassword", () => {
  it("answers busy beyond the process's queue of argon2 checks instead of queueing without bound", async () => {
    const stored = await hashPassword("a password of some length");
    const checks = await Promise.all(Array.from({ length: 60 }, (_, index) => checkPassword(index % 2 ? undefined : stored, "wrong")));
    expect(checks).toContain("busy");
    expect(checks).toContain("mismatch");
    expect(checks).not.toContain("match");
    expect(await checkPassword(stored, "a password of some length")).toBe("match");
  });
});
