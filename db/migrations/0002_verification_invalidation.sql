-- Every instance caches verified tokens briefly (lib/tokens/verification-cache.ts). Any change
-- that can make a cached token unusable or change what it may do notifies the channel
-- tessera_verification inside the changing transaction, so listeners hear of it exactly when
-- it commits — whichever code path (console, API, script, SQL) made the change.
CREATE OR REPLACE FUNCTION tessera_notify_verification() RETURNS trigger AS $$
BEGIN
  IF TG_TABLE_NAME = 'personal_access_tokens' THEN
    PERFORM pg_notify('tessera_verification', 'token:' || OLD.id::text);
  ELSIF TG_TABLE_NAME = 'users' THEN
    IF TG_OP = 'DELETE' OR NEW.active IS DISTINCT FROM OLD.active OR NEW.role IS DISTINCT FROM OLD.role THEN
      PERFORM pg_notify('tessera_verification', 'user:' || OLD.id::text);
    END IF;
  ELSIF TG_TABLE_NAME = 'organizations' THEN
    IF TG_OP = 'DELETE' OR NEW.active IS DISTINCT FROM OLD.active OR NEW.slug IS DISTINCT FROM OLD.slug THEN
      PERFORM pg_notify('tessera_verification', 'organization:' || OLD.id::text);
    END IF;
  END IF;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
-- lastUsed* bookkeeping changes no verification outcome; skipping it keeps the channel quiet
-- and the caches warm.
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
  )
  EXECUTE FUNCTION tessera_notify_verification();
--> statement-breakpoint
CREATE TRIGGER pat_verification_deleted
  AFTER DELETE ON personal_access_tokens
  FOR EACH ROW EXECUTE FUNCTION tessera_notify_verification();
--> statement-breakpoint
CREATE TRIGGER users_verification_changed
  AFTER UPDATE OR DELETE ON users
  FOR EACH ROW EXECUTE FUNCTION tessera_notify_verification();
--> statement-breakpoint
CREATE TRIGGER organizations_verification_changed
  AFTER UPDATE OR DELETE ON organizations
  FOR EACH ROW EXECUTE FUNCTION tessera_notify_verification();
