import type { MigrationModule } from "../server/db/migrator.js";

/**
 * Programme statistics as materialised aggregates: a handful of small tables (per programme,
 * region, sector, year or month) that the overview and the open data read in a few milliseconds
 * whatever the number of applications, refreshed in the background (server/commands/statistics.ts).
 * Each has a unique index, so it can be refreshed CONCURRENTLY while readers keep reading.
 */
export const up: MigrationModule["up"] = async ({ context: { sequelize } }) => {
  await sequelize.query(`
    -- Companies at the furthest step they reached in each programme (the funnel).
    CREATE MATERIALIZED VIEW stats_funnel AS
      WITH per_company AS (
        SELECT p.id AS programme_id, co.region_code, co.sector_code,
          bool_or(a.id IS NOT NULL) AS has_application,
          bool_or(a.reference IS NOT NULL) AS submitted,
          bool_or(a.status IN ('approved', 'claim_submitted', 'paid', 'closed')) AS approved,
          bool_or(COALESCE(a.paid_amount, 0) > 0) AS paid
        FROM programmes p
        CROSS JOIN companies co
        LEFT JOIN (applications a JOIN calls ca ON ca.id = a.call_id)
          ON a.company_id = co.id AND ca.programme_id = p.id
        GROUP BY p.id, co.id
      )
      SELECT programme_id, region_code, sector_code,
        count(*)::integer AS companies,
        count(*) FILTER (WHERE has_application)::integer AS drafts,
        count(*) FILTER (WHERE submitted)::integer AS submitted,
        count(*) FILTER (WHERE approved)::integer AS approved,
        count(*) FILTER (WHERE paid)::integer AS paid
      FROM per_company
      GROUP BY programme_id, region_code, sector_code;
    CREATE UNIQUE INDEX stats_funnel_key ON stats_funnel (programme_id, region_code, sector_code);

    -- Equipped SMEs: each company once, in the year of its first payment.
    CREATE MATERIALIZED VIEW stats_equipped AS
      SELECT programme_id, year, region_code, sector_code, count(*)::integer AS companies
      FROM (
        SELECT ca.programme_id, co.id, co.region_code, co.sector_code,
          extract(year FROM min(cl.paid_at) AT TIME ZONE 'Africa/Casablanca')::integer AS year
        FROM applications a
        JOIN calls ca ON ca.id = a.call_id
        JOIN companies co ON co.id = a.company_id
        JOIN claims cl ON cl.application_id = a.id AND cl.paid_at IS NOT NULL
        WHERE a.paid_amount > 0
        GROUP BY ca.programme_id, co.id
      ) AS first_payments
      GROUP BY programme_id, year, region_code, sector_code;
    CREATE UNIQUE INDEX stats_equipped_key ON stats_equipped (programme_id, year, region_code, sector_code);

    -- Permits by year of issue, region and sector of the holder's company, and status.
    CREATE MATERIALIZED VIEW stats_permits AS
      SELECT extract(year FROM c.issued_on)::integer AS year,
        COALESCE(co.region_code, 'unknown') AS region_code,
        COALESCE(co.sector_code, 'unknown') AS sector_code,
        c.status,
        count(*)::integer AS certificates
      FROM certificates c LEFT JOIN companies co ON co.id = c.company_id
      GROUP BY 1, 2, 3, 4;
    CREATE UNIQUE INDEX stats_permits_key ON stats_permits (year, region_code, sector_code, status);

    -- Submitted applications per month of first submission, region (the company's) and sector
    -- (the file's): what the open data publishes, and the prescribers' share. submitted_at is the
    -- latest submission (after a request for information); the first is the receipt of sequence 1.
    CREATE MATERIALIZED VIEW stats_applications AS
      SELECT ca.programme_id,
        to_char(COALESCE(first.created_at, a.submitted_at) AT TIME ZONE 'Africa/Casablanca', 'YYYY-MM') AS month,
        co.region_code, a.sector_code,
        count(*)::integer AS submitted,
        count(*) FILTER (WHERE a.status IN ('approved', 'claim_submitted', 'paid', 'closed'))::integer AS approved,
        count(*) FILTER (WHERE a.paid_amount > 0)::integer AS paid,
        COALESCE(sum(a.approved_amount) FILTER (WHERE a.status IN ('approved', 'claim_submitted', 'paid', 'closed')), 0)::numeric(16, 2) AS granted_amount,
        COALESCE(sum(a.paid_amount) FILTER (WHERE a.paid_amount > 0), 0)::numeric(16, 2) AS paid_amount,
        count(*) FILTER (WHERE a.filed_via_mandate_id IS NOT NULL)::integer AS submitted_via_mandate,
        count(*) FILTER (WHERE a.filed_via_mandate_id IS NOT NULL
          AND a.status IN ('approved', 'claim_submitted', 'paid', 'closed'))::integer AS approved_via_mandate
      FROM applications a
      JOIN calls ca ON ca.id = a.call_id
      JOIN companies co ON co.id = a.company_id
      LEFT JOIN application_submissions first ON first.application_id = a.id AND first.sequence = 1
      WHERE a.reference IS NOT NULL AND a.submitted_at IS NOT NULL
      GROUP BY 1, 2, 3, 4;
    CREATE UNIQUE INDEX stats_applications_key ON stats_applications (programme_id, month, region_code, sector_code);

    -- Files filed by each prescriber through a mandate.
    CREATE MATERIALIZED VIEW stats_prescribers AS
      SELECT ca.programme_id, m.prescriber_id,
        count(*)::integer AS submitted,
        count(*) FILTER (WHERE a.status IN ('approved', 'claim_submitted', 'paid', 'closed'))::integer AS approved
      FROM applications a
      JOIN calls ca ON ca.id = a.call_id
      JOIN mandates m ON m.id = a.filed_via_mandate_id
      WHERE a.reference IS NOT NULL
      GROUP BY 1, 2;
    CREATE UNIQUE INDEX stats_prescribers_key ON stats_prescribers (programme_id, prescriber_id);

    -- Median calendar days (Casablanca) from submission to decision and to payment, in one pass.
    CREATE MATERIALIZED VIEW stats_delays AS
      SELECT p.id AS programme_id,
        percentile_cont(0.5) WITHIN GROUP (ORDER BY d.decision_days)
          FILTER (WHERE d.decision_days IS NOT NULL) AS decision_median_days,
        count(d.decision_days)::integer AS decision_count,
        percentile_cont(0.5) WITHIN GROUP (ORDER BY d.payment_days)
          FILTER (WHERE d.payment_days IS NOT NULL) AS payment_median_days,
        count(d.payment_days)::integer AS payment_count
      FROM programmes p
      LEFT JOIN (
        SELECT ca.programme_id,
          CASE WHEN a.decided_at IS NOT NULL THEN
            (a.decided_at AT TIME ZONE 'Africa/Casablanca')::date - (a.submitted_at AT TIME ZONE 'Africa/Casablanca')::date
          END AS decision_days,
          CASE WHEN cl.paid_at IS NOT NULL THEN
            (cl.paid_at AT TIME ZONE 'Africa/Casablanca')::date - (a.submitted_at AT TIME ZONE 'Africa/Casablanca')::date
          END AS payment_days
        FROM applications a
        JOIN calls ca ON ca.id = a.call_id
        LEFT JOIN claims cl ON cl.application_id = a.id AND cl.paid_at IS NOT NULL
        WHERE a.submitted_at IS NOT NULL AND (a.decided_at IS NOT NULL OR cl.paid_at IS NOT NULL)
      ) AS d ON d.programme_id = p.id
      GROUP BY p.id;
    CREATE UNIQUE INDEX stats_delays_key ON stats_delays (programme_id);

    -- Applicant accounts (the funnel's first step), and when the aggregates were computed.
    CREATE MATERIALIZED VIEW stats_totals AS
      SELECT 1 AS id, now() AS generated_at,
        (SELECT count(*) FROM users WHERE role = 'applicant')::integer AS applicant_accounts;
    CREATE UNIQUE INDEX stats_totals_key ON stats_totals (id);

    -- What the views scan: payments by application, submitted files by call.
    CREATE INDEX IF NOT EXISTS claims_paid_idx ON claims (application_id) WHERE paid_at IS NOT NULL;
    CREATE INDEX IF NOT EXISTS applications_call_idx ON applications (call_id, company_id);

    DO $$
    BEGIN
      IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'moussanada_app') THEN
        GRANT SELECT ON stats_funnel, stats_equipped, stats_permits, stats_applications, stats_prescribers,
          stats_delays, stats_totals TO moussanada_app;
      END IF;
    END
    $$;
  `);
};

export const down: MigrationModule["down"] = async ({ context: { sequelize } }) => {
  await sequelize.query(`
    DROP INDEX IF EXISTS applications_call_idx;
    DROP INDEX IF EXISTS claims_paid_idx;
    DROP MATERIALIZED VIEW stats_totals;
    DROP MATERIALIZED VIEW stats_delays;
    DROP MATERIALIZED VIEW stats_prescribers;
    DROP MATERIALIZED VIEW stats_applications;
    DROP MATERIALIZED VIEW stats_permits;
    DROP MATERIALIZED VIEW stats_equipped;
    DROP MATERIALIZED VIEW stats_funnel;
  `);
};
