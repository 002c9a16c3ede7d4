ALTER TABLE "persons" ADD COLUMN "password_organization_id" uuid;--> statement-breakpoint
ALTER TABLE "persons" ADD CONSTRAINT "persons_password_organization_id_organizations_id_fk" FOREIGN KEY ("password_organization_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
-- A password an admin set opens that admin's organization alone (SPEC §14). Earlier versions
-- withdrew such a password whenever its person joined another organization, so a provisional
-- password belongs to the person's first membership's organization.
UPDATE "persons" p SET "password_organization_id" = (
  SELECT u."organization_id" FROM "users" u WHERE u."person_id" = p."id" ORDER BY u."created_at", u."id" LIMIT 1
) WHERE p."password_provisional";
