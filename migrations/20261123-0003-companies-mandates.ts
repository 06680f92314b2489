import type { MigrationModule } from "../server/db/migrator.js";

/**
 * Companies, the mandates they give prescribers, invitations for a manager to claim a company a
 * prescriber registered, and the database role the application runs as (no UPDATE or DELETE on
 * the audit trail).
 */
export const up: MigrationModule["up"] = async ({ context: { sequelize } }) => {
  await sequelize.query(`
    CREATE TABLE companies (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      ice text NOT NULL CHECK (ice ~ '^[0-9]{15}$' AND ice::numeric % 97 = 0 AND ice <> '000000000000000'),
      name text NOT NULL CHECK (char_length(name) BETWEEN 2 AND 200),
      legal_form text NOT NULL CHECK (legal_form IN ('SARL', 'SARL_AU', 'SA', 'SNC', 'PP', 'AE')),
      rc_number text NOT NULL,
      rc_court text NOT NULL,
      if_number text NOT NULL,
      cnss_number text NOT NULL,
      sector_code text NOT NULL REFERENCES sectors (code) ON UPDATE CASCADE,
      region_code text NOT NULL REFERENCES regions (code) ON UPDATE CASCADE,
      city text NOT NULL,
      address text NOT NULL,
      founded_on date NOT NULL,
      employees integer NOT NULL CHECK (employees >= 0),
      annual_turnover numeric(14, 2) NOT NULL CHECK (annual_turnover >= 0),
      -- Null while a company registered by a prescriber waits for its manager to claim it.
      owner_id uuid REFERENCES users (id),
      manager_name text,
      manager_email text CHECK (manager_email = lower(manager_email)),
      created_by uuid NOT NULL REFERENCES users (id),
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT companies_owner_or_manager CHECK (owner_id IS NOT NULL OR manager_email IS NOT NULL)
    );
    CREATE UNIQUE INDEX companies_ice_unique ON companies (ice);
    CREATE INDEX companies_owner_idx ON companies (owner_id);
    CREATE INDEX companies_region_sector_idx ON companies (region_code, sector_code);

    CREATE TABLE mandates (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      company_id uuid NOT NULL REFERENCES companies (id) ON DELETE CASCADE,
      prescriber_id uuid NOT NULL REFERENCES users (id),
      granted_by uuid NOT NULL REFERENCES users (id),
      source text NOT NULL CHECK (source IN ('owner-grant', 'prescriber-registration')),
      expires_on date,
      revoked_at timestamptz,
      revoked_by uuid REFERENCES users (id),
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    );
    -- At most one live mandate per company and prescriber.
    CREATE UNIQUE INDEX mandates_one_live ON mandates (company_id, prescriber_id) WHERE revoked_at IS NULL;
    CREATE INDEX mandates_prescriber_idx ON mandates (prescriber_id) WHERE revoked_at IS NULL;

    CREATE TABLE company_invitations (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      company_id uuid NOT NULL REFERENCES companies (id) ON DELETE CASCADE,
      email text NOT NULL,
      token_hash text NOT NULL UNIQUE,
      expires_at timestamptz NOT NULL,
      claimed_at timestamptz,
      claimed_by uuid REFERENCES users (id),
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX company_invitations_company_idx ON company_invitations (company_id);
  `);
};

export const down: MigrationModule["down"] = async ({ context: { sequelize } }) => {
  await sequelize.query(`
    DROP TABLE company_invitations;
    DROP TABLE mandates;
    DROP TABLE companies;
  `);
};
