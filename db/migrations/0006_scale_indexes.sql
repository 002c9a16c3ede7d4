-- Trigram indexes for token search (pg_trgm is a trusted extension: the database owner may create it).
CREATE EXTENSION IF NOT EXISTS pg_trgm;--> statement-breakpoint
DROP INDEX "audit_org_occurred_idx";--> statement-breakpoint
DROP INDEX "audit_org_action_idx";--> statement-breakpoint
DROP INDEX "pat_org_created_idx";--> statement-breakpoint
DROP INDEX "pat_org_user_created_idx";--> statement-breakpoint
CREATE INDEX "audit_org_actor_idx" ON "audit_events" USING btree ("organization_id","actor_user_id","occurred_at","id");--> statement-breakpoint
CREATE INDEX "audit_org_target_user_idx" ON "audit_events" USING btree ("organization_id","target_user_id","occurred_at","id");--> statement-breakpoint
CREATE INDEX "notifications_org_created_idx" ON "notifications" USING btree ("organization_id","created_at","id");--> statement-breakpoint
CREATE INDEX "pat_org_description_idx" ON "personal_access_tokens" USING btree ("organization_id","description","id");--> statement-breakpoint
CREATE INDEX "pat_org_expires_idx" ON "personal_access_tokens" USING btree ("organization_id",coalesce("expires_at", 'infinity'::timestamptz),"id");--> statement-breakpoint
CREATE INDEX "pat_org_last_used_idx" ON "personal_access_tokens" USING btree ("organization_id",coalesce("last_used_at", '-infinity'::timestamptz),"id");--> statement-breakpoint
CREATE INDEX "pat_org_live_idx" ON "personal_access_tokens" USING btree ("organization_id","active","expires_at" DESC NULLS FIRST) WHERE "personal_access_tokens"."revoked_at" is null;--> statement-breakpoint
CREATE INDEX "pat_org_revoked_idx" ON "personal_access_tokens" USING btree ("organization_id") WHERE "personal_access_tokens"."revoked_at" is not null;--> statement-breakpoint
CREATE INDEX "pat_org_user_live_idx" ON "personal_access_tokens" USING btree ("organization_id","user_id","active","expires_at" DESC NULLS FIRST) WHERE "personal_access_tokens"."revoked_at" is null;--> statement-breakpoint
CREATE INDEX "pat_description_trgm_idx" ON "personal_access_tokens" USING gin ("description" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "pat_account_sid_trgm_idx" ON "personal_access_tokens" USING gin ("account_sid" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "audit_org_occurred_idx" ON "audit_events" USING btree ("organization_id","occurred_at","id");--> statement-breakpoint
CREATE INDEX "audit_org_action_idx" ON "audit_events" USING btree ("organization_id","action","occurred_at","id");--> statement-breakpoint
CREATE INDEX "pat_org_created_idx" ON "personal_access_tokens" USING btree ("organization_id","created_at","id");--> statement-breakpoint
CREATE INDEX "pat_org_user_created_idx" ON "personal_access_tokens" USING btree ("organization_id","user_id","created_at","id");