import type { MigrationModule } from "../server/db/migrator.js";

/**
 * The role the application logs in as (DATABASE_URL): it reads and writes what it needs, appends
 * to the audit trail, and may neither change nor delete an audit event. Migrations run as the
 * schema owner (MIGRATION_DATABASE_URL). The embedded server gives this role a login; on an
 * external server the DBA does (README, "Deploying on several machines").
 *
 * Jobs are queued through queue_job(), which runs with the owner's rights: graphile-worker
 * protects its tables with row-level security.
 */
export const up: MigrationModule["up"] = async ({ context: { sequelize } }) => {
  await sequelize.query(`
    DO $$
    BEGIN
      IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'moussanada_app') THEN
        CREATE ROLE moussanada_app NOLOGIN;
      END IF;
    EXCEPTION WHEN insufficient_privilege THEN
      RAISE WARNING 'cannot create role moussanada_app: create it as the DBA (see README), then migrate again';
    END
    $$;

    CREATE FUNCTION queue_job(task text, payload json, max_attempts integer DEFAULT 25) RETURNS void
      LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
        SELECT FROM graphile_worker.add_job(task, payload, max_attempts => max_attempts);
      $$;
    REVOKE ALL ON FUNCTION queue_job(text, json, integer) FROM PUBLIC;

    DO $$
    BEGIN
      IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'moussanada_app') THEN
        RETURN;
      END IF;
      GRANT USAGE ON SCHEMA public TO moussanada_app;
      GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO moussanada_app;
      GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO moussanada_app;
      GRANT EXECUTE ON FUNCTION queue_job(text, json, integer) TO moussanada_app;
      GRANT EXECUTE ON FUNCTION audit_event_hash(audit_events) TO moussanada_app;
      ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO moussanada_app;
      ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO moussanada_app;
      -- The audit trail is append-only for the application.
      REVOKE UPDATE, DELETE, TRUNCATE ON audit_events FROM moussanada_app;
    END
    $$;
  `);
};

export const down: MigrationModule["down"] = async ({ context: { sequelize } }) => {
  await sequelize.query(`
    DROP FUNCTION queue_job(text, json, integer);
    DO $$
    BEGIN
      IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'moussanada_app') THEN
        RETURN;
      END IF;
      ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE SELECT, INSERT, UPDATE, DELETE ON TABLES FROM moussanada_app;
      ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE USAGE, SELECT ON SEQUENCES FROM moussanada_app;
      REVOKE ALL ON ALL TABLES IN SCHEMA public FROM moussanada_app;
      REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM moussanada_app;
      REVOKE ALL ON FUNCTION audit_event_hash(audit_events) FROM moussanada_app;
      REVOKE USAGE ON SCHEMA public FROM moussanada_app;
    END
    $$;
  `);
};
