import { getDb } from "@/db";
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
};

/** Everything the token page shows (SPEC §11), each part asked of the module that guards it. */
export async function getTokenDetail(actor: Actor, id: string, now = new Date()): Promise<TokenDetail> {
  const token = await getToken(actor, id, now);
  const [catalog, history, usage] = await Promise.all([
    getDb().then((db) => loadCatalog(db, actor.organizationId, token.application.id)),
    getRotationHistory(actor, id),
    getTokenUsage(actor, id, now),
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
  return { token, permissions, history, usage };
}
