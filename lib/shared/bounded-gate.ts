export type GateResult<T> = { ran: true; value: T } | { ran: false };

/**
 * Runs at most `concurrency` tasks at once and lets at most `queue` more wait for a turn; a task
 * arriving beyond that is refused at once ({ ran: false }) instead of waiting without bound.
 */
export function createBoundedGate({ concurrency, queue }: { concurrency: number; queue: number }) {
  let running = 0;
  const waiting: (() => void)[] = [];
  return async function run<T>(task: () => Promise<T>): Promise<GateResult<T>> {
    if (running < concurrency) {
      running += 1;
    } else if (waiting.length < queue) {
      // The finishing task hands its slot over: `running` stays the same.
      await new Promise<void>((resolve) => waiting.push(resolve));
    } else {
      return { ran: false };
    }
    try {
      return { ran: true, value: await task() };
    } finally {
      const next = waiting.shift();
      if (next) next();
      else running -= 1;
    }
  };
}
