import { getDb } from "@/db";
import type { Actor } from "./actor";
import type { TokenPolicy } from "./policy";
import { loadPolicy } from "./tokens/scope";

/** The acting user's organization's token policy (what the create dialog offers). */
export async function getTokenPolicy(actor: Actor): Promise<TokenPolicy> {
  return loadPolicy(await getDb(), actor.organizationId);
}
