import pg from "pg";
import { APPLICATION_ROLE } from "../db/connection.js";
import { MIGRATION_TABLE } from "../db/migrator.js";
import { BackupError } from "./pgTools.js";

/** The schemas the application owns: its own, and graphile-worker's job queue. */
export const APPLICATION_SCHEMAS = ["public", "graphile_worker"] as const;

export interface EnvelopeTotals {
  id: string;
  callId: string;
  sectorCode: string | null;
  amount: string;
  committed: string;
  paid: string;
  /** Σ of the ledger rows of each kind on this envelope, NUMERIC(14,2) text. */
  commitments: string;
  releases: string;
  payments: string;
}

export interface LedgerFacts {
  rows: number;
  /** SHA-256 of every ledger row's text form, in id order, one per line (UTC, ISO dates). */
  digest: string;
  envelopes: EnvelopeTotals[];
}

export interface AuditFacts {
  events: number;
  headPosition: string | null;
  headHash: string | null;
}

export interface RolePrivileges {
  /** "table public.audit_events" → "SELECT,INSERT"; every object of the application's schemas. */
  objects: Record<string, string>;
  /** Default privileges the schema owner gives the role on what later migrations create. */
  defaults: string[];
}

/** What a backup records about its database and a restore must find again. */
export interface DatabaseFacts {
  serverVersion: string;
  serverMajor: number;
  migrations: string[];
  /** "public.users" → rows; ordinary tables only (materialized views are recomputed on restore). */
  tables: Record<string, number>;
  audit: AuditFacts;
  ledger: LedgerFacts;
  /** Null when the application role does not exist on the server. */
  applicationRole: RolePrivileges | null;
}

export interface ReferencedDocument {
  /** As the database recorded it at upload (null for e-mail attachments, which only name a key). */
  sha256: string | null;
  contentType: string;
}

type Queryable = Pick<pg.ClientBase, "query">;

/**
 * Text forms that do not depend on who asks: ledger rows are hashed as PostgreSQL prints them,
 * and functions are named with their schema.
 */
export async function useCanonicalSession(client: Queryable): Promise<void> {
  await client.query("SET TIME ZONE 'UTC'; SET DateStyle = 'ISO, YMD'; SET search_path = pg_catalog");
}

export async function serverVersionOf(client: Queryable): Promise<{ version: string; major: number }> {
  const { rows } = await client.query<{ version: string; number: string }>(
    "SELECT current_setting('server_version') AS version, current_setting('server_version_num') AS number",
  );
  const row = rows[0];
  if (!row) throw new Error("the server did not say its version");
  return { version: row.version.split(" ")[0] ?? row.version, major: Math.floor(Number(row.number) / 10_000) };
}

export async function listTables(client: Queryable): Promise<string[]> {
  const { rows } = await client.query<{ name: string }>(
    `SELECT quote_ident(n.nspname) || '.' || quote_ident(c.relname) AS name
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE c.relkind IN ('r', 'p') AND n.nspname = ANY($1)
      ORDER BY n.nspname, c.relname`,
    [APPLICATION_SCHEMAS],
  );
  return rows.map((row) => row.name);
}

async function countRows(client: Queryable, tables: string[]): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of tables) {
    // Names come from quote_ident() above.
    const { rows } = await client.query<{ count: string }>(`SELECT count(*)::text AS count FROM ${table}`);
    counts[table] = Number(rows[0]?.count ?? "0");
  }
  return counts;
}

async function migrationsOf(client: Queryable): Promise<string[]> {
  const { rows: exists } = await client.query("SELECT to_regclass($1) AS oid", [`public.${MIGRATION_TABLE}`]);
  if (exists[0]?.oid === null) {
    throw new BackupError("the database has no schema_migrations table: it was never migrated (npm run db:migrate)");
  }
  const { rows } = await client.query<{ name: string }>(`SELECT name FROM public.${MIGRATION_TABLE} ORDER BY name`);
  return rows.map((row) => row.name);
}

async function auditFacts(client: Queryable): Promise<AuditFacts> {
  const { rows } = await client.query<{ events: string; position: string | null; hash: string | null }>(
    `SELECT (SELECT count(*) FROM public.audit_events)::text AS events, head.position::text AS position, head.hash
       FROM (SELECT 1) one
       LEFT JOIN LATERAL (SELECT position, hash FROM public.audit_events ORDER BY position DESC LIMIT 1) head ON TRUE`,
  );
  const row = rows[0];
  return { events: Number(row?.events ?? "0"), headPosition: row?.position ?? null, headHash: row?.hash ?? null };
}

async function ledgerFacts(client: Queryable): Promise<LedgerFacts> {
  const { rows: summary } = await client.query<{ rows: string; digest: string }>(
    `SELECT count(*)::text AS rows,
            encode(sha256(convert_to(coalesce(string_agg(l::text, E'\\n' ORDER BY l.id), ''), 'UTF8')), 'hex') AS digest
       FROM public.budget_ledger l`,
  );
  const { rows: envelopes } = await client.query<EnvelopeTotals>(
    `SELECT e.id::text AS id, e.call_id::text AS "callId", e.sector_code AS "sectorCode", e.amount::text AS amount,
            e.committed::text AS committed, e.paid::text AS paid,
            COALESCE(SUM(l.amount) FILTER (WHERE l.kind = 'commitment'), 0)::numeric(14, 2)::text AS commitments,
            COALESCE(SUM(l.amount) FILTER (WHERE l.kind = 'release'), 0)::numeric(14, 2)::text AS releases,
            COALESCE(SUM(l.amount) FILTER (WHERE l.kind = 'payment'), 0)::numeric(14, 2)::text AS payments
       FROM public.envelopes e LEFT JOIN public.budget_ledger l ON l.envelope_id = e.id
      GROUP BY e.id ORDER BY e.id`,
  );
  return { rows: Number(summary[0]?.rows ?? "0"), digest: summary[0]?.digest ?? "", envelopes };
}

/**
 * What the application role may do on every table, sequence, function and schema of the
 * application, and the defaults it gets on future objects: a restore must give it exactly this
 * (the audit trail and the ledger stay append-only for it).
 */
async function rolePrivileges(client: Queryable): Promise<RolePrivileges | null> {
  const { rows: role } = await client.query("SELECT 1 FROM pg_roles WHERE rolname = $1", [APPLICATION_ROLE]);
  if (role.length === 0) return null;
  const { rows } = await client.query<{ name: string; privileges: string }>(
    `WITH objects AS (
       SELECT CASE c.relkind WHEN 'S' THEN 'sequence ' WHEN 'v' THEN 'view ' WHEN 'm' THEN 'materialized view '
                ELSE 'table ' END || c.oid::regclass::text AS name,
              CASE WHEN c.relkind = 'S'
                THEN ARRAY(SELECT p FROM unnest(ARRAY['USAGE', 'SELECT', 'UPDATE']) p
                            WHERE has_sequence_privilege($1, c.oid, p))
                ELSE ARRAY(SELECT p FROM unnest(ARRAY['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'TRUNCATE', 'REFERENCES', 'TRIGGER']) p
                            WHERE has_table_privilege($1, c.oid, p)) END AS privileges
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = ANY($2) AND c.relkind IN ('r', 'p', 'v', 'm', 'S')
       UNION ALL
       SELECT 'function ' || p.oid::regprocedure::text,
              ARRAY(SELECT 'EXECUTE' WHERE has_function_privilege($1, p.oid, 'EXECUTE'))
         FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
        WHERE n.nspname = ANY($2)
       UNION ALL
       SELECT 'schema ' || n.nspname,
              ARRAY(SELECT p FROM unnest(ARRAY['USAGE', 'CREATE']) p WHERE has_schema_privilege($1, n.oid, p))
         FROM pg_namespace n WHERE n.nspname = ANY($2)
     )
     SELECT name, array_to_string(privileges, ',') AS privileges FROM objects ORDER BY name`,
    [APPLICATION_ROLE, APPLICATION_SCHEMAS],
  );
  const { rows: defaults } = await client.query<{ entry: string }>(
    `SELECT coalesce(d.defaclnamespace::regnamespace::text, '*') || ' ' || d.defaclobjtype::text || ' ' || a.privilege_type AS entry
       FROM pg_default_acl d CROSS JOIN LATERAL aclexplode(d.defaclacl) a
      WHERE d.defaclrole = (SELECT oid FROM pg_roles WHERE rolname = current_user)
        AND a.grantee = (SELECT oid FROM pg_roles WHERE rolname = $1)
      ORDER BY 1`,
    [APPLICATION_ROLE],
  );
  return {
    objects: Object.fromEntries(rows.map((row) => [row.name, row.privileges])),
    defaults: defaults.map((row) => row.entry),
  };
}

/** Run inside one REPEATABLE READ transaction, these all describe the same instant. */
export async function collectDatabaseFacts(client: Queryable): Promise<DatabaseFacts> {
  const server = await serverVersionOf(client);
  const migrations = await migrationsOf(client);
  const tables = await countRows(client, await listTables(client));
  return {
    serverVersion: server.version,
    serverMajor: server.major,
    migrations,
    tables,
    audit: await auditFacts(client),
    ledger: await ledgerFacts(client),
    applicationRole: await rolePrivileges(client),
  };
}

/**
 * Every storage key the database points at: uploaded documents, certificate PDFs, and e-mail
 * attachments kept as keys. A new column holding keys must be added here.
 */
export async function referencedDocuments(client: Queryable): Promise<Map<string, ReferencedDocument>> {
  const { rows } = await client.query<{ key: string; sha256: string | null; contentType: string | null }>(
    `SELECT storage_key AS key, sha256, mime_type AS "contentType" FROM public.documents
     UNION ALL
     SELECT pdf_key, pdf_sha256, 'application/pdf' FROM public.certificates WHERE pdf_key IS NOT NULL
     UNION ALL
     SELECT a ->> 'storageKey', NULL, a ->> 'contentType'
       FROM public.outbox_messages o CROSS JOIN LATERAL jsonb_array_elements(o.attachments) a
      WHERE jsonb_typeof(a) = 'object' AND a ? 'storageKey'`,
  );
  const documents = new Map<string, ReferencedDocument>();
  for (const row of rows) {
    const known = documents.get(row.key);
    if (known?.sha256) continue;
    documents.set(row.key, {
      sha256: row.sha256,
      contentType: row.contentType ?? known?.contentType ?? "application/octet-stream",
    });
  }
  return documents;
}

export async function connect(url: string, applicationName: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url, application_name: applicationName });
  await client.connect();
  await useCanonicalSession(client);
  return client;
}
