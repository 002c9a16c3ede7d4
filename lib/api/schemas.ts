import type { TokenUsage } from "@/lib/tokens/usage";
import { z } from "zod";
import { ROLES } from "@/lib/permissions/catalog";
import { TOKEN_STATES } from "@/lib/tokens/state";
import type { AuditEntry } from "@/lib/audit/log";
import type { RepView } from "@/lib/reps/view";
import type { TokenPrincipal } from "@/lib/tokens/verify";
import type { TokenView } from "@/lib/tokens/view";
import { PAGE_LIMITS } from "@/lib/shared/keyset-cursor";
import { isSearchable, SEARCH_TOO_SHORT, TOKEN_LIMITS, TOKEN_SORTS } from "@/lib/validation/token";
import { isoDay, noNul } from "@/lib/validation/text";

// The API's wire format (snake_case), one schema per resource; the OpenAPI document is
// generated from these, and every response is shaped by them — never a raw row.
const timestamp = z.iso.datetime({ offset: true });

export const tokenOutput = z
  .object({
    id: z.uuid(),
    user_id: z.uuid(),
    username: z.string(),
    application_id: z.uuid().meta({ description: "The one application the token is valid for." }),
    description: z.string(),
    account_sid: z.string().meta({ description: "Public identifier, 32 lowercase hex characters." }),
    hint: z.string().meta({ description: "Prefix and last four characters of the value, to recognise it." }),
    permissions: z.array(z.string()).meta({ description: "Permissions stored on the token." }),
    effective_permissions: z
      .array(z.string())
      .meta({ description: "Stored permissions ∩ the application's live scopes ∩ what the owner's role allows." }),
    state: z.enum(TOKEN_STATES),
    active: z.boolean(),
    expires_at: timestamp.nullable(),
    revoked_at: timestamp.nullable(),
    revoke_reason: z.string().nullable(),
    last_used_at: timestamp.nullable(),
    created_at: timestamp,
    updated_at: timestamp,
    rotated_from_id: z.uuid().nullable(),
    usable_until: timestamp.nullable().meta({
      description: "A rotated-out value still in its grace period works until then (its state is revoked); null otherwise.",
    }),
    allowed_cidrs: z
      .array(z.string())
      .nullable()
      .meta({ description: "The IP addresses (CIDR ranges) it may be used from; null: any address." }),
    rate_limit_per_minute: z.int().nullable().meta({ description: "Requests per minute it may make; null: no limit of its own." }),
    valid_from: timestamp.nullable().meta({ description: "It is refused before this time; null: from its creation." }),
  })
  .meta({ id: "Token" });

export function toTokenOutput(view: TokenView): z.infer<typeof tokenOutput> {
  return {
    id: view.id,
    user_id: view.userId,
    username: view.username,
    application_id: view.application.id,
    description: view.description,
    account_sid: view.accountSid,
    hint: view.hint,
    permissions: view.permissions,
    effective_permissions: view.effectivePermissions,
    state: view.state,
    active: view.active,
    expires_at: view.expiresAt,
    revoked_at: view.revokedAt,
    revoke_reason: view.revokeReason,
    last_used_at: view.lastUsedAt,
    created_at: view.createdAt,
    updated_at: view.updatedAt,
    rotated_from_id: view.rotatedFromId,
    usable_until: view.usableUntil,
    allowed_cidrs: view.allowedCidrs,
    rate_limit_per_minute: view.rateLimitPerMinute,
    valid_from: view.validFrom,
  };
}

// POST /tokens/{id}/rotate (SPEC §11): how long the old value keeps working, if at all.
export const rotateBody = z
  .object({
    grace_seconds: z.int().min(1).optional().meta({ description: "The old value keeps working this many seconds." }),
    retire_old_after_first_use_seconds: z
      .int()
      .min(1)
      .optional()
      .meta({ description: "The old value keeps working until this many seconds after the new value is first used." }),
  })
  .strict()
  .refine((body) => body.grace_seconds === undefined || body.retire_old_after_first_use_seconds === undefined, {
    error: "Give grace_seconds or retire_old_after_first_use_seconds, not both.",
  })
  .meta({ id: "RotateRequest" });

export const rotatedTokenOutput = z
  .object({
    token: tokenOutput,
    value: z.string().meta({ description: "The new value. Shown in this response only; store it now." }),
    previous: z.object({
      id: z.uuid(),
      usable_until: timestamp.nullable().meta({ description: "Until when the old value still works; null: it stopped at once." }),
    }),
  })
  .meta({ id: "RotatedToken" });

export const createdTokenOutput = z
  .object({
    token: tokenOutput,
    value: z.string().meta({ description: "The token value. Shown in this response only; store it now." }),
  })
  .meta({ id: "CreatedToken" });

const expiresAtInput = z.iso
  .datetime({ offset: true, error: "Use an ISO 8601 date-time, e.g. 2026-12-31T23:59:59Z." })
  .transform((value) => new Date(value))
  .nullable()
  .meta({ description: "ISO 8601 date-time, or null for no expiration; omit for the organization's default." });

// Restrictions (SPEC §12), in the request bodies that create and edit tokens.
const restrictionInputs = {
  allowed_cidrs: z
    .array(z.string())
    .nullable()
    .optional()
    .meta({ description: "IPv4/IPv6 addresses or CIDR ranges it may be used from, at most 50; null or [] for any address." }),
  rate_limit_per_minute: z
    .int()
    .nullable()
    .optional()
    .meta({ description: "Requests per minute, at least 1 and at most the organization's maximum; null for no limit." }),
  valid_from: z.iso
    .datetime({ offset: true, error: "Use an ISO 8601 date-time, e.g. 2026-12-31T09:00:00Z." })
    .transform((value) => new Date(value))
    .nullable()
    .optional()
    .meta({ description: "ISO 8601 date-time before which it is refused; null to lift it." }),
};

/** The restrictions of a create or edit body, as lib/tokens takes them (undefined: not given). */
export const restrictionsOf = (body: {
  allowed_cidrs?: string[] | null;
  rate_limit_per_minute?: number | null;
  valid_from?: Date | null;
}) => ({
  allowedCidrs: body.allowed_cidrs,
  rateLimitPerMinute: body.rate_limit_per_minute,
  validFrom: body.valid_from,
});

export const createTokenBody = z
  .object({
    description: z.string(),
    permissions: z.array(z.string()),
    account_sid: z.string().optional(),
    expires_at: expiresAtInput.optional(),
    user_id: z.uuid().optional().meta({ description: "Owner (tokens:admin only); defaults to the calling token's owner." }),
    application_id: z.uuid().optional().meta({
      description:
        "The application the token is for. Omitted: the one live application offering every requested permission, the Tessera API first.",
    }),
    ...restrictionInputs,
  })
  .strict()
  .meta({ id: "CreateTokenRequest" });

export const updateTokenBody = z
  .object({
    description: z.string().optional(),
    permissions: z.array(z.string()).optional(),
    expires_at: expiresAtInput.optional(),
    active: z.boolean().optional(),
    ...restrictionInputs,
  })
  .strict()
  .meta({ id: "UpdateTokenRequest" });

export const revokeTokenBody = z
  .object({ reason: z.string().max(TOKEN_LIMITS.revokeReason).optional() })
  .strict()
  .meta({ id: "RevokeTokenRequest" });

export const bulkRevokeBody = z
  .object({
    ids: z.array(z.string()).max(TOKEN_LIMITS.bulkRevoke).optional(),
    user_id: z.uuid().optional(),
    reason: z.string().max(TOKEN_LIMITS.revokeReason).optional(),
  })
  .strict()
  .refine((body) => (body.ids === undefined) !== (body.user_id === undefined), {
    error: "Give either ids or user_id.",
  })
  .meta({ id: "BulkRevokeRequest" });

export const bulkRevokeOutput = z.object({ revoked: z.array(z.uuid()), skipped: z.number().int() }).meta({ id: "BulkRevokeResult" });

export const tokenListQuery = z.object({
  user_id: z.uuid().optional(),
  application_id: z.uuid().optional(),
  state: z.enum(TOKEN_STATES).optional(),
  search: z
    .string()
    .max(TOKEN_LIMITS.search)
    .refine(...noNul)
    .refine(isSearchable, SEARCH_TOO_SHORT)
    .optional(),
  sort: z.enum(TOKEN_SORTS).optional(),
  cursor: z.string().max(PAGE_LIMITS.cursorLength).optional(),
  limit: z.coerce.number().int().min(1).max(PAGE_LIMITS.maxSize).optional(),
});

export const tokenListOutput = z
  .object({
    data: z.array(tokenOutput),
    total: z
      .number()
      .int()
      .meta({ description: `Matching tokens, counted up to ${PAGE_LIMITS.countCap.toLocaleString("en-US")}.` }),
    total_capped: z.boolean().meta({ description: "True when more tokens match than `total` says (the count stopped at its cap)." }),
    next_cursor: z.string().nullable(),
  })
  .meta({ id: "TokenList" });

export const meOutput = z
  .object({
    token: z.object({
      id: z.uuid(),
      account_sid: z.string(),
      description: z.string(),
      expires_at: timestamp.nullable(),
      permissions: z.array(z.string()).meta({ description: "Effective permissions." }),
    }),
    application: z.object({ id: z.uuid(), slug: z.string(), audience: z.string() }),
    user: z.object({ id: z.uuid(), username: z.string(), role: z.enum(ROLES) }),
    organization: z.object({ id: z.uuid(), slug: z.string() }),
  })
  .meta({ id: "Me" });

export function toMeOutput(principal: TokenPrincipal): z.infer<typeof meOutput> {
  return {
    token: {
      id: principal.tokenId,
      account_sid: principal.accountSid,
      description: principal.description,
      expires_at: principal.expiresAt?.toISOString() ?? null,
      permissions: principal.permissions,
    },
    application: { id: principal.application.id, slug: principal.application.slug, audience: principal.application.audience },
    user: { id: principal.userId, username: principal.username, role: principal.role },
    organization: { id: principal.organizationId, slug: principal.organizationSlug },
  };
}

export const repOutput = z
  .object({
    id: z.uuid(),
    username: z.string(),
    email: z.string(),
    display_name: z.string(),
    role: z.enum(ROLES),
    active: z.boolean(),
  })
  .meta({ id: "Rep" });

export function toRepOutput(rep: RepView): z.infer<typeof repOutput> {
  return {
    id: rep.id,
    username: rep.username,
    email: rep.email,
    display_name: rep.displayName,
    role: rep.role,
    active: rep.active,
  };
}

export const auditEventOutput = z
  .object({
    id: z.uuid(),
    occurred_at: timestamp,
    action: z.string(),
    actor_user_id: z.uuid().nullable(),
    actor_username: z.string().nullable(),
    actor_token_id: z.uuid().nullable(),
    target_type: z.string().nullable(),
    target_id: z.string().nullable(),
    target_user_id: z.uuid().nullable(),
    target_username: z.string().nullable(),
    ip: z.string().nullable(),
    changes: z.array(
      z.union([z.object({ field: z.string(), from: z.string(), to: z.string() }), z.object({ field: z.string(), value: z.string() })]),
    ),
  })
  .meta({ id: "AuditEvent" });

export function toAuditEventOutput(entry: AuditEntry): z.infer<typeof auditEventOutput> {
  return {
    id: entry.id,
    occurred_at: entry.occurredAt,
    action: entry.action,
    actor_user_id: entry.actorUserId,
    actor_username: entry.actorUsername,
    actor_token_id: entry.actorTokenId,
    target_type: entry.targetType,
    target_id: entry.targetId,
    target_user_id: entry.targetUserId,
    target_username: entry.targetUsername,
    ip: entry.ip,
    changes: entry.changes,
  };
}

export const auditEventListOutput = z
  .object({ data: z.array(auditEventOutput), next_cursor: z.string().nullable() })
  .meta({ id: "AuditEventList" });

export const auditEventListQuery = z.object({
  action: z.string().max(100).optional(),
  actor_user_id: z.uuid().optional(),
  target_user_id: z.uuid().optional(),
  from: isoDay.optional(),
  to: isoDay.optional(),
  cursor: z.string().max(PAGE_LIMITS.cursorLength).optional(),
  limit: z.coerce.number().int().min(1).max(PAGE_LIMITS.maxSize).optional(),
});

export const repListOutput = z.object({ data: z.array(z.lazy(() => repOutput)) }).meta({ id: "RepList" });

export const problemOutput = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    code: z.string(),
    errors: z.record(z.string(), z.array(z.string())).optional(),
  })
  .meta({ id: "Problem" });

/** Parses the query string with a schema; unknown parameters are ignored. */
export function queryOf<T extends z.ZodType>(request: Request, schema: T): z.infer<T> {
  return schema.parse(Object.fromEntries(new URL(request.url).searchParams));
}

export const tokenUsageOutput = z
  .object({
    days: z.array(z.object({ day: z.iso.date(), requests: z.number().int(), failures: z.number().int() })).meta({
      description: "The last 30 UTC days, oldest first: successful requests and refused authentications.",
    }),
    client_addresses: z.array(
      z.object({
        ip: z.string(),
        user_agent: z.string().nullable(),
        first_seen_at: timestamp,
        last_seen_at: timestamp,
        requests: z.number().int(),
      }),
    ),
    failures: z.array(z.object({ at: timestamp, reason: z.string(), ip: z.string().nullable(), count: z.number().int() })),
  })
  .meta({ id: "TokenUsage" });

export function toTokenUsageOutput(usage: TokenUsage): z.infer<typeof tokenUsageOutput> {
  return {
    days: usage.days,
    client_addresses: usage.addresses.map((a) => ({
      ip: a.ip,
      user_agent: a.userAgent,
      first_seen_at: a.firstSeenAt,
      last_seen_at: a.lastSeenAt,
      requests: a.requests,
    })),
    failures: usage.failures,
  };
}

// POST /api/v1/credentials/revoke (SPEC §12): values someone found exposed.
export const revokeCredentialsBody = z
  .object({
    credentials: z
      .array(z.string().max(200))
      .min(1)
      .max(1000)
      .meta({ description: "Token values found exposed, at most 1,000. Values that are not tokens are ignored." }),
  })
  .strict()
  .meta({ id: "RevokeCredentialsRequest" });
