import { getConnection, onDatabaseClosed } from "@/db";
import { processSingleton } from "@/lib/shared/process-singleton";
import { deliverPendingWebhooks } from "./delivery";
import { WEBHOOKS_CHANNEL } from "./enqueue";

// Sends new deliveries as soon as the change that queued them commits, rather than at the next
// jobs pass: enqueueTokenEvent NOTIFYs WEBHOOKS_CHANNEL, and every instance running the jobs
// listens. Claiming is FOR UPDATE SKIP LOCKED, so instances woken together never send one twice;
// a lost notification only delays a delivery until the next pass, which sends whatever is due.

type KickState = { running: boolean; again: Set<string> };
const state = processSingleton<KickState>("webhookKick");

/** Listens for queued deliveries and sends them at once. Errors are logged, never thrown at the caller. */
export async function startWebhookListener(): Promise<void> {
  if (state.get()) return;
  state.set({ running: false, again: new Set() });
  onDatabaseClosed(() => state.set(undefined));
  const connection = await getConnection();
  await connection.listen(
    WEBHOOKS_CHANNEL,
    (organizationId) => kick(organizationId),
    () => {},
  );
}

function kick(organizationId: string): void {
  const current = state.get();
  if (!current) return;
  current.again.add(organizationId);
  if (current.running) return;
  current.running = true;
  void drain(current);
}

// One pass at a time per process; organizations notified meanwhile are served by the next.
async function drain(current: KickState): Promise<void> {
  try {
    while (current.again.size > 0) {
      const organizations = [...current.again];
      current.again.clear();
      for (const organizationId of organizations) await deliverPendingWebhooks(new Date(), { organizationId });
    }
  } catch (error) {
    console.error("Tessera webhooks: sending right after a change failed; the next jobs pass retries.", error);
  } finally {
    current.running = false;
  }
}
