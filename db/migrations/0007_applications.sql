-- Applications and their scopes (SPEC §9). Hand-edited after drizzle-kit generate: the token
-- column is added nullable, every existing organization gets the built-in "Tessera API" and an
-- "Enterprise REST API" holding the domain permissions of the constant catalog it replaces
-- (frozen here: later catalog changes must not rewrite history), each token moves to the
-- application holding most of its permissions, and only then the column becomes NOT NULL.
-- Cache invalidation triggers (as in 0002) follow at the end.
CREATE TABLE "application_presets" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organization_id" uuid NOT NULL,
	"application_id" uuid NOT NULL,
	"name" text NOT NULL,
	"scopes" text[] NOT NULL,
	"position" integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "application_scopes" (
	"organization_id" uuid NOT NULL,
	"application_id" uuid NOT NULL,
	"scope" text NOT NULL,
	"description" text NOT NULL,
	"group_name" text NOT NULL,
	"docs_url" text,
	"admin_only" boolean DEFAULT false NOT NULL,
	"deprecated_at" timestamp (3) with time zone,
	"position" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "application_scopes_application_id_scope_pk" PRIMARY KEY("application_id","scope")
);
--> statement-breakpoint
CREATE TABLE "application_secrets" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organization_id" uuid NOT NULL,
	"application_id" uuid NOT NULL,
	"secret_hash" text NOT NULL,
	"hash_key_version" integer NOT NULL,
	"hint" text NOT NULL,
	"created_by_id" uuid,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"last_used_at" timestamp (3) with time zone,
	"revoked_at" timestamp (3) with time zone
);
--> statement-breakpoint
CREATE TABLE "applications" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organization_id" uuid NOT NULL,
	"slug" text NOT NULL,
	"name" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"audience" text,
	"docs_url" text,
	"built_in" boolean DEFAULT false NOT NULL,
	"archived_at" timestamp (3) with time zone,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "applications_org_id_key" UNIQUE("organization_id","id")
);
--> statement-breakpoint
ALTER TABLE "personal_access_tokens" ADD COLUMN "application_id" uuid;--> statement-breakpoint
ALTER TABLE "application_presets" ADD CONSTRAINT "application_presets_application_fk" FOREIGN KEY ("organization_id","application_id") REFERENCES "public"."applications"("organization_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "application_scopes" ADD CONSTRAINT "application_scopes_application_fk" FOREIGN KEY ("organization_id","application_id") REFERENCES "public"."applications"("organization_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "application_secrets" ADD CONSTRAINT "application_secrets_created_by_id_users_id_fk" FOREIGN KEY ("created_by_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "application_secrets" ADD CONSTRAINT "application_secrets_application_fk" FOREIGN KEY ("organization_id","application_id") REFERENCES "public"."applications"("organization_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "applications" ADD CONSTRAINT "applications_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "application_presets_name_key" ON "application_presets" USING btree ("application_id","name");--> statement-breakpoint
CREATE UNIQUE INDEX "application_secrets_hash_key" ON "application_secrets" USING btree ("secret_hash");--> statement-breakpoint
CREATE INDEX "application_secrets_application_idx" ON "application_secrets" USING btree ("organization_id","application_id");--> statement-breakpoint
CREATE UNIQUE INDEX "applications_org_slug_key" ON "applications" USING btree ("organization_id","slug");--> statement-breakpoint
CREATE UNIQUE INDEX "applications_org_name_key" ON "applications" USING btree ("organization_id",lower("name"));--> statement-breakpoint
CREATE UNIQUE INDEX "applications_org_audience_key" ON "applications" USING btree ("organization_id","audience");--> statement-breakpoint
CREATE UNIQUE INDEX "applications_org_built_in_key" ON "applications" USING btree ("organization_id") WHERE "applications"."built_in";--> statement-breakpoint
ALTER TABLE "applications" ADD CONSTRAINT "applications_audience_check" CHECK ("built_in" OR "audience" IS NOT NULL);--> statement-breakpoint
INSERT INTO "applications" ("organization_id", "slug", "name", "description", "audience", "docs_url", "built_in")
SELECT "id", 'tessera-api', 'Tessera API', 'Manage this organization''s access tokens, reps, audit log and applications.', NULL, NULL, true FROM "organizations";--> statement-breakpoint
INSERT INTO "applications" ("organization_id", "slug", "name", "description", "audience", "docs_url", "built_in")
SELECT "id", 'enterprise-rest-api', 'Enterprise REST API', 'Employees, customers, orders, assignments, assessments, documents and messages.', 'https://api.enterprise.example', 'https://api.enterprise.example/docs', false FROM "organizations";--> statement-breakpoint
INSERT INTO "application_scopes" ("organization_id", "application_id", "scope", "description", "group_name", "docs_url", "admin_only", "position")
SELECT a."organization_id", a."id", s.scope, s.description, s.group_name, s.docs_url, s.admin_only, s.position
FROM "applications" a
JOIN (VALUES
  ('tessera-api', 'tokens:read', 'List and view the owner''s own access tokens', 'tokens', NULL, false, 1),
  ('tessera-api', 'tokens:write', 'Create, change, rotate and revoke the owner''s own access tokens', 'tokens', NULL, false, 2),
  ('tessera-api', 'tokens:admin', 'Manage every access token of the organization', 'tokens', NULL, true, 3),
  ('tessera-api', 'tokens:introspect', 'Validate other tokens through OAuth introspection and exchange', 'tokens', NULL, true, 4),
  ('tessera-api', 'reps:read', 'List the organization''s service reps', 'administration', NULL, true, 5),
  ('tessera-api', 'audit:read', 'Read the organization''s audit log', 'administration', NULL, true, 6),
  ('tessera-api', 'applications:read', 'List the organization''s applications and their scopes', 'administration', NULL, true, 7),
  ('tessera-api', 'applications:write', 'Create and change applications, their scopes and presets', 'administration', NULL, true, 8),
  ('enterprise-rest-api', 'employees:read', 'View employee records', 'employees', 'https://api.enterprise.example/docs#employees-read', false, 1),
  ('enterprise-rest-api', 'employees:write', 'Create and update employee records', 'employees', 'https://api.enterprise.example/docs#employees-write', false, 2),
  ('enterprise-rest-api', 'customers:read', 'View customer records', 'customers', 'https://api.enterprise.example/docs#customers-read', false, 3),
  ('enterprise-rest-api', 'customers:write', 'Create and update customer records', 'customers', 'https://api.enterprise.example/docs#customers-write', false, 4),
  ('enterprise-rest-api', 'orders:read', 'View orders', 'orders', 'https://api.enterprise.example/docs#orders-read', false, 5),
  ('enterprise-rest-api', 'orders:write', 'Create and update orders', 'orders', 'https://api.enterprise.example/docs#orders-write', false, 6),
  ('enterprise-rest-api', 'assignments:read', 'View assignments', 'assignments', 'https://api.enterprise.example/docs#assignments-read', false, 7),
  ('enterprise-rest-api', 'assignments:write', 'Create and update assignments', 'assignments', 'https://api.enterprise.example/docs#assignments-write', false, 8),
  ('enterprise-rest-api', 'assessments:read', 'View assessments and their results', 'assessments', 'https://api.enterprise.example/docs#assessments-read', false, 9),
  ('enterprise-rest-api', 'assessments:write', 'Create assessments and submit results', 'assessments', 'https://api.enterprise.example/docs#assessments-write', false, 10),
  ('enterprise-rest-api', 'documents:read', 'View and download documents', 'documents', 'https://api.enterprise.example/docs#documents-read', false, 11),
  ('enterprise-rest-api', 'documents:write', 'Upload and update documents', 'documents', 'https://api.enterprise.example/docs#documents-write', false, 12),
  ('enterprise-rest-api', 'messages:send', 'Send messages (SMS, email) to employees and customers', 'messages', 'https://api.enterprise.example/docs#messages-send', false, 13)
) AS s(app_slug, scope, description, group_name, docs_url, admin_only, position) ON s.app_slug = a."slug";--> statement-breakpoint
INSERT INTO "application_presets" ("organization_id", "application_id", "name", "scopes", "position")
SELECT a."organization_id", a."id", p.name, p.scopes, p.position
FROM "applications" a
JOIN (VALUES
  ('tessera-api', 'Token automation', '{tokens:read,tokens:write}'::text[], 1),
  ('enterprise-rest-api', 'Assessments integration', '{employees:read,assessments:read,assessments:write}'::text[], 1),
  ('enterprise-rest-api', 'Messaging', '{employees:read,customers:read,messages:send}'::text[], 2),
  ('enterprise-rest-api', 'Read-only', '{employees:read,customers:read,orders:read,assignments:read,assessments:read,documents:read}'::text[], 3)
) AS p(app_slug, name, scopes, position) ON p.app_slug = a."slug";--> statement-breakpoint
-- The application holding most of the token's permissions; on a tie (or none) the domain API,
-- which is what integrations outside Tessera call.
UPDATE "personal_access_tokens" t SET "application_id" = (
  SELECT a."id" FROM "applications" a
  WHERE a."organization_id" = t."organization_id"
  ORDER BY (
    SELECT count(*) FROM "application_scopes" s WHERE s."application_id" = a."id" AND s."scope" = ANY (t."permissions")
  ) DESC, a."built_in" ASC
  LIMIT 1
);--> statement-breakpoint
ALTER TABLE "personal_access_tokens" ALTER COLUMN "application_id" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "personal_access_tokens" ADD CONSTRAINT "pat_application_fk" FOREIGN KEY ("organization_id","application_id") REFERENCES "public"."applications"("organization_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "pat_org_application_created_at_idx" ON "personal_access_tokens" USING btree ("organization_id","application_id","created_at","id");--> statement-breakpoint
-- Archiving an application, or changing its scopes, changes what its tokens may do: every
-- instance forgets their cached verification records (lib/tokens/verification-cache.ts).
CREATE OR REPLACE FUNCTION tessera_notify_application() RETURNS trigger AS $$
BEGIN
  IF TG_TABLE_NAME = 'applications' THEN
    PERFORM pg_notify('tessera_verification', 'application:' || OLD.id::text);
  ELSIF TG_OP = 'INSERT' THEN
    PERFORM pg_notify('tessera_verification', 'application:' || NEW.application_id::text);
  ELSE
    PERFORM pg_notify('tessera_verification', 'application:' || OLD.application_id::text);
  END IF;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER applications_verification_changed
  AFTER UPDATE OR DELETE ON applications
  FOR EACH ROW EXECUTE FUNCTION tessera_notify_application();
--> statement-breakpoint
CREATE TRIGGER application_scopes_verification_changed
  AFTER INSERT OR UPDATE OR DELETE ON application_scopes
  FOR EACH ROW EXECUTE FUNCTION tessera_notify_application();
