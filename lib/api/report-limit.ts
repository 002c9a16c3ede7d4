import { databaseLimit } from "@/lib/shared/database-limit";
import { ApiError } from "./problem";

// Unauthenticated leak reports (POST /api/v1/credentials/revoke), per client address and shared
// by every instance through the database: enough for a scanner working through its finds, too
// few to use the endpoint for anything else.
const REPORTS_PER_MINUTE = 10;
const reports = databaseLimit("credential-report", REPORTS_PER_MINUTE);

/** Counts one report from this address; throws 429 with Retry-After beyond the limit. */
export async function reportLimit(ip: string | null): Promise<void> {
  const wait = await reports(ip ?? "unknown");
  if (wait > 0) {
    throw new ApiError(429, "rate_limited", "Too Many Requests", "Too many reports from this address. Try again later.", {
      headers: { "Retry-After": String(wait) },
    });
  }
}
