import { RateLimited } from "@/lib/shared/errors";
import { databaseLimit } from "@/lib/shared/database-limit";

// "Send test event" and "Resend" POST at once, to an address an admin typed: per endpoint, and
// shared by every instance through the database, they are limited so Tessera cannot be used to
// flood someone else's server with signed requests.
const MANUAL_SENDS_PER_MINUTE = 10;
const manualSends = databaseLimit("webhook-manual-send", MANUAL_SENDS_PER_MINUTE);

/** Counts one test event or resend to this endpoint; throws RateLimited beyond the limit. */
export async function countManualSend(endpointId: string): Promise<void> {
  const wait = await manualSends(endpointId);
  if (wait > 0)
    throw new RateLimited(`At most ${MANUAL_SENDS_PER_MINUTE} test events and resends a minute per endpoint. Try again shortly.`, wait);
}
