ALTER TABLE "persons" DROP COLUMN "password_provisional";--> statement-breakpoint
-- /account is the person's own page now (SPEC §14): an organization named "account" moves aside,
-- as migration 0008 moved those named like the console's other paths.
UPDATE "organizations" SET "slug" = 'account-' || left("id"::text, 8) WHERE "slug" = 'account';
