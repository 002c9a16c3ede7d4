import { availableParallelism } from "node:os";
import path from "node:path";
import { Worker } from "node:worker_threads";
import { createBoundedGate } from "@/lib/shared/bounded-gate";
import { processSingleton } from "@/lib/shared/process-singleton";

/** What the worker (./openapi-worker.mjs) made of a document's text. */
export type ReadDocument =
  | { ok: true; doc: Record<string, unknown>; resolved: Record<string, unknown>; validationErrors: string[] }
  | { ok: false; errors: string[] };

/** Budgets of one read: wall time, the worker's heap, the expanded size and the nesting. */
export const READ_BUDGET = { milliseconds: 5_000, heapMb: 256, maxNodes: 500_000, maxTextBytes: 8 * 1024 * 1024, maxDepth: 200 };
export type ReadBudget = typeof READ_BUDGET;

// One read per core at a time, a few waiting; beyond that an import is refused at once.
const gate = processSingleton<ReturnType<typeof createBoundedGate>>("openApiReadGate");
const readGate = () => gate.getOrCreate(() => createBoundedGate({ concurrency: Math.max(1, availableParallelism()), queue: 8 }));

// The worker is plain JavaScript beside this file; it is found from the project's root, where
// both `next start` and vitest run, so neither bundling nor a TypeScript loader is involved.
const WORKER_FILE = path.join(process.cwd(), "lib", "applications", "openapi-worker.mjs");

/**
 * Reads and validates an OpenAPI document in a worker thread (issue 24, finding 3): parsing,
 * alias expansion and validation never run on the thread that serves requests. Past its time
 * budget the worker is stopped; past its heap it dies; either way the import fails with a
 * reason, and the server goes on.
 */
export async function readOpenApiDocument(text: string, budget: ReadBudget = READ_BUDGET): Promise<ReadDocument> {
  const outcome = await readGate()(() => runWorker(text, budget));
  if (!outcome.ran) return { ok: false, errors: ["Too many documents are being imported right now; try again in a moment."] };
  return outcome.value;
}

function runWorker(text: string, budget: ReadBudget): Promise<ReadDocument> {
  return new Promise((resolve) => {
    const worker = new Worker(WORKER_FILE, {
      workerData: { text, maxNodes: budget.maxNodes, maxTextBytes: budget.maxTextBytes, maxDepth: budget.maxDepth },
      resourceLimits: { maxOldGenerationSizeMb: budget.heapMb, maxYoungGenerationSizeMb: 32, stackSizeMb: 4 },
    });
    let settled = false;
    const settle = (result: ReadDocument) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      void worker.terminate();
      resolve(result);
    };
    const timer = setTimeout(
      () =>
        settle({
          ok: false,
          errors: [`The document took longer than ${budget.milliseconds / 1000} seconds to read; it is too complex to import.`],
        }),
      budget.milliseconds,
    );
    worker.once("message", (result: ReadDocument) => settle(result));
    worker.once("error", (error) =>
      settle({
        ok: false,
        errors: [
          (error as NodeJS.ErrnoException).code === "ERR_WORKER_OUT_OF_MEMORY"
            ? "The document needs too much memory to read; it is too complex to import."
            : "The document could not be read.",
        ],
      }),
    );
    worker.once("exit", () => settle({ ok: false, errors: ["The document could not be read."] }));
  });
}
