import type { PersonalAccessToken } from "@/db/schema";
import type { AuditTarget } from "@/lib/audit/record";
import { effectiveScopes, type GrantedScopes } from "@/lib/applications/scopes";
import type { Role } from "@/lib/permissions/catalog";
import { isOutsidePolicy, type TokenPolicy } from "@/lib/organizations/policy";
import { deriveTokenState, type TokenState } from "./state";
import { isInGrace } from "./verify";

/** What the console and the API show of a token: never its hash, never its value. */
export type TokenView = {
  id: string;
  userId: string;
  username: string;
  userDisplayName: string;
  description: string;
  accountSid: string;
  hint: string;
  application: TokenApplication;
  permissions: string[];
  effectivePermissions: string[];
  expiresAt: string | null;
  active: boolean;
  state: TokenState;
  revokedAt: string | null;
  revokeReason: string | null;
  lastUsedAt: string | null;
  lastUsedIp: string | null;
  createdAt: string;
  updatedAt: string;
  rotatedFromId: string | null;
  /** A rotated-out value still in its grace period works until then (SPEC §11). */
  usableUntil: string | null;
  /** Restrictions (SPEC §12): null for none. */
  allowedCidrs: string[] | null;
  rateLimitPerMinute: number | null;
  validFrom: string | null;
  /** A working token the organization's current policy would not allow (false when not computed). */
  outsidePolicy: boolean;
};

/** The application a token is valid for, as its views name it. */
export type TokenApplication = { id: string; name: string; slug: string; builtIn: boolean };

export const applicationView = ({ id, name, slug, builtIn }: TokenApplication): TokenApplication => ({ id, name, slug, builtIn });

export type TokenWithOwner = {
  token: PersonalAccessToken;
  owner: { username: string; displayName: string; role: Role };
  application: TokenApplication;
  granted: GrantedScopes;
};

const iso = (date: Date | null) => (date ? date.toISOString() : null);

export function toTokenView({ token, owner, application, granted }: TokenWithOwner, now: Date, policy?: TokenPolicy): TokenView {
  const state = deriveTokenState(token, now);
  const live = state === "active" || state === "inactive";
  return {
    id: token.id,
    userId: token.userId,
    username: owner.username,
    userDisplayName: owner.displayName,
    description: token.description,
    accountSid: token.accountSid,
    hint: token.hint,
    application,
    permissions: token.permissions,
    effectivePermissions: effectiveScopes(granted, owner.role),
    expiresAt: iso(token.expiresAt),
    active: token.active,
    state,
    revokedAt: iso(token.revokedAt),
    revokeReason: token.revokeReason,
    lastUsedAt: iso(token.lastUsedAt),
    lastUsedIp: token.lastUsedIp,
    createdAt: token.createdAt.toISOString(),
    updatedAt: token.updatedAt.toISOString(),
    rotatedFromId: token.rotatedFromId,
    usableUntil: isInGrace(token, now) ? iso(token.graceUntil) : null,
    allowedCidrs: token.allowedCidrs,
    rateLimitPerMinute: token.rateLimitPerMinute,
    validFrom: iso(token.validFrom),
    outsidePolicy: live && policy !== undefined && isOutsidePolicy(policy, token),
  };
}

/** The settings an audit event records for a token: every field but secrets. */
/** The token as the target of an audit event, which also names its owner. */
export const tokenTarget = (token: Pick<PersonalAccessToken, "id" | "userId">): AuditTarget => ({
  type: "token",
  id: token.id,
  userId: token.userId,
});

export function auditSnapshot(token: PersonalAccessToken) {
  return {
    userId: token.userId,
    applicationId: token.applicationId,
    description: token.description,
    accountSid: token.accountSid,
    hint: token.hint,
    permissions: token.permissions,
    expiresAt: iso(token.expiresAt),
    active: token.active,
    revokedAt: iso(token.revokedAt),
    allowedCidrs: token.allowedCidrs,
    rateLimitPerMinute: token.rateLimitPerMinute,
    validFrom: iso(token.validFrom),
  };
}
