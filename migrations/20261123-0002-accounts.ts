import type { MigrationModule } from "../server/db/migrator.js";

/**
 * Accounts and sign-in: users, single-use e-mail tokens, sessions, rate-limit counters, the
 * e-mail outbox (with its development capture), and the hash-chained audit trail.
 */
export const up: MigrationModule["up"] = async ({ context: { sequelize } }) => {
  await sequelize.query(`
    CREATE TABLE users (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      role text NOT NULL CHECK (role IN ('applicant', 'prescriber', 'officer', 'trainer', 'admin')),
      full_name text NOT NULL CHECK (char_length(full_name) BETWEEN 2 AND 120),
      -- Stored lower-cased, so uniqueness is case-insensitive.
      email text NOT NULL CHECK (email = lower(email) AND email LIKE '%_@_%'),
      phone text CHECK (phone ~ '^\\+[1-9][0-9]{6,14}$'),
      locale text NOT NULL DEFAULT 'fr' CHECK (locale IN ('fr', 'ar')),
      password_hash text,
      email_verified_at timestamptz,
      disabled_at timestamptz,
      prescriber_kind text CHECK (prescriber_kind IN ('accountant', 'association')),
      prescriber_registration_number text,
      prescriber_organisation text,
      -- AES-256-GCM ciphertext of the CIN (national identity card number), never stored in clear.
      national_id_encrypted text,
      last_login_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT users_prescriber_details CHECK (
        (role = 'prescriber') = (prescriber_kind IS NOT NULL)
        AND (role <> 'prescriber' OR (prescriber_registration_number IS NOT NULL AND prescriber_organisation IS NOT NULL))
      )
    );
    CREATE UNIQUE INDEX users_email_unique ON users (email);
    CREATE INDEX users_role_idx ON users (role);

    CREATE TABLE user_tokens (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
      purpose text NOT NULL CHECK (purpose IN ('verify-email', 'password-reset', 'account-setup')),
      -- SHA-256 of the token: a database leak does not hand out working links.
      token_hash text NOT NULL UNIQUE,
      expires_at timestamptz NOT NULL,
      used_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX user_tokens_user_idx ON user_tokens (user_id, purpose);

    -- connect-pg-simple's table; the expression index finds a user's sessions to end them all.
    CREATE TABLE sessions (
      sid varchar NOT NULL PRIMARY KEY,
      sess json NOT NULL,
      expire timestamptz NOT NULL
    );
    CREATE INDEX sessions_expire_idx ON sessions (expire);
    CREATE INDEX sessions_user_idx ON sessions (((sess -> 'passport' ->> 'user')));

    -- rate-limiter-flexible's table: counters shared by every app instance.
    CREATE TABLE rate_limits (
      key varchar(255) PRIMARY KEY,
      points integer NOT NULL DEFAULT 0,
      expire bigint
    );

    CREATE TABLE outbox_messages (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      recipient text NOT NULL,
      template text NOT NULL,
      locale text NOT NULL CHECK (locale IN ('fr', 'ar')),
      data jsonb NOT NULL DEFAULT '{}',
      attachments jsonb NOT NULL DEFAULT '[]',
      status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
      attempts integer NOT NULL DEFAULT 0,
      last_error text,
      sent_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX outbox_messages_pending_idx ON outbox_messages (created_at) WHERE status = 'pending';

    -- Development only: what would have been sent, shown at /dev/mail.
    CREATE TABLE captured_emails (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      outbox_message_id uuid NOT NULL UNIQUE REFERENCES outbox_messages (id) ON DELETE CASCADE,
      recipient text NOT NULL,
      subject text NOT NULL,
      text_body text NOT NULL,
      html_body text NOT NULL,
      links jsonb NOT NULL DEFAULT '[]',
      created_at timestamptz NOT NULL DEFAULT now()
    );

    -- Audit trail. Each event stores the hash of the one before it (by position), so an edit or a
    -- deletion anywhere breaks the chain from that row on.
    CREATE TABLE audit_events (
      id bigserial PRIMARY KEY,
      position bigint NOT NULL UNIQUE,
      occurred_at timestamptz NOT NULL DEFAULT clock_timestamp(),
      actor_id uuid,
      actor_role text,
      action text NOT NULL,
      entity_type text NOT NULL,
      entity_id text,
      before jsonb,
      after jsonb,
      ip text,
      request_id text,
      previous_hash text NOT NULL,
      hash text NOT NULL
    );
    CREATE INDEX audit_events_entity_idx ON audit_events (entity_type, entity_id);
    CREATE INDEX audit_events_actor_idx ON audit_events (actor_id, occurred_at);
    CREATE INDEX audit_events_time_idx ON audit_events (occurred_at);

    CREATE FUNCTION audit_event_hash(e audit_events) RETURNS text LANGUAGE sql IMMUTABLE AS $$
      SELECT encode(sha256(convert_to(concat_ws('|',
        e.previous_hash, e.position::text, to_char(e.occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
        coalesce(e.actor_id::text, ''), coalesce(e.actor_role, ''), e.action, e.entity_type,
        coalesce(e.entity_id, ''), coalesce(e.before::text, ''), coalesce(e.after::text, ''),
        coalesce(e.ip, ''), coalesce(e.request_id, '')
      ), 'UTF8')), 'hex')
    $$;

    -- Chains each new event to the previous one. The advisory lock, held until commit, makes
    -- concurrent writers take positions one at a time, so the chain has no fork.
    CREATE FUNCTION audit_events_chain() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
      last_event audit_events;
    BEGIN
      PERFORM pg_advisory_xact_lock(723141002);
      SELECT * INTO last_event FROM audit_events ORDER BY position DESC LIMIT 1;
      NEW.position := coalesce(last_event.position, 0) + 1;
      NEW.previous_hash := coalesce(last_event.hash, repeat('0', 64));
      NEW.occurred_at := clock_timestamp();
      NEW.hash := audit_event_hash(NEW);
      RETURN NEW;
    END
    $$;
    CREATE TRIGGER audit_events_chain BEFORE INSERT ON audit_events
      FOR EACH ROW EXECUTE FUNCTION audit_events_chain();
  `);
};

export const down: MigrationModule["down"] = async ({ context: { sequelize } }) => {
  await sequelize.query(`
    DROP TRIGGER audit_events_chain ON audit_events;
    DROP FUNCTION audit_events_chain();
    DROP FUNCTION audit_event_hash(audit_events);
    DROP TABLE audit_events;
    DROP TABLE captured_emails;
    DROP TABLE outbox_messages;
    DROP TABLE rate_limits;
    DROP TABLE sessions;
    DROP TABLE user_tokens;
    DROP TABLE users;
  `);
};
