import { and, desc, eq, inArray } from "drizzle-orm";
import { getDb } from "@/db";
import { auditEvents } from "@/db/schema";
import { z } from "zod";
import { loadCatalog } from "@/lib/applications/catalog";
import type { Actor } from "@/lib/auth/actor";
import { getToken } from "./queries";
import { getRotationHistory, getTokenUsage, type RotationStep, type TokenUsage } from "./usage";
import type { TokenView } from "./view";

export type TokenPermission = { id: string; description: string; docsUrl: string | null; effective: boolean };

export type TokenDetail = {
  token: TokenView;
  /** Its stored permissions with their application's descriptions; `effective` says whether they act now. */
  permissions: TokenPermission[];
  history: RotationStep[];
  usage: TokenUsage;
  /** Why it is off, when GitHub's secret scanning switched it off and nobody has switched it on since. */
  exposure: TokenExposure | null;
};

/** Where GitHub found the token's value; `link` only for an http(s) address, anything else is shown as text. */
export type TokenExposure = { url: string; link: boolean; reportedAt: string };

/** Everything the token page shows (SPEC §11), each part asked of the module that guards it. */
export async function getTokenDetail(actor: Actor, id: string, now = new Date()): Promise<TokenDetail> {
  const token = await getToken(actor, id, now);
  const [catalog, history, usage, exposure] = await Promise.all([
    getDb().then((db) => loadCatalog(db, actor.organizationId, token.application.id)),
    getRotationHistory(actor, id),
    getTokenUsage(actor, id, now),
    token.active && token.state !== "revoked" ? null : lastExposure(actor.organizationId, token.id),
  ]);
  const scopes = new Map((catalog?.scopes ?? []).map((scope) => [scope.id, scope]));
  const permissions = token.permissions.map((permission) => {
    const scope = scopes.get(permission);
    return {
      id: permission,
      description: scope?.description ?? "No longer defined by the application.",
      docsUrl: scope?.docsUrl ?? null,
      effective: token.effectivePermissions.includes(permission),
    };
  });
  return { token, permissions, history, usage, exposure };
}

const secretScanningDetails = z.object({ secretScanning: z.object({ url: z.string(), reportedAt: z.string() }) });

// The token's last switch: a secret-scanning deactivation names where the value was found. Called
// only after getToken has authorized the actor for this token of their organization.
async function lastExposure(organizationId: string, tokenId: string): Promise<TokenExposure | null> {
  const db = await getDb();
  const [last] = await db
    .select({ action: auditEvents.action, details: auditEvents.details })
    .from(auditEvents)
    .where(
      and(
        eq(auditEvents.organizationId, organizationId),
        inArray(auditEvents.action, ["token.activated", "token.deactivated"]),
        eq(auditEvents.targetId, tokenId),
      ),
    )
    .orderBy(desc(auditEvents.occurredAt), desc(auditEvents.id))
    .limit(1);
  const parsed = last?.action === "token.deactivated" ? secretScanningDetails.safeParse(last.details) : undefined;
  if (!parsed?.success) return null;
  const { url, reportedAt } = parsed.data.secretScanning;
  return { url, link: /^https?:\/\//i.test(url) && URL.canParse(url), reportedAt };
}
