import type { MigrationModule } from "../server/db/migrator.js";

/**
 * Review and money: officers' declared conflicts of interest, the examiner's proposal and the
 * decision on each application, the budget ledger with envelope balances that the database
 * keeps non-negative, and claims (demandes de versement) with their invoices.
 */
export const up: MigrationModule["up"] = async ({ context: { sequelize } }) => {
  await sequelize.query(`
    -- Several status changes can share an instant (one clock tick, or a test's fixed clock):
    -- the history is ordered by this insertion counter.
    ALTER TABLE application_status_changes ADD COLUMN position bigserial;
    CREATE INDEX application_status_changes_position_idx ON application_status_changes (application_id, position);

    CREATE TABLE conflicts_of_interest (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      officer_id uuid NOT NULL REFERENCES users (id),
      company_id uuid NOT NULL REFERENCES companies (id),
      reason text NOT NULL CHECK (char_length(reason) BETWEEN 3 AND 1000),
      created_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (officer_id, company_id)
    );
    CREATE INDEX conflicts_of_interest_company_idx ON conflicts_of_interest (company_id);

    ALTER TABLE applications
      ADD COLUMN examined_by uuid REFERENCES users (id),
      ADD COLUMN examined_at timestamptz,
      ADD COLUMN proposal text CHECK (proposal IN ('approve', 'reject')),
      ADD COLUMN proposed_amount numeric(14, 2) CHECK (proposed_amount >= 0),
      ADD COLUMN proposal_comment text,
      ADD COLUMN decided_by uuid REFERENCES users (id),
      ADD COLUMN decided_at timestamptz,
      ADD COLUMN paid_amount numeric(14, 2) CHECK (paid_amount >= 0),
      -- Four-eyes, held by the database as well as by the command.
      ADD CONSTRAINT applications_four_eyes CHECK (decided_by IS NULL OR decided_by IS DISTINCT FROM examined_by),
      ADD CONSTRAINT applications_paid_within_approved CHECK (paid_amount IS NULL OR paid_amount <= approved_amount);
    CREATE INDEX applications_queue_idx ON applications (fast_track DESC, submitted_at) WHERE reference IS NOT NULL;

    -- What is committed and paid on each envelope, maintained with the ledger in one transaction;
    -- the CHECK makes overspending impossible whatever the code does.
    ALTER TABLE envelopes
      ADD COLUMN committed numeric(14, 2) NOT NULL DEFAULT 0 CHECK (committed >= 0),
      ADD COLUMN paid numeric(14, 2) NOT NULL DEFAULT 0 CHECK (paid >= 0),
      ADD CONSTRAINT envelopes_available_not_negative CHECK (amount - committed - paid >= 0);

    CREATE TABLE budget_ledger (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      envelope_id uuid NOT NULL REFERENCES envelopes (id),
      application_id uuid NOT NULL REFERENCES applications (id),
      kind text NOT NULL CHECK (kind IN ('commitment', 'release', 'payment')),
      amount numeric(14, 2) NOT NULL CHECK (amount > 0),
      actor_id uuid REFERENCES users (id),
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX budget_ledger_envelope_idx ON budget_ledger (envelope_id, kind);
    CREATE INDEX budget_ledger_application_idx ON budget_ledger (application_id);

    CREATE TABLE claims (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      application_id uuid NOT NULL REFERENCES applications (id),
      status text NOT NULL DEFAULT 'submitted' CHECK (status IN ('submitted', 'verified', 'paid')),
      submitted_by uuid NOT NULL REFERENCES users (id),
      submitted_at timestamptz NOT NULL DEFAULT now(),
      verified_by uuid REFERENCES users (id),
      verified_at timestamptz,
      verified_amount numeric(14, 2) CHECK (verified_amount >= 0),
      payment_amount numeric(14, 2) CHECK (payment_amount >= 0),
      payment_reference text,
      paid_by uuid REFERENCES users (id),
      paid_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    );
    -- One claim per approved application.
    CREATE UNIQUE INDEX claims_one_per_application ON claims (application_id);

    ALTER TABLE documents ADD COLUMN claim_id uuid REFERENCES claims (id);

    CREATE TABLE claim_invoices (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      claim_id uuid NOT NULL REFERENCES claims (id),
      document_id uuid NOT NULL REFERENCES documents (id),
      invoice_number text NOT NULL CHECK (char_length(invoice_number) BETWEEN 1 AND 60),
      supplier_name text NOT NULL CHECK (char_length(supplier_name) BETWEEN 2 AND 200),
      invoice_date date NOT NULL,
      amount_excl_tax numeric(14, 2) NOT NULL CHECK (amount_excl_tax > 0),
      verdict text NOT NULL DEFAULT 'pending' CHECK (verdict IN ('pending', 'accepted', 'rejected')),
      verified_amount numeric(14, 2) CHECK (verified_amount >= 0 AND verified_amount <= amount_excl_tax),
      verdict_reason text,
      created_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (claim_id, document_id)
    );

    DO $$
    BEGIN
      IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'moussanada_app') THEN
        REVOKE UPDATE, DELETE, TRUNCATE ON budget_ledger FROM moussanada_app;
      END IF;
    END
    $$;
  `);
};

export const down: MigrationModule["down"] = async ({ context: { sequelize } }) => {
  await sequelize.query(`
    DROP TABLE claim_invoices;
    ALTER TABLE documents DROP COLUMN claim_id;
    DROP TABLE claims;
    DROP TABLE budget_ledger;
    ALTER TABLE envelopes
      DROP CONSTRAINT envelopes_available_not_negative,
      DROP COLUMN paid,
      DROP COLUMN committed;
    DROP INDEX applications_queue_idx;
    ALTER TABLE applications
      DROP CONSTRAINT applications_paid_within_approved,
      DROP CONSTRAINT applications_four_eyes,
      DROP COLUMN paid_amount,
      DROP COLUMN decided_at,
      DROP COLUMN decided_by,
      DROP COLUMN proposal_comment,
      DROP COLUMN proposed_amount,
      DROP COLUMN proposal,
      DROP COLUMN examined_at,
      DROP COLUMN examined_by;
    DROP TABLE conflicts_of_interest;
    ALTER TABLE application_status_changes DROP COLUMN position;
  `);
};
