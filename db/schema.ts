import { relations, sql } from "drizzle-orm";
import {
  bigint,
  boolean,
  check,
  foreignKey,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  timestamp,
  unique,
  uniqueIndex,
  uuid,
  type AnyPgColumn,
} from "drizzle-orm/pg-core";

// Millisecond precision: JavaScript dates round-trip exactly, so keyset cursors never skip a row.
const timestamptz = (name: string) => timestamp(name, { withTimezone: true, mode: "date", precision: 3 });
const createdAt = () => timestamptz("created_at").notNull().defaultNow();
const updatedAt = () => timestamptz("updated_at").notNull().defaultNow();

export const userRole = pgEnum("user_role", ["admin", "rep"]);
// Who of an organization's members must sign in with a second factor (SPEC §14).
export const twoFactorPolicy = pgEnum("two_factor_policy", ["off", "admins", "everyone"]);

export const organizations = pgTable("organizations", {
  id: uuid("id").primaryKey().defaultRandom(),
  slug: text("slug").notNull().unique(),
  name: text("name").notNull(),
  active: boolean("active").notNull().default(true),
  // Token policy (SPEC §2).
  maxLifetimeDays: integer("max_lifetime_days"),
  requireExpiration: boolean("require_expiration").notNull().default(false),
  defaultLifetimeDays: integer("default_lifetime_days").default(30),
  expiryNoticeDays: integer("expiry_notice_days")
    .array()
    .notNull()
    .default(sql`'{7,1}'::integer[]`),
  // Rotation and idle tokens (SPEC §11): how long a rotated-out value may keep working, whether a
  // rotated-out value used after its grace deactivates its successor, and after how many days
  // without use a token is revoked (null: never).
  maxGraceDays: integer("max_grace_days").notNull().default(7),
  deactivateSuccessorOnReuse: boolean("deactivate_successor_on_reuse").notNull().default(false),
  revokeUnusedAfterDays: integer("revoke_unused_after_days"),
  // Restrictions (SPEC §12): the highest rate limit a token may be given, and whether a token
  // holding any `:write` permission must name its allowed IP addresses.
  maxRateLimitPerMinute: integer("max_rate_limit_per_minute").notNull().default(6000),
  requireAllowlistForWrite: boolean("require_allowlist_for_write").notNull().default(false),
  // Under that requirement, the widest range a list may name, as the shortest prefix per family
  // (never /0, which would name every address and so require nothing).
  allowlistMinPrefixV4: integer("allowlist_min_prefix_v4").notNull().default(8),
  allowlistMinPrefixV6: integer("allowlist_min_prefix_v6").notNull().default(32),
  // Account security (SPEC §14): whose console stays closed until they have a second factor.
  twoFactorPolicy: twoFactorPolicy("two_factor_policy").notNull().default("off"),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

// A person: one e-mail address and one password, however many organizations they work for
// (SPEC §10). What they may do lives in their memberships (users), never here.
export const persons = pgTable("persons", {
  id: uuid("id").primaryKey().defaultRandom(),
  // Stored lowercased; sign-in looks it up lowercased.
  email: text("email").notNull().unique(),
  // Empty: no password (it was withdrawn; a mailed reset link sets one).
  passwordHash: text("password_hash").notNull(),
  // Set by an admin of this organization (created, or reset and shown to them), not chosen by the
  // person: it opens only this organization until the person chooses their own (SPEC §14).
  // Null: the person's own password, which opens every organization they work in.
  passwordOrganizationId: uuid("password_organization_id").references(() => organizations.id),
  lastSignInAt: timestamptz("last_sign_in_at"),
  // The authenticator app (TOTP, lib/auth/totp.ts): its secret sealed with a key derived from
  // TOKEN_HASH_KEY, when it was turned on, and the last time step a code was accepted for, so a
  // code works once.
  totpSecret: text("totp_secret"),
  totpEnabledAt: timestamptz("totp_enabled_at"),
  totpLastStep: bigint("totp_last_step", { mode: "number" }),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

// Recovery codes of a person's second factor: shown once, stored as keyed hashes, each used once.
export const recoveryCodes = pgTable(
  "recovery_codes",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    personId: uuid("person_id")
      .notNull()
      .references(() => persons.id, { onDelete: "cascade" }),
    codeHash: text("code_hash").notNull(),
    usedAt: timestamptz("used_at"),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("recovery_codes_person_hash_key").on(t.personId, t.codeHash)],
);

// A person's passkeys (WebAuthn credentials), a second factor like the authenticator app.
export const passkeys = pgTable(
  "passkeys",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    personId: uuid("person_id")
      .notNull()
      .references(() => persons.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    // base64url, as WebAuthn names it.
    credentialId: text("credential_id").notNull().unique(),
    publicKey: text("public_key").notNull(),
    signCount: bigint("sign_count", { mode: "number" }).notNull().default(0),
    transports: text("transports")
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    createdAt: createdAt(),
    lastUsedAt: timestamptz("last_used_at"),
  },
  (t) => [index("passkeys_person_idx").on(t.personId)],
);

// A WebAuthn ceremony in progress (lib/auth/passkeys.ts): the challenge the server sent, for one
// person and purpose, spent by the response that answers it (deleted), so no answer works twice.
export const webauthnChallenges = pgTable(
  "webauthn_challenges",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    personId: uuid("person_id")
      .notNull()
      .references(() => persons.id, { onDelete: "cascade" }),
    purpose: text("purpose", { enum: ["register", "sign_in"] }).notNull(),
    challenge: text("challenge").notNull(),
    expiresAt: timestamptz("expires_at").notNull(),
  },
  (t) => [index("webauthn_challenges_person_idx").on(t.personId)],
);

// An invitation to join an organization, for a person who already has an account (SPEC §14):
// the membership it describes exists only once they accept; declining deletes it.
export const invitations = pgTable(
  "invitations",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    organizationId: uuid("organization_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    personId: uuid("person_id")
      .notNull()
      .references(() => persons.id, { onDelete: "cascade" }),
    username: text("username").notNull(),
    displayName: text("display_name").notNull(),
    role: userRole("role").notNull().default("rep"),
    invitedByUserId: uuid("invited_by_user_id").references(() => users.id, { onDelete: "set null" }),
    createdAt: createdAt(),
    expiresAt: timestamptz("expires_at").notNull(),
  },
  (t) => [uniqueIndex("invitations_org_person_key").on(t.organizationId, t.personId), index("invitations_person_idx").on(t.personId)],
);

// A link that lets a person set their own password (lib/people/password-reset.ts): made when
// its mail is sent, never stored but as its hash, used once, and short-lived.
export const passwordResets = pgTable(
  "password_resets",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    personId: uuid("person_id")
      .notNull()
      .references(() => persons.id, { onDelete: "cascade" }),
    secretHash: text("secret_hash").notNull().unique(),
    expiresAt: timestamptz("expires_at").notNull(),
    usedAt: timestamptz("used_at"),
    createdAt: createdAt(),
  },
  (t) => [index("password_resets_person_idx").on(t.personId)],
);

// A membership: one person in one organization, with the role, active flag, username and display
// name that organization gave them. Tokens, sessions' actors and audit events name a membership
// (user_id), so a token belongs to one organization's membership and dies with it.
export const users = pgTable(
  "users",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    organizationId: uuid("organization_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    personId: uuid("person_id")
      .notNull()
      .references(() => persons.id, { onDelete: "cascade" }),
    username: text("username").notNull(),
    displayName: text("display_name").notNull(),
    role: userRole("role").notNull().default("rep"),
    active: boolean("active").notNull().default(true),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("users_org_username_key").on(t.organizationId, t.username),
    // A person is a member of an organization once.
    uniqueIndex("users_org_person_key").on(t.organizationId, t.personId),
    // A person's memberships (the header's organization select, sign-in).
    index("users_person_idx").on(t.personId),
    // Composite key so tokens can reference (organization, user) and never cross tenants.
    unique("users_org_id_key").on(t.organizationId, t.id),
  ],
);

// A signed-in browser (lib/auth/session-store.ts): a person's, not a membership's, so one
// sign-in works in each of their organizations, every request asking for its own membership. The
// session cookie carries the id; a request is signed in only while its row is live, so signing
// out and a password reset end it on the server, whatever copies of the cookie exist.
export const sessions = pgTable(
  "sessions",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    personId: uuid("person_id")
      .notNull()
      .references(() => persons.id, { onDelete: "cascade" }),
    createdAt: createdAt(),
    expiresAt: timestamptz("expires_at").notNull(),
    endedAt: timestamptz("ended_at"),
    // What /account's "Sessions" shows: the browser and address that signed in, and when the
    // session last made a request (written at most once a minute, lib/auth/session-store.ts).
    userAgent: text("user_agent"),
    ip: text("ip"),
    lastSeenAt: timestamptz("last_seen_at"),
    // When this session proved a second factor (at sign-in, or by setting up the person's first
    // one in it): what "Require two-factor authentication" asks of a session (SPEC §14).
    secondFactorAt: timestamptz("second_factor_at"),
  },
  (t) => [
    index("sessions_person_idx")
      .on(t.personId)
      .where(sql`${t.endedAt} is null`),
  ],
);

// An API of the platform that accepts the organization's tokens (SPEC §9). Its scopes are what a
// token for it may hold; the built-in "Tessera API" holds Tessera's own permissions. Keyed by
// (organization, id) so that scopes, presets, secrets and tokens can never point across tenants.
export const applications = pgTable(
  "applications",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    organizationId: uuid("organization_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    slug: text("slug").notNull(),
    name: text("name").notNull(),
    description: text("description").notNull().default(""),
    // What resource servers of this application expect in `aud`. Null only for the built-in
    // Tessera API, whose audience is the issuer itself (lib/env.ts), as before applications.
    audience: text("audience"),
    docsUrl: text("docs_url"),
    builtIn: boolean("built_in").notNull().default(false),
    archivedAt: timestamptz("archived_at"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    unique("applications_org_id_key").on(t.organizationId, t.id),
    uniqueIndex("applications_org_slug_key").on(t.organizationId, t.slug),
    // Two applications one cannot tell apart in the token dialog's "Application" select are a mistake.
    uniqueIndex("applications_org_name_key").on(t.organizationId, sql`lower(${t.name})`),
    uniqueIndex("applications_org_audience_key").on(t.organizationId, t.audience),
    uniqueIndex("applications_org_built_in_key")
      .on(t.organizationId)
      .where(sql`${t.builtIn}`),
    check("applications_audience_check", sql`${t.builtIn} OR ${t.audience} IS NOT NULL`),
  ],
);

const applicationOf = (t: { organizationId: AnyPgColumn; applicationId: AnyPgColumn }, name: string) =>
  foreignKey({
    name,
    columns: [t.organizationId, t.applicationId],
    foreignColumns: [applications.organizationId, applications.id],
  }).onDelete("cascade");

// One application's scope catalog. A scope is never deleted while tokens may store it: it is
// deprecated, which stops it (no longer offered, no longer effective), and restoring it brings it
// back to the tokens that store it.
export const applicationScopes = pgTable(
  "application_scopes",
  {
    organizationId: uuid("organization_id").notNull(),
    applicationId: uuid("application_id").notNull(),
    scope: text("scope").notNull(),
    description: text("description").notNull(),
    group: text("group_name").notNull(),
    docsUrl: text("docs_url"),
    adminOnly: boolean("admin_only").notNull().default(false),
    deprecatedAt: timestamptz("deprecated_at"),
    position: integer("position").notNull().default(0),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [primaryKey({ columns: [t.applicationId, t.scope] }), applicationOf(t, "application_scopes_application_fk")],
);

// Named scope sets offered in the create dialog ("Extended Access", "Read-only", …).
export const applicationPresets = pgTable(
  "application_presets",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    organizationId: uuid("organization_id").notNull(),
    applicationId: uuid("application_id").notNull(),
    name: text("name").notNull(),
    scopes: text("scopes").array().notNull(),
    position: integer("position").notNull().default(0),
  },
  (t) => [uniqueIndex("application_presets_name_key").on(t.applicationId, t.name), applicationOf(t, "application_presets_application_fk")],
);

// Client secrets of an application's resource servers (RFC 7662 §2.1, HTTP Basic): shown once,
// stored as a keyed hash like token values; at most two live at a time, for rotation.
export const applicationSecrets = pgTable(
  "application_secrets",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    organizationId: uuid("organization_id").notNull(),
    applicationId: uuid("application_id").notNull(),
    secretHash: text("secret_hash").notNull(),
    hashKeyVersion: integer("hash_key_version").notNull(),
    hint: text("hint").notNull(),
    createdById: uuid("created_by_id").references(() => users.id, { onDelete: "set null" }),
    createdAt: createdAt(),
    lastUsedAt: timestamptz("last_used_at"),
    revokedAt: timestamptz("revoked_at"),
  },
  (t) => [
    uniqueIndex("application_secrets_hash_key").on(t.secretHash),
    index("application_secrets_application_idx").on(t.organizationId, t.applicationId),
    applicationOf(t, "application_secrets_application_fk"),
  ],
);

export const personalAccessTokens = pgTable(
  "personal_access_tokens",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    organizationId: uuid("organization_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    userId: uuid("user_id").notNull(),
    // The one application the token is valid for (SPEC §9); it never changes.
    applicationId: uuid("application_id").notNull(),
    createdById: uuid("created_by_id").references(() => users.id, { onDelete: "set null" }),
    description: text("description").notNull(),
    accountSid: text("account_sid").notNull(),
    permissions: text("permissions")
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    expiresAt: timestamptz("expires_at"),
    active: boolean("active").notNull().default(true),
    revokedAt: timestamptz("revoked_at"),
    revokedById: uuid("revoked_by_id").references(() => users.id, { onDelete: "set null" }),
    revokeReason: text("revoke_reason"),
    lastUsedAt: timestamptz("last_used_at"),
    lastUsedIp: text("last_used_ip"),
    lastUsedUserAgent: text("last_used_user_agent"),
    rotatedFromId: uuid("rotated_from_id").references((): AnyPgColumn => personalAccessTokens.id, {
      onDelete: "set null",
    }),
    // Rotation (SPEC §11). A rotated-out token is revoked (its successor holds the account SID)
    // with rotated_at set; it keeps working until grace_until. Rotated "until N seconds after the
    // new value's first use", grace_until starts at the policy's maximum and is brought forward to
    // the successor's first use plus retire_after_first_use_seconds (lib/tokens/usage.ts).
    rotatedAt: timestamptz("rotated_at"),
    graceUntil: timestamptz("grace_until"),
    retireAfterFirstUseSeconds: integer("retire_after_first_use_seconds"),
    firstUsedAt: timestamptz("first_used_at"),
    // The last `token.reused` alert: at most one an hour per token, across instances.
    reusedAt: timestamptz("reused_at"),
    // When the owner was told it will be revoked for lack of use (reset by any later use).
    idleNoticeAt: timestamptz("idle_notice_at"),
    // Restrictions (SPEC §12), enforced on every verification: the CIDRs a request may come from
    // (null: anywhere), requests per minute (null: unlimited), and the first moment it works.
    allowedCidrs: text("allowed_cidrs").array(),
    rateLimitPerMinute: integer("rate_limit_per_minute"),
    validFrom: timestamptz("valid_from"),
    // HMAC-SHA256(server key, token) — never the token itself (SPEC §4).
    secretHash: text("secret_hash").notNull(),
    hashKeyVersion: integer("hash_key_version").notNull(),
    hint: text("hint").notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    // The owner must belong to the token's organization: enforced by the database itself.
    foreignKey({
      name: "pat_owner_fk",
      columns: [t.organizationId, t.userId],
      foreignColumns: [users.organizationId, users.id],
    }).onDelete("cascade"),
    foreignKey({
      name: "pat_application_fk",
      columns: [t.organizationId, t.applicationId],
      foreignColumns: [applications.organizationId, applications.id],
    }),
    // The application filter, and the count of live tokens an archive stops.
    index("pat_org_application_created_at_idx").on(t.organizationId, t.applicationId, t.createdAt, t.id),
    uniqueIndex("pat_secret_hash_key").on(t.secretHash),
    // Unique among the organization's live tokens: a regenerated token keeps its account SID
    // while the revoked predecessor keeps it in the history.
    uniqueIndex("pat_org_account_sid_key")
      .on(t.organizationId, t.accountSid)
      .where(sql`${t.revokedAt} is null`),
    // Keyset pagination (lib/tokens/queries.ts), one index per sort, each led by the organization
    // (one rep's page in another sort walks these, skipping the others' rows, or sorts the rep's
    // own rows when they are few: the planner picks). Ascending, so one index serves both
    // directions: a descending index would be "DESC NULLS LAST" and could not give ORDER BY … DESC
    // (NULLS FIRST) without a sort. Expressions are the sorts' own, verbatim, or the planner cannot
    // match them. Last use is written at most once a minute per token (lib/tokens/last-used.ts);
    // that its index makes those updates non-HOT is the price of sorting by it.
    index("pat_org_created_at_idx").on(t.organizationId, t.createdAt, t.id),
    index("pat_org_user_created_at_idx").on(t.organizationId, t.userId, t.createdAt, t.id),
    index("pat_org_description_idx").on(t.organizationId, t.description, t.id),
    index("pat_org_expires_idx").on(t.organizationId, sql`coalesce(${t.expiresAt}, 'infinity'::timestamptz)`, t.id),
    index("pat_org_last_used_idx").on(t.organizationId, sql`coalesce(${t.lastUsedAt}, '-infinity'::timestamptz)`, t.id),
    // One rep's tokens by last use: most of them were never used, so walking the organization's
    // index from the most recent use would step over everyone else's tokens first.
    index("pat_org_user_last_used_idx").on(t.organizationId, t.userId, sql`coalesce(${t.lastUsedAt}, '-infinity'::timestamptz)`, t.id),
    // The state filters and their capped counts read these alone: live tokens by switch and
    // expiry (unexpired first: the active count need not step over the expired), and the revoked.
    // The expiry notices scan the first too.
    index("pat_org_live_idx")
      .on(t.organizationId, t.active, t.expiresAt.desc().nullsFirst())
      .where(sql`${t.revokedAt} is null`),
    index("pat_org_revoked_idx")
      .on(t.organizationId)
      .where(sql`${t.revokedAt} is not null`),
    // Each person's working tokens, counted on the reps page (lib/reps/queries.ts).
    index("pat_org_user_live_idx")
      .on(t.organizationId, t.userId, t.active, t.expiresAt.desc().nullsFirst())
      .where(sql`${t.revokedAt} is null`),
    // Search (ILIKE '%…%') by trigram within the organization (btree_gin puts its id in the same
    // index), so one tenant's search never reads another's rows; usernames are searched in users.
    index("pat_org_description_trgm_idx").using("gin", t.organizationId, t.description.op("gin_trgm_ops")),
    index("pat_org_account_sid_trgm_idx").using("gin", t.organizationId, t.accountSid.op("gin_trgm_ops")),
  ],
);

// Requests and refused authentications per token and hour (SPEC §11), written in batches off
// the request path (lib/tokens/usage.ts) and pruned after USAGE_RETENTION_DAYS.
export const tokenUsageHourly = pgTable(
  "token_usage_hourly",
  {
    tokenId: uuid("token_id")
      .notNull()
      .references(() => personalAccessTokens.id, { onDelete: "cascade" }),
    organizationId: uuid("organization_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    hour: timestamptz("hour").notNull(),
    requests: integer("requests").notNull().default(0),
    failures: integer("failures").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.tokenId, t.hour] }), index("token_usage_hourly_hour_idx").on(t.hour)],
);

// The client addresses a token was used from, with first and last use (SPEC §11).
export const tokenClientAddresses = pgTable(
  "token_client_addresses",
  {
    tokenId: uuid("token_id")
      .notNull()
      .references(() => personalAccessTokens.id, { onDelete: "cascade" }),
    organizationId: uuid("organization_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    ip: text("ip").notNull(),
    userAgent: text("user_agent"),
    firstSeenAt: timestamptz("first_seen_at").notNull(),
    lastSeenAt: timestamptz("last_seen_at").notNull(),
    requests: integer("requests").notNull().default(0),
  },
  (t) => [
    primaryKey({ columns: [t.tokenId, t.ip] }),
    index("token_client_addresses_token_last_seen_idx").on(t.tokenId, t.lastSeenAt),
    index("token_client_addresses_last_seen_idx").on(t.lastSeenAt),
  ],
);

// Account SIDs of deleted tokens: a SID names one token lineage for good (resource servers may
// still hold grants for it), so deleting the token must not free it for another.
export const retiredAccountSids = pgTable(
  "retired_account_sids",
  {
    organizationId: uuid("organization_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    accountSid: text("account_sid").notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.organizationId, t.accountSid] })],
);

export const auditEvents = pgTable(
  "audit_events",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    // Null only for failures that belong to no organization: sign-in with an unknown e-mail
    // address, an API call with a value that matches no token.
    organizationId: uuid("organization_id").references(() => organizations.id, { onDelete: "cascade" }),
    occurredAt: timestamptz("occurred_at").notNull().defaultNow(),
    actorUserId: uuid("actor_user_id").references(() => users.id, { onDelete: "set null" }),
    // No foreign key: the audit trail outlives deleted tokens.
    actorTokenId: uuid("actor_token_id"),
    action: text("action").notNull(),
    targetType: text("target_type"),
    targetId: text("target_id"),
    targetUserId: uuid("target_user_id").references(() => users.id, { onDelete: "set null" }),
    ip: text("ip"),
    userAgent: text("user_agent"),
    details: jsonb("details").$type<Record<string, unknown>>().notNull().default({}),
  },
  (t) => [
    // Newest first (scanned backward; see the tokens' indexes), alone and by each filter of
    // lib/audit/log.ts; the action index also finds the minute's counted event (lib/audit/record.ts).
    index("audit_org_occurred_at_idx").on(t.organizationId, t.occurredAt, t.id),
    index("audit_org_action_at_idx").on(t.organizationId, t.action, t.occurredAt, t.id),
    index("audit_org_actor_idx").on(t.organizationId, t.actorUserId, t.occurredAt, t.id),
    index("audit_org_target_user_idx").on(t.organizationId, t.targetUserId, t.occurredAt, t.id),
  ],
);

export const notificationKind = pgEnum("notification_kind", [
  "token.expiring",
  "token.expired",
  "token.created_for_you",
  "token.revoked_by_admin",
  "membership.added",
  "person.password_reset",
  "token.reused",
  "token.idle",
  "token.leaked",
  "token.exposed",
]);

export const notifications = pgTable(
  "notifications",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    organizationId: uuid("organization_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    recipientUserId: uuid("recipient_user_id").references(() => users.id, { onDelete: "set null" }),
    recipient: text("recipient").notNull(),
    kind: notificationKind("kind").notNull(),
    subject: text("subject").notNull(),
    body: text("body").notNull(),
    // Makes "exactly once per token and threshold" a constraint rather than a hope.
    dedupeKey: text("dedupe_key").unique(),
    createdAt: createdAt(),
    sentAt: timestamptz("sent_at"),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: timestamptz("next_attempt_at").notNull().defaultNow(),
    lastError: text("last_error"),
  },
  (t) => [
    index("notifications_pending_idx")
      .on(t.nextAttemptAt)
      .where(sql`${t.sentAt} is null`),
    // The outbox page, newest first (lib/notifications/outbox.ts).
    index("notifications_org_created_idx").on(t.organizationId, t.createdAt, t.id),
  ],
);

// Store of rate-limiter-flexible's RateLimiterDrizzle (shared by every app instance).
export const rateLimits = pgTable("rate_limits", {
  key: text("key").primaryKey(),
  points: integer("points").notNull().default(0),
  expire: timestamptz("expire"),
});

// Webhook endpoints (SPEC §12): where an organization's token events are POSTed, signed per the
// Standard Webhooks specification (lib/webhooks/). Keyed by (organization, id) so that secrets and
// deliveries can never point across tenants.
export const webhookEndpoints = pgTable(
  "webhook_endpoints",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    organizationId: uuid("organization_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    url: text("url").notNull(),
    description: text("description").notNull().default(""),
    // The event types it receives (lib/webhooks/events.ts).
    events: text("events").array().notNull(),
    active: boolean("active").notNull().default(true),
    createdById: uuid("created_by_id").references(() => users.id, { onDelete: "set null" }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    unique("webhook_endpoints_org_id_key").on(t.organizationId, t.id),
    index("webhook_endpoints_org_created_idx").on(t.organizationId, t.createdAt),
  ],
);

const endpointOf = (t: { organizationId: AnyPgColumn; endpointId: AnyPgColumn }, name: string) =>
  foreignKey({
    name,
    columns: [t.organizationId, t.endpointId],
    foreignColumns: [webhookEndpoints.organizationId, webhookEndpoints.id],
  }).onDelete("cascade");

// An endpoint's signing secrets. They must be read back to sign, so they rest encrypted under the
// server secret (like signing keys). After a rotation the previous one keeps signing too, until
// expires_at, so receivers can switch over without dropping a delivery.
export const webhookSecrets = pgTable(
  "webhook_secrets",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    organizationId: uuid("organization_id").notNull(),
    endpointId: uuid("endpoint_id").notNull(),
    encryptedSecret: text("encrypted_secret").notNull(),
    createdAt: createdAt(),
    expiresAt: timestamptz("expires_at"),
  },
  (t) => [index("webhook_secrets_endpoint_idx").on(t.organizationId, t.endpointId), endpointOf(t, "webhook_secrets_endpoint_fk")],
);

// One message to one endpoint, written in the transaction of the change it reports and sent
// from there with retries (the outbox pattern); its id is the Standard Webhooks `webhook-id`.
export const webhookDeliveries = pgTable(
  "webhook_deliveries",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    organizationId: uuid("organization_id").notNull(),
    endpointId: uuid("endpoint_id").notNull(),
    eventType: text("event_type").notNull(),
    payload: jsonb("payload").$type<Record<string, unknown>>().notNull(),
    createdAt: createdAt(),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: timestamptz("next_attempt_at").notNull().defaultNow(),
    deliveredAt: timestamptz("delivered_at"),
    // Set when retries are exhausted.
    failedAt: timestamptz("failed_at"),
    lastStatus: integer("last_status"),
    lastError: text("last_error"),
  },
  (t) => [
    index("webhook_deliveries_pending_idx")
      .on(t.nextAttemptAt)
      .where(sql`${t.deliveredAt} is null and ${t.failedAt} is null`),
    index("webhook_deliveries_endpoint_created_idx").on(t.organizationId, t.endpointId, t.createdAt, t.id),
    unique("webhook_deliveries_org_id_key").on(t.organizationId, t.id),
    endpointOf(t, "webhook_deliveries_endpoint_fk"),
  ],
);

// Each attempt at a delivery, with the response status (or the error), for the delivery log.
export const webhookAttempts = pgTable(
  "webhook_attempts",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    organizationId: uuid("organization_id").notNull(),
    deliveryId: uuid("delivery_id").notNull(),
    attemptedAt: timestamptz("attempted_at").notNull().defaultNow(),
    status: integer("status"),
    error: text("error"),
    durationMs: integer("duration_ms").notNull(),
  },
  (t) => [
    index("webhook_attempts_delivery_idx").on(t.organizationId, t.deliveryId, t.attemptedAt),
    foreignKey({
      name: "webhook_attempts_delivery_fk",
      columns: [t.organizationId, t.deliveryId],
      foreignColumns: [webhookDeliveries.organizationId, webhookDeliveries.id],
    }).onDelete("cascade"),
  ],
);

export type WebhookEndpoint = typeof webhookEndpoints.$inferSelect;
export type WebhookDelivery = typeof webhookDeliveries.$inferSelect;

export const organizationsRelations = relations(organizations, ({ many }) => ({
  users: many(users),
  tokens: many(personalAccessTokens),
}));

export const usersRelations = relations(users, ({ one, many }) => ({
  organization: one(organizations, { fields: [users.organizationId], references: [organizations.id] }),
  person: one(persons, { fields: [users.personId], references: [persons.id] }),
  tokens: many(personalAccessTokens, { relationName: "owner" }),
}));

export const personalAccessTokensRelations = relations(personalAccessTokens, ({ one }) => ({
  organization: one(organizations, {
    fields: [personalAccessTokens.organizationId],
    references: [organizations.id],
  }),
  owner: one(users, {
    fields: [personalAccessTokens.userId],
    references: [users.id],
    relationName: "owner",
  }),
}));

export type Application = typeof applications.$inferSelect;
export type ApplicationScope = typeof applicationScopes.$inferSelect;
export type ApplicationPreset = typeof applicationPresets.$inferSelect;
export type ApplicationSecret = typeof applicationSecrets.$inferSelect;
export type Organization = typeof organizations.$inferSelect;
export type Person = typeof persons.$inferSelect;
export type User = typeof users.$inferSelect;
export type PersonalAccessToken = typeof personalAccessTokens.$inferSelect;
export type Session = typeof sessions.$inferSelect;
export type AuditEvent = typeof auditEvents.$inferSelect;
export type NewAuditEvent = typeof auditEvents.$inferInsert;
export type Notification = typeof notifications.$inferSelect;

// Keys that sign exchanged JWTs (RFC 8693). The private key is encrypted under the server
// secret; a superseded key stays published until every JWT it signed has expired.
export const signingKeys = pgTable("signing_keys", {
  kid: text("kid").primaryKey(),
  algorithm: text("algorithm").notNull(),
  publicJwk: jsonb("public_jwk").$type<Record<string, unknown>>().notNull(),
  encryptedPrivateKey: text("encrypted_private_key").notNull(),
  createdAt: createdAt(),
  supersededAt: timestamptz("superseded_at"),
});

export type SigningKey = typeof signingKeys.$inferSelect;
