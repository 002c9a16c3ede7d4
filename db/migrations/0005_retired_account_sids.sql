CREATE TABLE "retired_account_sids" (
	"organization_id" uuid NOT NULL,
	"account_sid" text NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "retired_account_sids_organization_id_account_sid_pk" PRIMARY KEY("organization_id","account_sid")
);
--> statement-breakpoint
ALTER TABLE "retired_account_sids" ADD CONSTRAINT "retired_account_sids_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
-- SIDs of tokens deleted before this table existed, from the audit trail's snapshots.
INSERT INTO "retired_account_sids" ("organization_id", "account_sid")
SELECT DISTINCT "organization_id", "details"->>'accountSid' FROM "audit_events"
WHERE "action" = 'token.deleted' AND "organization_id" IS NOT NULL AND "details"->>'accountSid' IS NOT NULL
ON CONFLICT DO NOTHING;
