import { eq } from "drizzle-orm";
import type { Executor } from "@/db";
import { organizations } from "@/db/schema";
import { notFound } from "@/lib/shared/errors";
import type { TokenPolicy } from "./policy";

/** The organization's token policy, read in the caller's transaction when it has one. */
export async function loadPolicy(executor: Executor, organizationId: string): Promise<TokenPolicy> {
  const [policy] = await executor
    .select({
      maxLifetimeDays: organizations.maxLifetimeDays,
      requireExpiration: organizations.requireExpiration,
      defaultLifetimeDays: organizations.defaultLifetimeDays,
      expiryNoticeDays: organizations.expiryNoticeDays,
      maxGraceDays: organizations.maxGraceDays,
      deactivateSuccessorOnReuse: organizations.deactivateSuccessorOnReuse,
      revokeUnusedAfterDays: organizations.revokeUnusedAfterDays,
      maxRateLimitPerMinute: organizations.maxRateLimitPerMinute,
      requireAllowlistForWrite: organizations.requireAllowlistForWrite,
      allowlistMinPrefixV4: organizations.allowlistMinPrefixV4,
      allowlistMinPrefixV6: organizations.allowlistMinPrefixV6,
    })
    .from(organizations)
    .where(eq(organizations.id, organizationId));
  if (!policy) throw notFound("Organization");
  return policy;
}
