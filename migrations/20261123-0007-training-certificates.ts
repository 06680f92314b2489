import type { MigrationModule } from "../server/db/migrator.js";

/**
 * The Permis Numérique: course sessions, enrolments with their waiting list, certificates (one per
 * passed enrolment, numbered without gaps per year), the count of public verifications, and the
 * background jobs that issue certificates for a whole session with their progress.
 */
export const up: MigrationModule["up"] = async ({ context: { sequelize } }) => {
  await sequelize.query(`
    CREATE TABLE training_sessions (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      title text NOT NULL CHECK (char_length(title) BETWEEN 3 AND 200),
      description text NOT NULL DEFAULT '' CHECK (char_length(description) <= 4000),
      city text NOT NULL CHECK (char_length(city) BETWEEN 2 AND 100),
      venue text CHECK (char_length(venue) BETWEEN 3 AND 300),
      online_url text CHECK (online_url ~ '^https://'),
      starts_at timestamptz NOT NULL,
      ends_at timestamptz NOT NULL,
      capacity integer NOT NULL CHECK (capacity BETWEEN 1 AND 1000),
      pass_mark integer NOT NULL DEFAULT 70 CHECK (pass_mark BETWEEN 0 AND 100),
      trainer_id uuid NOT NULL REFERENCES users (id),
      status text NOT NULL DEFAULT 'scheduled' CHECK (status IN ('scheduled', 'cancelled')),
      created_by uuid NOT NULL REFERENCES users (id),
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT training_sessions_place CHECK (venue IS NOT NULL OR online_url IS NOT NULL),
      CONSTRAINT training_sessions_dates CHECK (ends_at > starts_at)
    );
    CREATE INDEX training_sessions_starts_idx ON training_sessions (starts_at);
    CREATE INDEX training_sessions_city_idx ON training_sessions (lower(city), starts_at);
    CREATE INDEX training_sessions_trainer_idx ON training_sessions (trainer_id, starts_at);

    CREATE TABLE enrolments (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      session_id uuid NOT NULL REFERENCES training_sessions (id),
      -- The manager who takes the course; null while the company's invited manager has no account.
      user_id uuid REFERENCES users (id),
      company_id uuid REFERENCES companies (id),
      holder_name text NOT NULL CHECK (char_length(holder_name) BETWEEN 2 AND 200),
      holder_email text NOT NULL CHECK (char_length(holder_email) BETWEEN 3 AND 254),
      enrolled_by uuid NOT NULL REFERENCES users (id),
      status text NOT NULL CHECK (status IN ('enrolled', 'waitlisted', 'cancelled', 'attended', 'passed', 'failed')),
      -- The waiting list's order (and a tie-breaker for everything else).
      position bigserial NOT NULL,
      attended boolean,
      score integer CHECK (score BETWEEN 0 AND 100),
      result_recorded_by uuid REFERENCES users (id),
      result_recorded_at timestamptz,
      reminder_sent_at timestamptz,
      cancelled_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT enrolments_result CHECK (
        (status = 'passed' AND attended AND score IS NOT NULL)
        OR (status = 'attended' AND attended AND score IS NULL)
        OR (status = 'failed' AND attended IS NOT NULL)
        OR (status IN ('enrolled', 'waitlisted', 'cancelled') AND attended IS NULL AND score IS NULL)
      ),
      CONSTRAINT enrolments_cancelled CHECK ((status = 'cancelled') = (cancelled_at IS NOT NULL))
    );
    -- No double enrolment: one live enrolment per person and session.
    CREATE UNIQUE INDEX enrolments_one_live_per_person ON enrolments (session_id, lower(holder_email))
      WHERE status <> 'cancelled';
    CREATE INDEX enrolments_session_idx ON enrolments (session_id, status, position);
    CREATE INDEX enrolments_user_idx ON enrolments (user_id);
    CREATE INDEX enrolments_enrolled_by_idx ON enrolments (enrolled_by);
    CREATE INDEX enrolments_company_idx ON enrolments (company_id);

    CREATE TABLE certificate_jobs (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      kind text NOT NULL DEFAULT 'certificate_batch' CHECK (kind IN ('certificate_batch')),
      session_id uuid NOT NULL REFERENCES training_sessions (id),
      requested_by uuid NOT NULL REFERENCES users (id),
      status text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'running', 'succeeded', 'failed')),
      total integer NOT NULL CHECK (total >= 0),
      done integer NOT NULL DEFAULT 0 CHECK (done >= 0 AND done <= total),
      error text,
      -- The job queue's worker that holds it and when it last showed life: a worker killed in the
      -- middle is noticed by its silence, and its job handed to another.
      worker_id text,
      heartbeat_at timestamptz,
      request_id text,
      created_at timestamptz NOT NULL DEFAULT now(),
      started_at timestamptz,
      finished_at timestamptz
    );
    -- One batch at a time per session.
    CREATE UNIQUE INDEX certificate_jobs_one_active_per_session ON certificate_jobs (session_id)
      WHERE status IN ('queued', 'running');

    CREATE TABLE certificates (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      -- One certificate per passed enrolment, never two.
      enrolment_id uuid NOT NULL UNIQUE REFERENCES enrolments (id),
      session_id uuid NOT NULL REFERENCES training_sessions (id),
      number text NOT NULL UNIQUE CHECK (number ~ '^PN-[0-9]{4}-[0-9]{6}$'),
      verification_code text NOT NULL UNIQUE CHECK (verification_code ~ '^[A-Za-z0-9_-]{22,}$'),
      holder_user_id uuid REFERENCES users (id),
      holder_name text NOT NULL,
      holder_email text NOT NULL,
      company_id uuid REFERENCES companies (id),
      company_name text,
      course_title text NOT NULL,
      issued_at timestamptz NOT NULL,
      issued_on date NOT NULL,
      -- The signed Open Badges credential, frozen at issuance; its proof is the certificate's signature.
      key_id text NOT NULL,
      credential jsonb NOT NULL,
      pdf_key text,
      pdf_sha256 text,
      pdf_size integer,
      job_id uuid REFERENCES certificate_jobs (id),
      status text NOT NULL DEFAULT 'valid' CHECK (status IN ('valid', 'revoked')),
      revoked_at timestamptz,
      revoked_by uuid REFERENCES users (id),
      revocation_reason text CHECK (char_length(revocation_reason) BETWEEN 3 AND 500),
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT certificates_revocation CHECK (
        (status = 'valid' AND revoked_at IS NULL AND revocation_reason IS NULL)
        OR (status = 'revoked' AND revoked_at IS NOT NULL AND revocation_reason IS NOT NULL)
      ),
      CONSTRAINT certificates_pdf CHECK ((pdf_key IS NULL) = (pdf_sha256 IS NULL))
    );
    CREATE INDEX certificates_session_idx ON certificates (session_id, number);
    CREATE INDEX certificates_holder_idx ON certificates (holder_user_id);
    CREATE INDEX certificates_company_idx ON certificates (company_id);
    CREATE INDEX certificates_pdf_pending_idx ON certificates (job_id) WHERE pdf_key IS NULL;

    -- Every public verification of an existing certificate: appended, never updated, so counting
    -- never makes readers of one certificate wait on each other.
    CREATE TABLE certificate_verifications (
      id bigserial PRIMARY KEY,
      certificate_id uuid NOT NULL REFERENCES certificates (id),
      verified_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX certificate_verifications_certificate_idx ON certificate_verifications (certificate_id);

    -- A job under a key: queuing it again replaces the waiting one instead of adding a second,
    -- which is how a batch taken over from a dead worker stays a single job.
    CREATE FUNCTION queue_keyed_job(task text, payload json, job_key text, max_attempts integer DEFAULT 25)
      RETURNS void
      LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, public AS $fn$
        SELECT FROM graphile_worker.add_job(task, payload, job_key => job_key, max_attempts => max_attempts);
      $fn$;
    REVOKE ALL ON FUNCTION queue_keyed_job(text, json, text, integer) FROM PUBLIC;

    DO $$
    BEGIN
      IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'moussanada_app') THEN
        GRANT EXECUTE ON FUNCTION queue_keyed_job(text, json, text, integer) TO moussanada_app;
        REVOKE UPDATE, DELETE, TRUNCATE ON certificate_verifications FROM moussanada_app;
        -- A certificate is revoked, never deleted.
        REVOKE DELETE, TRUNCATE ON certificates FROM moussanada_app;
      END IF;
    END
    $$;
  `);
};

export const down: MigrationModule["down"] = async ({ context: { sequelize } }) => {
  await sequelize.query(`
    DROP FUNCTION queue_keyed_job(text, json, text, integer);
    DROP TABLE certificate_verifications;
    DROP TABLE certificates;
    DROP TABLE certificate_jobs;
    DROP TABLE enrolments;
    DROP TABLE training_sessions;
    DELETE FROM reference_counters WHERE series = 'PN';
  `);
};
