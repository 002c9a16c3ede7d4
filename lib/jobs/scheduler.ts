import { getEnv } from "@/lib/env";
import { runJobsPass, type JobsPassResult } from "./run-pass";
import { processSingleton } from "@/lib/shared/process-singleton";

type SchedulerState = { timer: NodeJS.Timeout | null; stopped: boolean };

// One scheduler per process.
const scheduler = processSingleton<SchedulerState>("jobs");

const FIRST_PASS_DELAY_MS = 5_000;

/**
 * Runs the background jobs every JOBS_INTERVAL_SECONDS inside the server. Each pass is scheduled
 * only after the previous one finished, so passes never overlap; the timers are unref'd so they
 * never keep a stopping process alive. Several instances may run it: every job is safe to run
 * concurrently. Returns a function that stops it.
 */
export function startJobScheduler(runPass: () => Promise<JobsPassResult> = () => runJobsPass()): () => void {
  const running = scheduler.get();
  if (running && !running.stopped) return () => stop();
  const state: SchedulerState = { timer: null, stopped: false };
  scheduler.set(state);
  const intervalMs = getEnv().jobs.intervalSeconds * 1000;

  const schedule = (delayMs: number) => {
    if (state.stopped) return;
    state.timer = setTimeout(tick, delayMs);
    state.timer.unref();
  };
  const tick = async () => {
    try {
      const result = await runPass();
      const webhooks = result.webhooks.delivered + result.webhooks.failed;
      if (result.queued > 0 || webhooks > 0 || (result.delivery && result.delivery.sent + result.delivery.failed > 0)) {
        console.log(`Tessera jobs: ${describePass(result)}`);
      }
    } catch (error) {
      // A failed pass (say, the database is briefly down) must not stop the next one.
      console.error("Tessera jobs: the pass failed; retrying at the next interval.", error);
    } finally {
      schedule(intervalMs);
    }
  };
  schedule(Math.min(FIRST_PASS_DELAY_MS, intervalMs));
  return () => stop();
}

function stop(): void {
  const state = scheduler.get();
  if (!state) return;
  state.stopped = true;
  if (state.timer) clearTimeout(state.timer);
}

export function describePass(result: JobsPassResult): string {
  const delivery = result.delivery
    ? `sent ${result.delivery.sent} mail${result.delivery.sent === 1 ? "" : "s"}, ${result.delivery.failed} failed`
    : "no SMTP_URL, so mail stays in the outbox";
  const { delivered, failed } = result.webhooks;
  return `queued ${result.queued} notice${result.queued === 1 ? "" : "s"}; ${delivery}; webhooks: ${delivered} delivered, ${failed} failed.`;
}
