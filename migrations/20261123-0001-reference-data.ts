import type { MigrationModule } from "../server/db/migrator.js";

/**
 * Reference data: regions, sectors, the solutions catalogue and its suppliers, programmes with
 * their budget lines, and calls with their versioned rules and budget envelopes.
 */
export const up: MigrationModule["up"] = async ({ context: { sequelize } }) => {
  await sequelize.query(`
    CREATE TABLE regions (
      code text PRIMARY KEY CHECK (code ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
      name_fr text NOT NULL CHECK (name_fr <> ''),
      name_ar text NOT NULL CHECK (name_ar <> ''),
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    );

    CREATE TABLE sectors (
      code text PRIMARY KEY CHECK (code ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
      name_fr text NOT NULL CHECK (name_fr <> ''),
      name_ar text NOT NULL CHECK (name_ar <> ''),
      description_fr text NOT NULL DEFAULT '',
      description_ar text NOT NULL DEFAULT '',
      active boolean NOT NULL DEFAULT true,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    );

    CREATE TABLE suppliers (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      code text NOT NULL UNIQUE CHECK (code ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
      name text NOT NULL CHECK (name <> ''),
      city text NOT NULL,
      website text,
      email text,
      phone text,
      active boolean NOT NULL DEFAULT true,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    );

    CREATE TABLE solutions (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      code text NOT NULL UNIQUE CHECK (code ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
      sector_code text NOT NULL REFERENCES sectors (code) ON UPDATE CASCADE,
      supplier_id uuid NOT NULL REFERENCES suppliers (id),
      name_fr text NOT NULL CHECK (name_fr <> ''),
      name_ar text NOT NULL CHECK (name_ar <> ''),
      summary_fr text NOT NULL DEFAULT '',
      summary_ar text NOT NULL DEFAULT '',
      costs_fr text NOT NULL DEFAULT '',
      costs_ar text NOT NULL DEFAULT '',
      benefits_fr text NOT NULL DEFAULT '',
      benefits_ar text NOT NULL DEFAULT '',
      price_min numeric(14, 2) NOT NULL CHECK (price_min >= 0),
      price_max numeric(14, 2) NOT NULL,
      active boolean NOT NULL DEFAULT true,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT solutions_price_range CHECK (price_max >= price_min)
    );
    CREATE INDEX solutions_sector_idx ON solutions (sector_code) WHERE active;
    CREATE INDEX solutions_supplier_idx ON solutions (supplier_id);

    CREATE TABLE programmes (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      code text NOT NULL UNIQUE CHECK (code ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
      name_fr text NOT NULL,
      name_ar text NOT NULL,
      starts_on date NOT NULL,
      ends_on date NOT NULL,
      target_equipped_smes integer NOT NULL DEFAULT 3000 CHECK (target_equipped_smes >= 0),
      target_permits integer NOT NULL DEFAULT 10000 CHECK (target_permits >= 0),
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT programmes_period CHECK (ends_on >= starts_on)
    );

    -- Yearly budget lines of a programme, e.g. "Productivité PME" 2009: 73,000,000.00 MAD.
    CREATE TABLE programme_budget_lines (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      programme_id uuid NOT NULL REFERENCES programmes (id) ON DELETE CASCADE,
      code text NOT NULL,
      name_fr text NOT NULL,
      name_ar text NOT NULL,
      year integer NOT NULL CHECK (year BETWEEN 2000 AND 2100),
      amount numeric(14, 2) NOT NULL CHECK (amount >= 0),
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (programme_id, code, year)
    );

    CREATE TABLE calls (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      programme_id uuid NOT NULL REFERENCES programmes (id),
      code text NOT NULL UNIQUE CHECK (code ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
      title_fr text NOT NULL CHECK (title_fr <> ''),
      title_ar text NOT NULL CHECK (title_ar <> ''),
      opens_on date NOT NULL,
      closes_on date NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT calls_window CHECK (closes_on >= opens_on)
    );
    CREATE INDEX calls_programme_idx ON calls (programme_id);

    -- Rules are versioned and never updated in place: an application keeps the version it was
    -- judged by, and a change of rules is a new row.
    CREATE TABLE call_rules (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      call_id uuid NOT NULL REFERENCES calls (id) ON DELETE CASCADE,
      version integer NOT NULL CHECK (version >= 1),
      rate numeric(5, 4) NOT NULL CHECK (rate > 0 AND rate <= 1),
      cap_per_company numeric(14, 2) NOT NULL CHECK (cap_per_company >= 0),
      min_company_age_years integer NOT NULL CHECK (min_company_age_years >= 0),
      max_turnover numeric(14, 2) NOT NULL CHECK (max_turnover >= 0),
      created_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (call_id, version)
    );

    CREATE TABLE call_rule_sectors (
      call_rules_id uuid NOT NULL REFERENCES call_rules (id) ON DELETE CASCADE,
      sector_code text NOT NULL REFERENCES sectors (code) ON UPDATE CASCADE,
      PRIMARY KEY (call_rules_id, sector_code)
    );

    -- The budget of a call: one row for the whole call (sector_code NULL) and optionally one
    -- per sector.
    CREATE TABLE envelopes (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      call_id uuid NOT NULL REFERENCES calls (id) ON DELETE CASCADE,
      sector_code text REFERENCES sectors (code) ON UPDATE CASCADE,
      amount numeric(14, 2) NOT NULL CHECK (amount >= 0),
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE UNIQUE INDEX envelopes_one_total_per_call ON envelopes (call_id) WHERE sector_code IS NULL;
    CREATE UNIQUE INDEX envelopes_one_per_call_sector ON envelopes (call_id, sector_code) WHERE sector_code IS NOT NULL;
  `);
};

export const down: MigrationModule["down"] = async ({ context: { sequelize } }) => {
  await sequelize.query(`
    DROP TABLE envelopes;
    DROP TABLE call_rule_sectors;
    DROP TABLE call_rules;
    DROP TABLE calls;
    DROP TABLE programme_budget_lines;
    DROP TABLE programmes;
    DROP TABLE solutions;
    DROP TABLE suppliers;
    DROP TABLE sectors;
    DROP TABLE regions;
  `);
};
