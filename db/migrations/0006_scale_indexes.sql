-- Indexes for a million tokens and ten million audit events (README, "Upgrading a large database").
-- Every index is IF NOT EXISTS: on a large database, build them beforehand with CREATE INDEX
-- CONCURRENTLY (same statements), and this migration, which runs in one transaction under a lock on
-- the tables, only drops the indexes they replace.
-- pg_trgm and btree_gin are trusted extensions: a role with CREATE on the database may add them.
CREATE EXTENSION IF NOT EXISTS pg_trgm;--> statement-breakpoint
CREATE EXTENSION IF NOT EXISTS btree_gin;--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "audit_org_occurred_at_idx" ON "audit_events" USING btree ("organization_id","occurred_at","id");--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "audit_org_action_at_idx" ON "audit_events" USING btree ("organization_id","action","occurred_at","id");--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "audit_org_actor_idx" ON "audit_events" USING btree ("organization_id","actor_user_id","occurred_at","id");--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "audit_org_target_user_idx" ON "audit_events" USING btree ("organization_id","target_user_id","occurred_at","id");--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "notifications_org_created_idx" ON "notifications" USING btree ("organization_id","created_at","id");--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "pat_org_created_at_idx" ON "personal_access_tokens" USING btree ("organization_id","created_at","id");--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "pat_org_user_created_at_idx" ON "personal_access_tokens" USING btree ("organization_id","user_id","created_at","id");--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "pat_org_description_idx" ON "personal_access_tokens" USING btree ("organization_id","description","id");--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "pat_org_expires_idx" ON "personal_access_tokens" USING btree ("organization_id",coalesce("expires_at", 'infinity'::timestamptz),"id");--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "pat_org_last_used_idx" ON "personal_access_tokens" USING btree ("organization_id",coalesce("last_used_at", '-infinity'::timestamptz),"id");--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "pat_org_user_last_used_idx" ON "personal_access_tokens" USING btree ("organization_id","user_id",coalesce("last_used_at", '-infinity'::timestamptz),"id");--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "pat_org_live_idx" ON "personal_access_tokens" USING btree ("organization_id","active","expires_at" DESC NULLS FIRST) WHERE "personal_access_tokens"."revoked_at" is null;--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "pat_org_revoked_idx" ON "personal_access_tokens" USING btree ("organization_id") WHERE "personal_access_tokens"."revoked_at" is not null;--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "pat_org_user_live_idx" ON "personal_access_tokens" USING btree ("organization_id","user_id","active","expires_at" DESC NULLS FIRST) WHERE "personal_access_tokens"."revoked_at" is null;--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "pat_org_description_trgm_idx" ON "personal_access_tokens" USING gin ("organization_id","description" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "pat_org_account_sid_trgm_idx" ON "personal_access_tokens" USING gin ("organization_id","account_sid" gin_trgm_ops);--> statement-breakpoint
DROP INDEX IF EXISTS "audit_org_occurred_idx";--> statement-breakpoint
DROP INDEX IF EXISTS "audit_org_action_idx";--> statement-breakpoint
DROP INDEX IF EXISTS "pat_org_created_idx";--> statement-breakpoint
DROP INDEX IF EXISTS "pat_org_user_created_idx";
