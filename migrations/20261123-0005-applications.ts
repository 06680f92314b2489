import type { MigrationModule } from "../server/db/migrator.js";

/**
 * Applications (dossiers) with their investment lines, chosen solutions, documents, the history
 * of their status changes and their submissions (each with the snapshot the receipt prints),
 * and gapless yearly reference counters (MS-2026-00001).
 */
export const up: MigrationModule["up"] = async ({ context: { sequelize } }) => {
  await sequelize.query(`
    -- One row per series and year, incremented under its row lock inside the business
    -- transaction: a rolled-back submission gives its number back, so numbers have no gaps.
    CREATE TABLE reference_counters (
      series text NOT NULL CHECK (series ~ '^[A-Z]{2,4}$'),
      year integer NOT NULL CHECK (year BETWEEN 2000 AND 2100),
      last_value integer NOT NULL DEFAULT 0 CHECK (last_value >= 0),
      PRIMARY KEY (series, year)
    );

    CREATE TABLE applications (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      company_id uuid NOT NULL REFERENCES companies (id),
      call_id uuid NOT NULL REFERENCES calls (id),
      -- The version of the call's rules the file is judged by: the latest while it is a draft,
      -- frozen at submission.
      call_rules_id uuid NOT NULL REFERENCES call_rules (id),
      sector_code text NOT NULL REFERENCES sectors (code) ON UPDATE CASCADE,
      description text NOT NULL DEFAULT '' CHECK (char_length(description) <= 4000),
      status text NOT NULL DEFAULT 'draft' CHECK (status IN (
        'draft', 'submitted', 'in_review', 'info_requested', 'examined', 'approved', 'rejected',
        'claim_submitted', 'paid', 'closed', 'withdrawn', 'cancelled')),
      reference text UNIQUE CHECK (reference ~ '^MS-[0-9]{4}-[0-9]{5,}$'),
      eligible_amount numeric(14, 2) NOT NULL DEFAULT 0 CHECK (eligible_amount >= 0),
      vat_amount numeric(14, 2) NOT NULL DEFAULT 0 CHECK (vat_amount >= 0),
      grant_amount numeric(14, 2) NOT NULL DEFAULT 0 CHECK (grant_amount >= 0),
      -- Set by the approver (issue 6); what counts against the company's cap.
      approved_amount numeric(14, 2) CHECK (approved_amount >= 0),
      fast_track boolean NOT NULL DEFAULT false,
      created_by uuid NOT NULL REFERENCES users (id),
      filed_via_mandate_id uuid REFERENCES mandates (id),
      submitted_at timestamptz,
      status_changed_at timestamptz NOT NULL DEFAULT now(),
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT applications_reference_once_submitted
        CHECK (status IN ('draft', 'withdrawn') OR reference IS NOT NULL),
      CONSTRAINT applications_grant_within_eligible CHECK (grant_amount <= eligible_amount)
    );
    -- "No other open application of the company in the same call", held by the database too,
    -- so two submissions racing on different drafts cannot both win.
    CREATE UNIQUE INDEX applications_one_open_per_company_and_call ON applications (company_id, call_id)
      WHERE status IN ('submitted', 'in_review', 'info_requested', 'examined', 'approved', 'claim_submitted', 'paid');
    CREATE INDEX applications_company_idx ON applications (company_id, updated_at DESC);
    CREATE INDEX applications_status_idx ON applications (status, submitted_at);
    CREATE INDEX applications_call_sector_idx ON applications (call_id, sector_code);
    CREATE INDEX applications_mandate_idx ON applications (filed_via_mandate_id) WHERE filed_via_mandate_id IS NOT NULL;

    CREATE TABLE application_solutions (
      application_id uuid NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
      solution_id uuid NOT NULL REFERENCES solutions (id),
      PRIMARY KEY (application_id, solution_id)
    );
    CREATE INDEX application_solutions_solution_idx ON application_solutions (solution_id);

    CREATE TABLE application_lines (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      application_id uuid NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
      position integer NOT NULL CHECK (position >= 0),
      category text NOT NULL CHECK (category IN ('software', 'hardware', 'services', 'training')),
      label text NOT NULL CHECK (char_length(label) BETWEEN 1 AND 200),
      supplier_id uuid REFERENCES suppliers (id),
      amount_excl_tax numeric(14, 2) NOT NULL CHECK (amount_excl_tax >= 0),
      vat_rate numeric(4, 2) NOT NULL CHECK (vat_rate IN (0.00, 0.07, 0.10, 0.14, 0.20)),
      created_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (application_id, position)
    );

    CREATE TABLE documents (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      -- No cascade: a document's bytes live in the store and are removed by the code that
      -- removes the row.
      application_id uuid NOT NULL REFERENCES applications (id),
      type text NOT NULL CHECK (type IN (
        'quote', 'rc_extract', 'tax_certificate', 'cnss_certificate', 'sworn_declaration', 'statutes',
        'financial_statements', 'invoice', 'payment_proof', 'acceptance_report', 'other')),
      original_name text NOT NULL CHECK (char_length(original_name) BETWEEN 1 AND 255),
      mime_type text NOT NULL CHECK (mime_type IN ('application/pdf', 'image/png', 'image/jpeg')),
      size_bytes bigint NOT NULL CHECK (size_bytes > 0),
      sha256 text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
      storage_key text NOT NULL UNIQUE,
      uploaded_by uuid NOT NULL REFERENCES users (id),
      verdict text NOT NULL DEFAULT 'pending' CHECK (verdict IN ('pending', 'accepted', 'rejected')),
      verdict_reason text,
      verdict_by uuid REFERENCES users (id),
      verdict_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX documents_application_idx ON documents (application_id, created_at);

    CREATE TABLE application_status_changes (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      application_id uuid NOT NULL REFERENCES applications (id),
      from_status text,
      to_status text NOT NULL,
      actor_id uuid REFERENCES users (id),
      comment text CHECK (char_length(comment) <= 4000),
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX application_status_changes_application_idx ON application_status_changes (application_id, created_at);

    -- Every submission (the first and each resubmission after a request for information), with
    -- the client's idempotency key and the answer it got, replayed for a retry with that key.
    CREATE TABLE application_submissions (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      application_id uuid NOT NULL REFERENCES applications (id),
      sequence integer NOT NULL CHECK (sequence >= 1),
      idempotency_key text NOT NULL CHECK (idempotency_key ~ '^[A-Za-z0-9_-]{8,128}$'),
      submitted_by uuid NOT NULL REFERENCES users (id),
      snapshot jsonb NOT NULL,
      response jsonb NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (application_id, sequence),
      UNIQUE (application_id, idempotency_key)
    );

    -- The history and the submissions are the file's record: the application appends to them.
    DO $$
    BEGIN
      IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'moussanada_app') THEN
        REVOKE UPDATE, DELETE, TRUNCATE ON application_status_changes, application_submissions FROM moussanada_app;
      END IF;
    END
    $$;
  `);
};

export const down: MigrationModule["down"] = async ({ context: { sequelize } }) => {
  await sequelize.query(`
    DROP TABLE application_submissions;
    DROP TABLE application_status_changes;
    DROP TABLE documents;
    DROP TABLE application_lines;
    DROP TABLE application_solutions;
    DROP TABLE applications;
    DROP TABLE reference_counters;
  `);
};
