-- People in several organizations (SPEC §10): every user becomes a person (same id, e-mail,
-- password and last sign-in) with that user as their one membership. No token, session or
-- audit event changes owner; sessions move to the person they were signed in as.
ALTER TYPE "public"."notification_kind" ADD VALUE 'membership.added';--> statement-breakpoint
ALTER TYPE "public"."notification_kind" ADD VALUE 'person.password_reset';--> statement-breakpoint
CREATE TABLE "persons" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"email" text NOT NULL,
	"password_hash" text NOT NULL,
	"password_provisional" boolean DEFAULT false NOT NULL,
	"last_sign_in_at" timestamp (3) with time zone,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "persons_email_unique" UNIQUE("email")
);
--> statement-breakpoint
-- Every earlier password was set by an admin or a script, never chosen through a mailed link: provisional.
INSERT INTO "persons" ("id", "email", "password_hash", "password_provisional", "last_sign_in_at", "created_at", "updated_at")
  SELECT "id", "email", "password_hash", true, "last_sign_in_at", "created_at", "updated_at" FROM "users";--> statement-breakpoint
-- Slugs the console's own paths now use cannot name an organization (lib/organizations/slug.ts).
-- An organization that had one gets "<slug>-<first 8 hex digits of its id>", unique by construction.
UPDATE "organizations" SET "slug" = "slug" || '-' || substr("id"::text, 1, 8)
  WHERE "slug" IN ('admin', 'api', 'docs', 'login', 'logout', 'options', 'reset-password', 'settings', '_next', '.well-known', 'favicon.ico', 'robots.txt');--> statement-breakpoint
ALTER TABLE "users" DROP CONSTRAINT "users_email_unique";--> statement-breakpoint
ALTER TABLE "sessions" DROP CONSTRAINT "sessions_user_fk";
--> statement-breakpoint
DROP INDEX "sessions_user_idx";--> statement-breakpoint
ALTER TABLE "sessions" ADD COLUMN "person_id" uuid;--> statement-breakpoint
UPDATE "sessions" SET "person_id" = "user_id";--> statement-breakpoint
ALTER TABLE "sessions" ALTER COLUMN "person_id" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "person_id" uuid;--> statement-breakpoint
UPDATE "users" SET "person_id" = "id";--> statement-breakpoint
ALTER TABLE "users" ALTER COLUMN "person_id" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "sessions" ADD CONSTRAINT "sessions_person_id_persons_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."persons"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "users" ADD CONSTRAINT "users_person_id_persons_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."persons"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "sessions_person_idx" ON "sessions" USING btree ("person_id") WHERE "sessions"."ended_at" is null;--> statement-breakpoint
CREATE UNIQUE INDEX "users_org_person_key" ON "users" USING btree ("organization_id","person_id");--> statement-breakpoint
CREATE INDEX "users_person_idx" ON "users" USING btree ("person_id");--> statement-breakpoint
ALTER TABLE "sessions" DROP COLUMN "organization_id";--> statement-breakpoint
ALTER TABLE "sessions" DROP COLUMN "user_id";--> statement-breakpoint
ALTER TABLE "users" DROP COLUMN "email";--> statement-breakpoint
ALTER TABLE "users" DROP COLUMN "password_hash";--> statement-breakpoint
ALTER TABLE "users" DROP COLUMN "last_sign_in_at";--> statement-breakpoint
CREATE TABLE "password_resets" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"person_id" uuid NOT NULL,
	"secret_hash" text NOT NULL,
	"expires_at" timestamp (3) with time zone NOT NULL,
	"used_at" timestamp (3) with time zone,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "password_resets_secret_hash_unique" UNIQUE("secret_hash")
);
--> statement-breakpoint
ALTER TABLE "password_resets" ADD CONSTRAINT "password_resets_person_id_persons_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."persons"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "password_resets_person_idx" ON "password_resets" USING btree ("person_id");
