ALTER TYPE "public"."notification_kind" ADD VALUE 'token.reused';--> statement-breakpoint
ALTER TYPE "public"."notification_kind" ADD VALUE 'token.idle';--> statement-breakpoint
ALTER TYPE "public"."notification_kind" ADD VALUE 'token.leaked';--> statement-breakpoint
CREATE TABLE "token_client_addresses" (
	"token_id" uuid NOT NULL,
	"organization_id" uuid NOT NULL,
	"ip" text NOT NULL,
	"user_agent" text,
	"first_seen_at" timestamp (3) with time zone NOT NULL,
	"last_seen_at" timestamp (3) with time zone NOT NULL,
	"requests" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "token_client_addresses_token_id_ip_pk" PRIMARY KEY("token_id","ip")
);
--> statement-breakpoint
CREATE TABLE "token_usage_hourly" (
	"token_id" uuid NOT NULL,
	"organization_id" uuid NOT NULL,
	"hour" timestamp (3) with time zone NOT NULL,
	"requests" integer DEFAULT 0 NOT NULL,
	"failures" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "token_usage_hourly_token_id_hour_pk" PRIMARY KEY("token_id","hour")
);
--> statement-breakpoint
ALTER TABLE "organizations" ADD COLUMN "max_grace_days" integer DEFAULT 7 NOT NULL;--> statement-breakpoint
ALTER TABLE "organizations" ADD COLUMN "deactivate_successor_on_reuse" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "organizations" ADD COLUMN "revoke_unused_after_days" integer;--> statement-breakpoint
ALTER TABLE "personal_access_tokens" ADD COLUMN "rotated_at" timestamp (3) with time zone;--> statement-breakpoint
ALTER TABLE "personal_access_tokens" ADD COLUMN "grace_until" timestamp (3) with time zone;--> statement-breakpoint
ALTER TABLE "personal_access_tokens" ADD COLUMN "retire_after_first_use_seconds" integer;--> statement-breakpoint
ALTER TABLE "personal_access_tokens" ADD COLUMN "first_used_at" timestamp (3) with time zone;--> statement-breakpoint
ALTER TABLE "personal_access_tokens" ADD COLUMN "reused_at" timestamp (3) with time zone;--> statement-breakpoint
ALTER TABLE "personal_access_tokens" ADD COLUMN "idle_notice_at" timestamp (3) with time zone;--> statement-breakpoint
ALTER TABLE "token_client_addresses" ADD CONSTRAINT "token_client_addresses_token_id_personal_access_tokens_id_fk" FOREIGN KEY ("token_id") REFERENCES "public"."personal_access_tokens"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "token_client_addresses" ADD CONSTRAINT "token_client_addresses_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "token_usage_hourly" ADD CONSTRAINT "token_usage_hourly_token_id_personal_access_tokens_id_fk" FOREIGN KEY ("token_id") REFERENCES "public"."personal_access_tokens"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "token_usage_hourly" ADD CONSTRAINT "token_usage_hourly_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "token_client_addresses_token_last_seen_idx" ON "token_client_addresses" USING btree ("token_id","last_seen_at");--> statement-breakpoint
CREATE INDEX "token_client_addresses_last_seen_idx" ON "token_client_addresses" USING btree ("last_seen_at");--> statement-breakpoint
CREATE INDEX "token_usage_hourly_hour_idx" ON "token_usage_hourly" USING btree ("hour");--> statement-breakpoint
-- Tokens regenerated before grace periods existed were rotated out at once: mark them, so a later
-- use of such a value is recognized as reuse (SPEC §11).
UPDATE "personal_access_tokens" AS p SET "rotated_at" = p."revoked_at", "grace_until" = p."revoked_at"
  WHERE p."revoked_at" IS NOT NULL
    AND EXISTS (SELECT 1 FROM "personal_access_tokens" s WHERE s."rotated_from_id" = p."id");--> statement-breakpoint
-- A rotated-out value works until grace_until: its changes must reach every instance's cache too.
DROP TRIGGER IF EXISTS pat_verification_changed ON personal_access_tokens;--> statement-breakpoint
CREATE TRIGGER pat_verification_changed
  AFTER UPDATE ON personal_access_tokens
  FOR EACH ROW
  WHEN (
    OLD.revoked_at IS DISTINCT FROM NEW.revoked_at
    OR OLD.active IS DISTINCT FROM NEW.active
    OR OLD.expires_at IS DISTINCT FROM NEW.expires_at
    OR OLD.permissions IS DISTINCT FROM NEW.permissions
    OR OLD.secret_hash IS DISTINCT FROM NEW.secret_hash
    OR OLD.user_id IS DISTINCT FROM NEW.user_id
    OR OLD.description IS DISTINCT FROM NEW.description
    OR OLD.account_sid IS DISTINCT FROM NEW.account_sid
    OR OLD.rotated_at IS DISTINCT FROM NEW.rotated_at
    OR OLD.grace_until IS DISTINCT FROM NEW.grace_until
  )
  EXECUTE FUNCTION tessera_notify_verification();
