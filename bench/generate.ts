/**
 * Realistic volumes for the statistics benchmark: applicant accounts, companies over the 12
 * regions and 5 sectors (Casablanca-Settat heavy), mandates to prescribers, 1,000,000 applications
 * over the calls 2024–2026 with the programme's status mix, their claims, and 10,000 Permis
 * Numérique certificates with their sessions and passed enrolments.
 *
 * Deterministic: every draw comes from a seeded PRNG (mulberry32, one stream per table) and every
 * id is derived from its table and row number, so the same seed gives the same rows.
 * Rows go in through `INSERT … SELECT * FROM unnest($1::type[], …)`, a batch of many rows per
 * statement (one parameter per column), on the schema owner's connection.
 *
 * With `--documents`, the `documents` rows each file carries at its status (metadata only: type,
 * name, MIME type, size, SHA-256 and storage key; no bytes in the store).
 * Not generated (the statistics read none of them): investment lines, chosen solutions,
 * status history, submission snapshots, audit events, claim invoices. The budget
 * ledger is not written row by row either: the envelopes' `committed` and `paid` columns are set
 * to what the ledger would give, and the envelopes raised to hold a million files (see README).
 *
 *   BENCH_DATABASE_URL=postgres://owner@host/db npx tsx bench/generate.ts [--applications 1000000]
 *     [--companies 200000] [--certificates 10000] [--seed 8]
 *     [--documents]
 */
import { createHash } from "node:crypto";
import path from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { CURRENT_PROGRAMME_CODE, DEFAULT_CALL_RULES } from "../seeds/reference.js";
import { localDate } from "../server/domain/calendar.js";
import { iceWithKey } from "../server/domain/ice.js";

export interface GenerateOptions {
  applications: number;
  companies: number;
  certificates: number;
  seed: number;
  /**
   * Documents metadata (rows in `documents`, no files): the pieces each file would carry at its
   * status. Off by default, as the statistics read none of them.
   */
  documents: boolean;
  /** Progress lines; silent when absent. */
  log?: (line: string) => void;
}

export interface GenerateSummary {
  users: number;
  companies: number;
  mandates: number;
  applications: number;
  claims: number;
  documents: number;
  certificates: number;
  seconds: number;
}

export const DEFAULT_OPTIONS: Omit<GenerateOptions, "log"> = {
  applications: 1_000_000,
  companies: 200_000,
  certificates: 10_000,
  seed: 8,
  documents: false,
};

/** `npm run bench:seed` and `npm run bench` (issue 9): the volumes the HTTP benchmark runs on. */
export const SEED_OPTIONS: Omit<GenerateOptions, "log"> = {
  applications: 100_000,
  companies: 50_000,
  certificates: 10_000,
  seed: 9,
  documents: true,
};

/** Generated rows are dated up to this instant, whatever the machine's clock says. */
export const GENERATION_NOW = new Date("2026-11-20T12:00:00Z");
export const BENCH_EMAIL_DOMAIN = "bench.moussanada.ma";

/**
 * How many applications a database holds when it holds generated data (its generated applicant
 * accounts), null when it holds none: the benchmarks then reuse it rather than generate again.
 */
export async function generatedApplications(ownerUrl: string): Promise<number | null> {
  const client = new pg.Client({ connectionString: ownerUrl });
  await client.connect();
  try {
    const users = await client.query("SELECT 1 FROM users WHERE email LIKE $1 LIMIT 1", [
      `bench-applicant-%@${BENCH_EMAIL_DOMAIN}`,
    ]);
    if (users.rows.length === 0) return null;
    const count = await client.query<{ count: string }>("SELECT count(*) FROM applications");
    return Number(count.rows[0]?.count ?? 0);
  } finally {
    await client.end();
  }
}
const YEARS = [2024, 2025, 2026] as const;
const DAY_MS = 24 * 60 * 60 * 1000;
const BATCH_ROWS = 10_000;

// ---------------------------------------------------------------------------------------------
// Randomness

/** mulberry32: a small, fast 32-bit PRNG; good enough for test data, and reproducible. */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** MurmurHash3's finaliser: a bijection on 32 bits that scatters consecutive numbers. */
function fmix32(value: number): number {
  let h = value >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

class Random {
  private readonly next: () => number;

  constructor(seed: number, stream: string) {
    let hash = fmix32(seed);
    for (const char of stream) hash = fmix32(hash ^ char.charCodeAt(0));
    this.next = mulberry32(hash);
  }

  float(): number {
    return this.next();
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  pick<T>(items: readonly T[]): T {
    const item = items[Math.floor(this.next() * items.length)];
    if (item === undefined) throw new Error("pick() from an empty list");
    return item;
  }

  /** Log-normal around `median` (spread = sigma of the log), clamped to [min, max]. */
  logNormal(median: number, sigma: number, min: number, max: number): number {
    const u = Math.max(this.next(), 1e-12);
    const v = this.next();
    const normal = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    return Math.min(max, Math.max(min, median * Math.exp(sigma * normal)));
  }
}

/** Draws from fixed weights with a cumulative table. */
class Weighted<T> {
  private readonly cumulative: number[] = [];
  private readonly items: T[] = [];

  constructor(entries: ReadonlyArray<readonly [T, number]>) {
    let total = 0;
    for (const [, weight] of entries) total += weight;
    let running = 0;
    for (const [item, weight] of entries) {
      running += weight / total;
      this.items.push(item);
      this.cumulative.push(running);
    }
  }

  draw(random: Random): T {
    const x = random.float();
    for (let i = 0; i < this.cumulative.length; i += 1) {
      if (x < (this.cumulative[i] ?? 1)) return this.items[i] as T;
    }
    return this.items[this.items.length - 1] as T;
  }
}

const TABLE_TAGS = {
  user: 0x0001,
  company: 0x0002,
  mandate: 0x0003,
  application: 0x0004,
  claim: 0x0005,
  session: 0x0006,
  enrolment: 0x0007,
  certificate: 0x0008,
  call: 0x0009,
  rules: 0x000a,
  envelope: 0x000b,
  document: 0x000c,
} as const;

const hex = (value: number, digits: number) => (value >>> 0).toString(16).padStart(digits, "0").slice(-digits);

/**
 * A version-4-shaped UUID unique by construction (table tag + row number), with a scattered
 * first group so the primary keys land all over their B-tree as random UUIDs do.
 */
function rowId(seed: number, table: keyof typeof TABLE_TAGS, row: number): string {
  const tag = TABLE_TAGS[table];
  const scattered = fmix32(row ^ Math.imul(tag, 0x9e3779b1) ^ seed);
  return `${hex(scattered, 8)}-${hex(tag, 4)}-4${hex(seed, 3)}-8${hex(Math.floor(row / 2 ** 32), 3)}-${hex(row, 12)}`;
}

// ---------------------------------------------------------------------------------------------
// Reference shapes

/** Approximate share of Moroccan SMEs by region (Casablanca-Settat about a third). */
const REGION_WEIGHTS: ReadonlyArray<readonly [string, number]> = [
  ["casablanca-settat", 34],
  ["rabat-sale-kenitra", 13],
  ["tanger-tetouan-al-hoceima", 11],
  ["fes-meknes", 9],
  ["marrakech-safi", 9],
  ["souss-massa", 6],
  ["oriental", 5],
  ["beni-mellal-khenifra", 4],
  ["draa-tafilalet", 3],
  ["guelmim-oued-noun", 2],
  ["laayoune-sakia-el-hamra", 2],
  ["dakhla-oued-ed-dahab", 2],
];

const SECTOR_WEIGHTS: ReadonlyArray<readonly [string, number]> = [
  ["commerce", 34],
  ["agroalimentaire", 24],
  ["textile-habillement", 20],
  ["automobile", 12],
  ["cuir", 10],
];

const CITIES: Record<string, readonly string[]> = {
  "casablanca-settat": ["Casablanca", "Mohammedia", "El Jadida", "Settat", "Berrechid"],
  "rabat-sale-kenitra": ["Rabat", "Salé", "Kénitra", "Témara", "Khémisset"],
  "tanger-tetouan-al-hoceima": ["Tanger", "Tétouan", "Larache", "Al Hoceïma"],
  "fes-meknes": ["Fès", "Meknès", "Taza", "Ifrane"],
  "marrakech-safi": ["Marrakech", "Safi", "Essaouira", "El Kelâa des Sraghna"],
  "souss-massa": ["Agadir", "Inezgane", "Taroudant", "Tiznit"],
  oriental: ["Oujda", "Nador", "Berkane"],
  "beni-mellal-khenifra": ["Béni Mellal", "Khouribga", "Khénifra"],
  "draa-tafilalet": ["Errachidia", "Ouarzazate", "Midelt"],
  "guelmim-oued-noun": ["Guelmim", "Tan-Tan", "Sidi Ifni"],
  "laayoune-sakia-el-hamra": ["Laâyoune", "Boujdour"],
  "dakhla-oued-ed-dahab": ["Dakhla"],
};

const FIRST_NAMES = [
  "Fatima",
  "Mohamed",
  "Khadija",
  "Youssef",
  "Aicha",
  "Ahmed",
  "Salma",
  "Omar",
  "Nadia",
  "Karim",
  "Meryem",
  "Hicham",
  "Laila",
  "Rachid",
  "Imane",
  "Said",
  "Zineb",
  "Mehdi",
  "Hanane",
  "Anas",
] as const;
const LAST_NAMES = [
  "Alaoui",
  "Bennani",
  "El Amrani",
  "Idrissi",
  "Tazi",
  "Berrada",
  "Chraibi",
  "Benjelloun",
  "Fassi",
  "El Ouardi",
  "Lahlou",
  "Squalli",
  "Ziani",
  "Bouzid",
  "Naciri",
  "Kettani",
  "Amrani",
  "Sebti",
  "Belkadi",
  "Haddad",
] as const;
const COMPANY_WORDS = [
  "Atlas",
  "Nour",
  "Rif",
  "Sahara",
  "Oasis",
  "Andalous",
  "Argane",
  "Zellige",
  "Majorelle",
  "Bouregreg",
  "Toubkal",
  "Medina",
  "Tensift",
  "Sebou",
  "Moulouya",
  "Anfa",
] as const;
const SECTOR_NOUNS: Record<string, string> = {
  commerce: "Négoce",
  agroalimentaire: "Agro",
  "textile-habillement": "Textile",
  automobile: "Auto Pièces",
  cuir: "Maroquinerie",
};
const LEGAL_FORMS = new Weighted<string>([
  ["SARL", 45],
  ["SARL_AU", 30],
  ["SA", 8],
  ["SNC", 2],
  ["PP", 10],
  ["AE", 5],
]);
const DESCRIPTIONS = [
  "Informatiser la gestion commerciale (devis, factures, stocks) et relier la caisse à la comptabilité.",
  "Mettre en place un progiciel de planification de la production et le suivi des commandes de l'atelier.",
  "Équiper l'entreprise d'un ERP sectoriel, former les équipes et reprendre les données des tableurs existants.",
  "Lancer une boutique en ligne avec paiement électronique et gestion des expéditions vers tout le Maroc.",
  "Déployer la traçabilité des lots, de la réception des matières premières à la livraison des clients.",
  "Remplacer le parc informatique obsolète et sécuriser les sauvegardes des données de l'entreprise.",
] as const;

type Status =
  | "draft"
  | "submitted"
  | "in_review"
  | "info_requested"
  | "examined"
  | "approved"
  | "rejected"
  | "claim_submitted"
  | "paid"
  | "closed"
  | "withdrawn";

/** ~30 % drafts, 10 % under review, 15 % rejected, 5 % withdrawn, 40 % approved and beyond. */
const STATUS_WEIGHTS = new Weighted<Status>([
  ["draft", 30],
  ["submitted", 2.5],
  ["in_review", 2.5],
  ["info_requested", 2.5],
  ["examined", 2.5],
  ["rejected", 15],
  ["withdrawn", 5],
  ["approved", 6],
  ["claim_submitted", 6],
  ["paid", 8],
  ["closed", 20],
]);
/** Statuses held by the unique index "one open application per company and call". */
const OPEN_STATUSES = new Set<Status>([
  "submitted",
  "in_review",
  "info_requested",
  "examined",
  "approved",
  "claim_submitted",
  "paid",
]);
const DECIDED = new Set<Status>(["approved", "rejected", "claim_submitted", "paid", "closed"]);
const APPROVED = new Set<Status>(["approved", "claim_submitted", "paid", "closed"]);
const WITH_CLAIM = new Set<Status>(["claim_submitted", "paid", "closed"]);
const PAID = new Set<Status>(["paid", "closed"]);
const YEAR_WEIGHTS = new Weighted<number>([
  [2024, 25],
  [2025, 35],
  [2026, 40],
]);

// ---------------------------------------------------------------------------------------------
// Bulk insertion

type Cell = string | number | boolean | null;

/**
 * Rows buffered column by column and written as one `INSERT … SELECT * FROM unnest(…)`, on the
 * table's own connection. One batch is in flight while the next is drawn, so PostgreSQL and the
 * generator work at the same time; a child table's batch waits until its parents' are written.
 */
class BulkInsert {
  private columns: Cell[][];
  private rows = 0;
  private client: pg.Client | null = null;
  private pending: Promise<unknown> = Promise.resolve();
  total = 0;

  constructor(
    private readonly url: string,
    private readonly table: string,
    private readonly spec: ReadonlyArray<readonly [string, string]>,
    /** Tables this one's foreign keys point to. */
    private readonly parents: readonly BulkInsert[] = [],
  ) {
    this.columns = spec.map(() => []);
  }

  async add(values: readonly Cell[]): Promise<void> {
    if (values.length !== this.spec.length) {
      throw new Error(`${this.table}: ${values.length} values for ${this.spec.length} columns`);
    }
    values.forEach((value, index) => this.columns[index]?.push(value));
    this.rows += 1;
    if (this.rows >= BATCH_ROWS) await this.flush();
  }

  private async connection(): Promise<pg.Client> {
    if (this.client) return this.client;
    // Losing the last commits on a crash is fine for generated data, and the load is faster.
    const client = new pg.Client({
      connectionString: this.url,
      application_name: `moussanada-bench-${this.table}`,
      options: "-c synchronous_commit=off",
    });
    await client.connect();
    this.client = client;
    return client;
  }

  async flush(): Promise<void> {
    if (this.rows === 0) return;
    for (const parent of this.parents) await parent.written();
    const names = this.spec.map(([name]) => name).join(", ");
    const arrays = this.spec.map(([, type], index) => `$${index + 1}::${type}[]`).join(", ");
    const columns = this.columns;
    this.total += this.rows;
    this.rows = 0;
    this.columns = this.spec.map(() => []);
    const client = await this.connection();
    await this.pending;
    this.pending = client.query(`INSERT INTO ${this.table} (${names}) SELECT * FROM unnest(${arrays})`, columns);
    // Reported by the next flush() or by finish(), not as an unhandled rejection.
    this.pending.catch(() => undefined);
  }

  /** Every row added so far is in the table. */
  async written(): Promise<void> {
    await this.flush();
    await this.pending;
  }

  async finish(): Promise<void> {
    try {
      await this.written();
    } finally {
      await this.client?.end();
      this.client = null;
    }
  }
}

function money(value: number): string {
  return (Math.round(value * 100) / 100).toFixed(2);
}

function instant(ms: number): string {
  return new Date(ms).toISOString();
}

function yearStart(year: number): number {
  return Date.UTC(year, 0, 1, 8, 0, 0);
}

// ---------------------------------------------------------------------------------------------
// Generation

interface Context {
  client: pg.Client;
  url: string;
  options: GenerateOptions;
  log: (line: string) => void;
  started: number;
}

interface CallInfo {
  id: string;
  rulesId: string;
  year: number;
}

interface People {
  officers: string[];
  trainers: string[];
  admins: string[];
  prescribers: string[];
  applicants: string[];
}

interface Companies {
  ids: string[];
  owners: string[];
  names: string[];
  regions: string[];
  sectors: string[];
  /** Mandate id and prescriber of the company's live mandate, if any. */
  mandateIds: Array<string | null>;
  mandatePrescribers: Array<string | null>;
}

function elapsed(context: Context): string {
  return `${((Date.now() - context.started) / 1000).toFixed(1)} s`;
}

async function ensureCalls(context: Context): Promise<CallInfo[]> {
  const { client, options } = context;
  const programme = await client.query<{ id: string }>("SELECT id FROM programmes WHERE code = $1", [
    CURRENT_PROGRAMME_CODE,
  ]);
  const programmeId = programme.rows[0]?.id;
  if (!programmeId) throw new Error(`Programme ${CURRENT_PROGRAMME_CODE} is missing: migrate and seed first`);
  // The generated history starts in 2024: the programme is made to start then too.
  await client.query("UPDATE programmes SET starts_on = LEAST(starts_on, '2024-01-01') WHERE id = $1", [programmeId]);
  const calls: CallInfo[] = [];
  for (const year of YEARS) {
    const code = `moussanada-${year}`;
    let call = await client.query<{ id: string }>("SELECT id FROM calls WHERE code = $1", [code]);
    if (call.rows.length === 0) {
      await client.query("BEGIN");
      const callId = rowId(options.seed, "call", year);
      const rulesId = rowId(options.seed, "rules", year);
      await client.query(
        `INSERT INTO calls (id, programme_id, code, title_fr, title_ar, opens_on, closes_on)
         VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        [
          callId,
          programmeId,
          code,
          `Appel à candidatures Moussanada ${year}`,
          `طلب ترشيحات مساندة ${year}`,
          `${year}-01-01`,
          `${year}-12-31`,
        ],
      );
      await client.query(
        `INSERT INTO call_rules (id, call_id, version, rate, cap_per_company, min_company_age_years, max_turnover)
         VALUES ($1, $2, 1, $3, $4, $5, $6)`,
        [
          rulesId,
          callId,
          DEFAULT_CALL_RULES.rate,
          DEFAULT_CALL_RULES.capPerCompany,
          DEFAULT_CALL_RULES.minCompanyAgeYears,
          DEFAULT_CALL_RULES.maxTurnover,
        ],
      );
      await client.query(
        "INSERT INTO call_rule_sectors (call_rules_id, sector_code) SELECT $1, code FROM sectors WHERE active",
        [rulesId],
      );
      await client.query(
        `INSERT INTO envelopes (id, call_id, sector_code, amount)
         SELECT gen_random_uuid(), $1::uuid, NULL, 80000000.00
         UNION ALL SELECT gen_random_uuid(), $1::uuid, code, 16000000.00 FROM sectors WHERE active`,
        [callId],
      );
      await client.query("COMMIT");
      call = await client.query<{ id: string }>("SELECT id FROM calls WHERE code = $1", [code]);
    }
    const callId = call.rows[0]?.id;
    if (!callId) throw new Error(`Call ${code} could not be created`);
    const rules = await client.query<{ id: string }>(
      "SELECT id FROM call_rules WHERE call_id = $1 ORDER BY version DESC LIMIT 1",
      [callId],
    );
    const rulesId = rules.rows[0]?.id;
    if (!rulesId) throw new Error(`Call ${code} has no rules`);
    calls.push({ id: callId, rulesId, year });
  }
  return calls;
}

function fullName(random: Random): string {
  return `${random.pick(FIRST_NAMES)} ${random.pick(LAST_NAMES)}`;
}

async function generateUsers(context: Context): Promise<People> {
  const { options } = context;
  const random = new Random(options.seed, "users");
  const insert = new BulkInsert(context.url, "users", [
    ["id", "uuid"],
    ["role", "text"],
    ["full_name", "text"],
    ["email", "text"],
    ["phone", "text"],
    ["locale", "text"],
    ["email_verified_at", "timestamptz"],
    ["prescriber_kind", "text"],
    ["prescriber_registration_number", "text"],
    ["prescriber_organisation", "text"],
    ["created_at", "timestamptz"],
    ["updated_at", "timestamptz"],
  ]);
  const people: People = { officers: [], trainers: [], admins: [], prescribers: [], applicants: [] };
  let row = 0;
  const organisations = Array.from({ length: 120 }, (_, index) =>
    index % 4 === 3
      ? `Association ${random.pick(COMPANY_WORDS)} des PME ${index + 1}`
      : `Cabinet ${random.pick(LAST_NAMES)} Expertise ${index + 1}`,
  );
  const add = async (role: string, list: string[], count: number, prefix: string) => {
    for (let index = 0; index < count; index += 1) {
      const id = rowId(options.seed, "user", row);
      row += 1;
      const created = yearStart(2023) + random.float() * (GENERATION_NOW.getTime() - yearStart(2023));
      const prescriber = role === "prescriber";
      // A few big firms file most of the mandated files: organisation rank is skewed.
      const organisation = organisations[Math.floor(organisations.length * random.float() ** 2)] ?? "Cabinet";
      await insert.add([
        id,
        role,
        fullName(random),
        `${prefix}-${String(index + 1).padStart(6, "0")}@${BENCH_EMAIL_DOMAIN}`,
        random.chance(0.7) ? `+2126${String(random.int(10_000_000, 99_999_999))}` : null,
        random.chance(0.8) ? "fr" : "ar",
        instant(created + 3_600_000),
        prescriber ? (organisation.startsWith("Association") ? "association" : "accountant") : null,
        prescriber ? `OEC-${String(index + 1).padStart(5, "0")}` : null,
        prescriber ? organisation : null,
        instant(created),
        instant(created),
      ]);
      list.push(id);
    }
  };
  await add("admin", people.admins, 2, "bench-admin");
  await add("officer", people.officers, 30, "bench-officer");
  await add("trainer", people.trainers, 20, "bench-trainer");
  await add("prescriber", people.prescribers, 300, "bench-prescriber");
  // 15 % of applicant accounts never register a company (the funnel's first drop).
  await add("applicant", people.applicants, Math.ceil(options.companies * 1.15), "bench-applicant");
  await insert.finish();
  context.log(`  users: ${insert.total.toLocaleString("en")} (${elapsed(context)})`);
  return people;
}

async function generateCompanies(context: Context, people: People): Promise<Companies> {
  const { options } = context;
  const random = new Random(options.seed, "companies");
  const regions = new Weighted(REGION_WEIGHTS);
  const sectors = new Weighted(SECTOR_WEIGHTS);
  const insert = new BulkInsert(context.url, "companies", [
    ["id", "uuid"],
    ["ice", "text"],
    ["name", "text"],
    ["legal_form", "text"],
    ["rc_number", "text"],
    ["rc_court", "text"],
    ["if_number", "text"],
    ["cnss_number", "text"],
    ["sector_code", "text"],
    ["region_code", "text"],
    ["city", "text"],
    ["address", "text"],
    ["founded_on", "date"],
    ["employees", "int4"],
    ["annual_turnover", "numeric"],
    ["owner_id", "uuid"],
    ["manager_name", "text"],
    ["manager_email", "text"],
    ["created_by", "uuid"],
    ["created_at", "timestamptz"],
    ["updated_at", "timestamptz"],
  ]);
  const companies: Companies = {
    ids: [],
    owners: [],
    names: [],
    regions: [],
    sectors: [],
    mandateIds: [],
    mandatePrescribers: [],
  };
  for (let index = 0; index < options.companies; index += 1) {
    const id = rowId(options.seed, "company", index);
    const region = regions.draw(random);
    const sector = sectors.draw(random);
    const city = random.pick(CITIES[region] ?? ["Casablanca"]);
    const owner = people.applicants[index];
    if (!owner) throw new Error("fewer applicants than companies");
    const legalForm = LEGAL_FORMS.draw(random);
    const name = `${random.pick(COMPANY_WORDS)} ${SECTOR_NOUNS[sector] ?? "Services"} ${index + 1} ${legalForm.replace("_", " ")}`;
    const employees = Math.round(random.logNormal(12, 1.1, 1, 249));
    const turnover = random.logNormal(employees * 350_000, 0.6, 100_000, 99_000_000);
    const created = yearStart(2023) + random.float() * (yearStart(2026) + 300 * DAY_MS - yearStart(2023));
    await insert.add([
      id,
      iceWithKey(`003${String(index).padStart(10, "0")}`),
      name,
      legalForm,
      String(100_000 + index),
      `Tribunal de commerce de ${city}`,
      String(40_000_000 + index),
      String(7_000_000 + index),
      sector,
      region,
      city,
      `${random.int(1, 250)}, rue ${random.pick(COMPANY_WORDS)}, ${city}`,
      `${random.int(1985, 2022)}-${String(random.int(1, 12)).padStart(2, "0")}-${String(random.int(1, 28)).padStart(2, "0")}`,
      employees,
      money(turnover),
      owner,
      fullName(random),
      `bench-applicant-${String(index + 1).padStart(6, "0")}@${BENCH_EMAIL_DOMAIN}`,
      owner,
      instant(created),
      instant(created),
    ]);
    companies.ids.push(id);
    companies.owners.push(owner);
    companies.names.push(name);
    companies.regions.push(region);
    companies.sectors.push(sector);
  }
  await insert.finish();
  context.log(`  companies: ${insert.total.toLocaleString("en")} (${elapsed(context)})`);

  // 40 % of companies give a mandate to a prescriber; a few prescribers hold most of them.
  const mandates = new BulkInsert(context.url, "mandates", [
    ["id", "uuid"],
    ["company_id", "uuid"],
    ["prescriber_id", "uuid"],
    ["granted_by", "uuid"],
    ["source", "text"],
    ["created_at", "timestamptz"],
    ["updated_at", "timestamptz"],
  ]);
  const mandateRandom = new Random(options.seed, "mandates");
  for (let index = 0; index < options.companies; index += 1) {
    if (!mandateRandom.chance(0.4)) {
      companies.mandateIds.push(null);
      companies.mandatePrescribers.push(null);
      continue;
    }
    const id = rowId(options.seed, "mandate", index);
    const prescriber =
      people.prescribers[Math.floor(people.prescribers.length * mandateRandom.float() ** 2.5)] ?? people.prescribers[0];
    if (!prescriber) throw new Error("no prescriber");
    const owner = companies.owners[index] ?? "";
    const created = instant(yearStart(2023) + mandateRandom.float() * 365 * DAY_MS);
    await mandates.add([id, companies.ids[index] ?? "", prescriber, owner, "owner-grant", created, created]);
    companies.mandateIds.push(id);
    companies.mandatePrescribers.push(prescriber);
  }
  await mandates.finish();
  context.log(`  mandates: ${mandates.total.toLocaleString("en")} (${elapsed(context)})`);
  return companies;
}

type DocumentType =
  | "quote"
  | "rc_extract"
  | "tax_certificate"
  | "cnss_certificate"
  | "sworn_declaration"
  | "statutes"
  | "financial_statements"
  | "invoice"
  | "payment_proof"
  | "acceptance_report"
  | "other";

interface Piece {
  type: DocumentType;
  name: string;
  /** Median size in bytes (log-normal around it). */
  median: number;
  /** Share of scans (JPEG or PNG) rather than PDFs. */
  scans: number;
  /** Filed with the claim rather than with the application. */
  claim: boolean;
}

const SUPPLIER_WORDS = ["Sage", "Odoo", "Atlas Info", "Maroc Soft", "Digitech", "Nour Systèmes"] as const;

/** The pieces an application carries at its status, with plausible names and sizes. */
function piecesFor(random: Random, status: Status): Piece[] {
  const filing: Piece[] = [];
  const quotes = random.int(1, 3);
  for (let quote = 1; quote <= quotes; quote += 1) {
    filing.push({
      type: "quote",
      name: `Devis ${random.pick(SUPPLIER_WORDS)} ${quote}.pdf`,
      median: 180_000,
      scans: 0.1,
      claim: false,
    });
  }
  filing.push(
    { type: "rc_extract", name: "Extrait RC (modèle 7).pdf", median: 250_000, scans: 0.2, claim: false },
    {
      type: "tax_certificate",
      name: "Attestation de régularité fiscale.pdf",
      median: 150_000,
      scans: 0.2,
      claim: false,
    },
    { type: "cnss_certificate", name: "Attestation CNSS.pdf", median: 140_000, scans: 0.2, claim: false },
    { type: "sworn_declaration", name: "Déclaration sur l'honneur.pdf", median: 400_000, scans: 0.35, claim: false },
  );
  if (random.chance(0.6)) {
    filing.push({ type: "statutes", name: "Statuts.pdf", median: 1_200_000, scans: 0.05, claim: false });
  }
  if (random.chance(0.4)) {
    filing.push({ type: "financial_statements", name: "Bilan 2024.pdf", median: 900_000, scans: 0.05, claim: false });
  }
  if (random.chance(0.05))
    filing.push({ type: "other", name: "Complément.pdf", median: 300_000, scans: 0.3, claim: false });
  // A draft (or a file withdrawn before submission) has uploaded some of its pieces so far.
  if (status === "draft" || status === "withdrawn") return filing.slice(0, random.int(0, filing.length));
  if (!WITH_CLAIM.has(status)) return filing;
  const invoices = random.int(1, 3);
  for (let invoice = 1; invoice <= invoices; invoice += 1) {
    filing.push({ type: "invoice", name: `Facture ${invoice}.pdf`, median: 160_000, scans: 0.15, claim: true });
  }
  filing.push(
    { type: "payment_proof", name: "Avis de virement.pdf", median: 120_000, scans: 0.4, claim: true },
    { type: "acceptance_report", name: "PV de réception.pdf", median: 350_000, scans: 0.3, claim: true },
  );
  return filing;
}

interface ApplicationTotals {
  applications: number;
  claims: number;
  documents: number;
  lastReference: Map<number, number>;
}

async function generateApplications(
  context: Context,
  people: People,
  companies: Companies,
  calls: CallInfo[],
): Promise<ApplicationTotals> {
  const { options } = context;
  const random = new Random(options.seed, "applications");
  const insert = new BulkInsert(context.url, "applications", [
    ["id", "uuid"],
    ["company_id", "uuid"],
    ["call_id", "uuid"],
    ["call_rules_id", "uuid"],
    ["sector_code", "text"],
    ["description", "text"],
    ["status", "text"],
    ["reference", "text"],
    ["eligible_amount", "numeric"],
    ["vat_amount", "numeric"],
    ["grant_amount", "numeric"],
    ["approved_amount", "numeric"],
    ["fast_track", "bool"],
    ["created_by", "uuid"],
    ["filed_via_mandate_id", "uuid"],
    ["submitted_at", "timestamptz"],
    ["status_changed_at", "timestamptz"],
    ["created_at", "timestamptz"],
    ["updated_at", "timestamptz"],
    ["examined_by", "uuid"],
    ["examined_at", "timestamptz"],
    ["proposal", "text"],
    ["proposed_amount", "numeric"],
    ["proposal_comment", "text"],
    ["decided_by", "uuid"],
    ["decided_at", "timestamptz"],
    ["paid_amount", "numeric"],
  ]);
  const claims = new BulkInsert(
    context.url,
    "claims",
    [
      ["id", "uuid"],
      ["application_id", "uuid"],
      ["status", "text"],
      ["submitted_by", "uuid"],
      ["submitted_at", "timestamptz"],
      ["verified_by", "uuid"],
      ["verified_at", "timestamptz"],
      ["verified_amount", "numeric"],
      ["payment_amount", "numeric"],
      ["payment_reference", "text"],
      ["paid_by", "uuid"],
      ["paid_at", "timestamptz"],
      ["created_at", "timestamptz"],
      ["updated_at", "timestamptz"],
    ],
    [insert],
  );
  const documents = options.documents
    ? new BulkInsert(
        context.url,
        "documents",
        [
          ["id", "uuid"],
          ["application_id", "uuid"],
          ["type", "text"],
          ["original_name", "text"],
          ["mime_type", "text"],
          ["size_bytes", "int8"],
          ["sha256", "text"],
          ["storage_key", "text"],
          ["uploaded_by", "uuid"],
          ["verdict", "text"],
          ["verdict_reason", "text"],
          ["verdict_by", "uuid"],
          ["verdict_at", "timestamptz"],
          ["created_at", "timestamptz"],
        ],
        [insert],
      )
    : null;
  // Its own stream: the applications are the same with or without their documents.
  const documentRandom = new Random(options.seed, "documents");
  let documentRow = 0;

  const companyCount = companies.ids.length;
  // 15 % of companies never start an application (the funnel's second drop).
  const activeCompanies = Math.max(1, Math.floor(companyCount * 0.85));
  // One open file per company and call (a unique index): which companies hold one, per call.
  const openHeld = calls.map(() => new Uint8Array(companyCount));
  const lastReference = new Map<number, number>(YEARS.map((year) => [year, 0]));
  const now = GENERATION_NOW.getTime();
  const officers = people.officers;
  const progressEvery = Math.max(BATCH_ROWS, Math.floor(options.applications / 10));

  for (let index = 0; index < options.applications; index += 1) {
    const status = STATUS_WEIGHTS.draw(random);
    const year = YEAR_WEIGHTS.draw(random);
    const callIndex = YEARS.indexOf(year as (typeof YEARS)[number]);
    const call = calls[callIndex];
    const held = openHeld[callIndex];
    if (!call || !held) throw new Error(`no call for ${year}`);

    // Every active company gets a first file; the others go to active companies at random.
    let company = index < activeCompanies ? index : random.int(0, activeCompanies - 1);
    if (OPEN_STATUSES.has(status)) {
      let probe = 0;
      while (held[company] === 1 && probe < activeCompanies) {
        company = (company + 1) % activeCompanies;
        probe += 1;
      }
      if (held[company] === 1) {
        throw new Error(`too few companies (${companyCount}) for ${options.applications} applications`);
      }
      held[company] = 1;
    }
    const owner = companies.owners[company] ?? "";
    const mandateId = companies.mandateIds[company] ?? null;
    // ~35 % of all files: 40 % of companies have a mandate, and their prescriber files most of them.
    const viaMandate = mandateId !== null && random.chance(0.875);
    const filer = viaMandate ? (companies.mandatePrescribers[company] ?? owner) : owner;

    // Amounts: a grant of 60 % of the eligible amount excluding tax, capped at 400,000.00 MAD.
    const eligible = Math.round(random.logNormal(220_000, 0.7, 20_000, 2_500_000));
    const grant = Math.min(Math.round(eligible * 0.6 * 100) / 100, 400_000);
    const approvedAmount = APPROVED.has(status) ? (random.chance(0.85) ? grant : Math.round(grant * 0.8)) : null;
    const paidAmount =
      PAID.has(status) && approvedAmount !== null
        ? random.chance(0.75)
          ? approvedAmount
          : Math.round(approvedAmount * (0.7 + random.float() * 0.3))
        : null;

    // Timeline: days from the first submission to the decision, to the claim, to the payment.
    let toDecision = Math.round(random.logNormal(18, 0.6, 2, 150));
    let toClaim = Math.round(random.logNormal(45, 0.5, 5, 200));
    let toPayment = Math.round(random.logNormal(20, 0.5, 3, 120));
    let toClose = Math.round(random.logNormal(15, 0.5, 1, 90));
    let chainDays =
      (DECIDED.has(status) || status === "examined" ? toDecision : 10) +
      (WITH_CLAIM.has(status) ? toClaim : 0) +
      (PAID.has(status) ? toPayment : 0) +
      (status === "closed" ? toClose : 0);
    const windowStart = yearStart(year);
    // A rare long timeline that would end after GENERATION_NOW is compressed to fit.
    const room = Math.floor((now - windowStart) / DAY_MS) - 2;
    if (chainDays > room) {
      const scale = room / chainDays;
      [toDecision, toClaim, toPayment, toClose] = [toDecision, toClaim, toPayment, toClose].map((days) =>
        Math.max(1, Math.floor(days * scale)),
      ) as [number, number, number, number];
      chainDays = room;
    }
    const windowEnd = Math.min(Date.UTC(year, 11, 31, 18, 0, 0), now - (chainDays + 1) * DAY_MS);
    const submitted = windowStart + random.float() * Math.max(DAY_MS, windowEnd - windowStart);
    const created = submitted - random.float() * 20 * DAY_MS;

    const hasReference = status !== "draft" && !(status === "withdrawn" && random.chance(0.5));
    let reference: string | null = null;
    if (hasReference) {
      const next = (lastReference.get(year) ?? 0) + 1;
      lastReference.set(year, next);
      reference = `MS-${year}-${String(next).padStart(5, "0")}`;
    }

    const examiner = officers[index % officers.length] ?? "";
    const decider = officers[(index + 1 + (index % 7)) % officers.length] ?? "";
    const examined = DECIDED.has(status) || status === "examined";
    const examinedAt = examined ? submitted + toDecision * DAY_MS * 0.7 : null;
    const decidedAt = DECIDED.has(status) ? submitted + toDecision * DAY_MS : null;
    const approve = APPROVED.has(status) || (status === "examined" && random.chance(0.7));
    const claimAt = WITH_CLAIM.has(status) && decidedAt !== null ? decidedAt + toClaim * DAY_MS : null;
    const paidAt = PAID.has(status) && claimAt !== null ? claimAt + toPayment * DAY_MS : null;
    const closedAt = status === "closed" && paidAt !== null ? paidAt + toClose * DAY_MS : null;
    const lastChange =
      closedAt ??
      paidAt ??
      claimAt ??
      decidedAt ??
      examinedAt ??
      (status === "draft" ? created : submitted + random.float() * 5 * DAY_MS);

    const id = rowId(options.seed, "application", index);
    await insert.add([
      id,
      companies.ids[company] ?? "",
      call.id,
      call.rulesId,
      companies.sectors[company] ?? "commerce",
      DESCRIPTIONS[index % DESCRIPTIONS.length] ?? "",
      status,
      reference,
      money(eligible),
      money(eligible * 0.2),
      money(grant),
      approvedAmount === null ? null : money(approvedAmount),
      false,
      filer,
      viaMandate ? mandateId : null,
      hasReference ? instant(submitted) : null,
      instant(lastChange),
      instant(created),
      instant(lastChange),
      examined ? examiner : null,
      examinedAt === null ? null : instant(examinedAt),
      examined ? (approve ? "approve" : "reject") : null,
      examined && approve ? money(approvedAmount ?? grant) : null,
      examined ? "Dossier complet, devis conformes au catalogue." : null,
      decidedAt === null ? null : decider,
      decidedAt === null ? null : instant(decidedAt),
      paidAmount === null ? null : money(paidAmount),
    ]);

    if (claimAt !== null) {
      const verified = paidAt !== null || random.chance(0.3);
      const verifiedAt = verified ? claimAt + Math.max(1, toPayment - 2) * DAY_MS * 0.5 : null;
      const verifiedAmount = verified ? money(paidAmount ?? approvedAmount ?? 0) : null;
      await claims.add([
        rowId(options.seed, "claim", index),
        id,
        paidAt !== null ? "paid" : verified ? "verified" : "submitted",
        filer,
        instant(claimAt),
        verified ? examiner : null,
        verifiedAt === null ? null : instant(verifiedAt),
        verifiedAmount,
        paidAmount === null ? null : money(paidAmount),
        paidAt === null ? null : `VIR-${year}-${String(index).padStart(7, "0")}`,
        paidAt === null ? null : decider,
        paidAt === null ? null : instant(paidAt),
        instant(claimAt),
        instant(paidAt ?? verifiedAt ?? claimAt),
      ]);
    }
    if (documents) {
      // Pieces are uploaded before submission (claim pieces before the claim); officers give a
      // verdict while examining, and accept the claim's when they verify it.
      const reviewed = examinedAt !== null || status === "info_requested";
      for (const piece of piecesFor(documentRandom, status)) {
        const documentId = rowId(options.seed, "document", documentRow);
        const digest = createHash("sha256").update(documentId).digest("hex");
        documentRow += 1;
        const scan = documentRandom.chance(piece.scans);
        const mime = scan ? (documentRandom.chance(0.7) ? "image/jpeg" : "image/png") : "application/pdf";
        const name = scan ? piece.name.replace(/\.pdf$/, mime === "image/png" ? ".png" : ".jpg") : piece.name;
        const uploadStart = piece.claim && claimAt !== null ? claimAt - 5 * DAY_MS : created;
        const uploadEnd = piece.claim && claimAt !== null ? claimAt : status === "draft" ? lastChange : submitted;
        const uploaded = uploadStart + documentRandom.float() * Math.max(0, uploadEnd - uploadStart);
        let verdict = "pending";
        let verdictAt: number | null = null;
        if (piece.claim ? paidAt !== null : reviewed) {
          verdict =
            !piece.claim && status === "info_requested" && documentRandom.chance(0.15) ? "rejected" : "accepted";
          verdictAt = piece.claim ? (paidAt ?? claimAt ?? submitted) - DAY_MS : (examinedAt ?? submitted + 3 * DAY_MS);
        }
        await documents.add([
          documentId,
          id,
          piece.type,
          name,
          mime,
          Math.round(documentRandom.logNormal(piece.median, 0.6, 8_000, 10 * 1024 * 1024)),
          digest,
          digest.slice(0, 32),
          filer,
          verdict,
          verdict === "rejected" ? "Pièce illisible ou périmée : merci de la renvoyer." : null,
          verdictAt === null ? null : examiner,
          verdictAt === null ? null : instant(Math.max(verdictAt, uploaded)),
          instant(uploaded),
        ]);
      }
    }
    if ((index + 1) % progressEvery === 0) {
      context.log(
        `  applications: ${(index + 1).toLocaleString("en")} / ${options.applications.toLocaleString("en")} (${elapsed(context)})`,
      );
    }
  }
  await insert.finish();
  await claims.finish();
  await documents?.finish();
  context.log(
    `  applications: ${insert.total.toLocaleString("en")}, claims: ${claims.total.toLocaleString("en")}, ` +
      `documents: ${(documents?.total ?? 0).toLocaleString("en")} (${elapsed(context)})`,
  );
  return { applications: insert.total, claims: claims.total, documents: documents?.total ?? 0, lastReference };
}

/**
 * What the budget ledger would give: approval commits the approved amount on the call's envelope
 * and on its sector's; payment moves the paid amount from committed to paid; closure releases the
 * rest. Envelopes are raised (never lowered) so that a million files fit with 20 % to spare.
 */
async function settleEnvelopes(context: Context, calls: CallInfo[]): Promise<void> {
  await context.client.query(
    `WITH per_sector AS (
       SELECT call_id, sector_code,
              sum(CASE WHEN status IN ('approved', 'claim_submitted') THEN approved_amount
                       WHEN status = 'paid' THEN approved_amount - paid_amount ELSE 0 END) AS committed,
              sum(CASE WHEN status IN ('paid', 'closed') THEN paid_amount ELSE 0 END) AS paid
       FROM applications
       WHERE call_id = ANY($1::uuid[]) AND status IN ('approved', 'claim_submitted', 'paid', 'closed')
       GROUP BY call_id, sector_code
     ),
     wanted AS (
       SELECT call_id, sector_code, committed, paid FROM per_sector
       UNION ALL
       SELECT call_id, NULL, sum(committed), sum(paid) FROM per_sector GROUP BY call_id
     )
     UPDATE envelopes e
        SET committed = w.committed,
            paid = w.paid,
            amount = GREATEST(e.amount, ceil((w.committed + w.paid) * 1.2 / 1000000) * 1000000),
            updated_at = now()
       FROM wanted w
      WHERE e.call_id = w.call_id AND e.sector_code IS NOT DISTINCT FROM w.sector_code`,
    [calls.map((call) => call.id)],
  );
  context.log(`  envelopes settled (${elapsed(context)})`);
}

function verificationCode(random: Random, index: number): string {
  const bytes = Buffer.alloc(16);
  bytes.writeUInt32BE(fmix32(index), 0);
  bytes.writeUInt32BE(index >>> 0, 4);
  for (let offset = 8; offset < 16; offset += 4) bytes.writeUInt32BE(Math.floor(random.float() * 2 ** 32), offset);
  return bytes.toString("base64url");
}

async function generateCertificates(context: Context, people: People, companies: Companies): Promise<number> {
  const { client, options } = context;
  const random = new Random(options.seed, "certificates");
  const perSession = 20;
  const sessionCount = Math.ceil(options.certificates / perSession);
  const sessions = new BulkInsert(context.url, "training_sessions", [
    ["id", "uuid"],
    ["title", "text"],
    ["city", "text"],
    ["venue", "text"],
    ["starts_at", "timestamptz"],
    ["ends_at", "timestamptz"],
    ["capacity", "int4"],
    ["trainer_id", "uuid"],
    ["created_by", "uuid"],
    ["created_at", "timestamptz"],
    ["updated_at", "timestamptz"],
  ]);
  const enrolments = new BulkInsert(
    context.url,
    "enrolments",
    [
      ["id", "uuid"],
      ["session_id", "uuid"],
      ["user_id", "uuid"],
      ["company_id", "uuid"],
      ["holder_name", "text"],
      ["holder_email", "text"],
      ["enrolled_by", "uuid"],
      ["status", "text"],
      ["attended", "bool"],
      ["score", "int4"],
      ["result_recorded_by", "uuid"],
      ["result_recorded_at", "timestamptz"],
      ["created_at", "timestamptz"],
      ["updated_at", "timestamptz"],
    ],
    [sessions],
  );
  const certificates = new BulkInsert(
    context.url,
    "certificates",
    [
      ["id", "uuid"],
      ["enrolment_id", "uuid"],
      ["session_id", "uuid"],
      ["number", "text"],
      ["verification_code", "text"],
      ["holder_user_id", "uuid"],
      ["holder_name", "text"],
      ["holder_email", "text"],
      ["company_id", "uuid"],
      ["company_name", "text"],
      ["course_title", "text"],
      ["issued_at", "timestamptz"],
      ["issued_on", "date"],
      ["key_id", "text"],
      ["credential", "jsonb"],
      ["status", "text"],
      ["revoked_at", "timestamptz"],
      ["revoked_by", "uuid"],
      ["revocation_reason", "text"],
      ["created_at", "timestamptz"],
      ["updated_at", "timestamptz"],
    ],
    [sessions, enrolments],
  );
  const numbers = new Map<number, number>();
  const title = "Initiation au numérique pour dirigeants de PME";
  const span = GENERATION_NOW.getTime() - 10 * DAY_MS - yearStart(2024);
  let issued = 0;
  for (let session = 0; session < sessionCount; session += 1) {
    const sessionId = rowId(options.seed, "session", session);
    const trainer = people.trainers[session % people.trainers.length] ?? "";
    const region = new Weighted(REGION_WEIGHTS).draw(random);
    const city = random.pick(CITIES[region] ?? ["Casablanca"]);
    const day = new Date(yearStart(2024) + Math.floor(random.float() * (span / DAY_MS)) * DAY_MS);
    const startsAt = Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate(), 8, 0, 0);
    const endsAt = startsAt + 8 * 3_600_000;
    await sessions.add([
      sessionId,
      title,
      city,
      `Chambre de Commerce, d'Industrie et de Services de ${city}`,
      instant(startsAt),
      instant(endsAt),
      25,
      trainer,
      trainer,
      instant(startsAt - 30 * DAY_MS),
      instant(endsAt),
    ]);
    const issuedAt = endsAt + DAY_MS;
    const issuedOn = localDate(new Date(issuedAt));
    const issueYear = Number(issuedOn.slice(0, 4));
    const seated = new Set<number>();
    for (let seat = 0; seat < perSession && issued < options.certificates; seat += 1) {
      const index = issued;
      issued += 1;
      const enrolmentId = rowId(options.seed, "enrolment", index);
      // 3 % of holders have no company on record: reported as region/sector "unknown".
      const withCompany = random.chance(0.97);
      let company: number | null = null;
      if (withCompany) {
        // One seat per person and session (a unique index): draw again on a repeat.
        do company = random.int(0, companies.ids.length - 1);
        while (seated.has(company) && seated.size < companies.ids.length);
        seated.add(company);
      }
      const userId = company === null ? null : (companies.owners[company] ?? null);
      const holderName = fullName(random);
      const holderEmail =
        company === null
          ? `bench-holder-${String(index + 1).padStart(6, "0")}@${BENCH_EMAIL_DOMAIN}`
          : `bench-applicant-${String(company + 1).padStart(6, "0")}@${BENCH_EMAIL_DOMAIN}`;
      const score = random.int(70, 100);
      await enrolments.add([
        enrolmentId,
        sessionId,
        userId,
        company === null ? null : (companies.ids[company] ?? null),
        holderName,
        holderEmail,
        userId ?? trainer,
        "passed",
        true,
        score,
        trainer,
        instant(endsAt),
        instant(startsAt - 10 * DAY_MS),
        instant(endsAt),
      ]);
      const number = (numbers.get(issueYear) ?? 0) + 1;
      numbers.set(issueYear, number);
      const revoked = random.chance(0.012);
      const revokedAt = issuedAt + random.int(5, 60) * DAY_MS;
      const credential = {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        type: ["VerifiableCredential", "OpenBadgeCredential"],
        generatedForBenchmark: true,
      };
      await certificates.add([
        rowId(options.seed, "certificate", index),
        enrolmentId,
        sessionId,
        `PN-${issueYear}-${String(number).padStart(6, "0")}`,
        verificationCode(random, index),
        userId,
        holderName,
        holderEmail,
        company === null ? null : (companies.ids[company] ?? null),
        company === null ? null : (companies.names[company] ?? null),
        title,
        instant(issuedAt),
        issuedOn,
        "bench-key",
        JSON.stringify(credential),
        revoked ? "revoked" : "valid",
        revoked ? instant(Math.min(revokedAt, GENERATION_NOW.getTime())) : null,
        revoked ? (people.admins[0] ?? null) : null,
        revoked ? "Attestation délivrée par erreur" : null,
        instant(issuedAt),
        instant(issuedAt),
      ]);
    }
  }
  await sessions.finish();
  await enrolments.finish();
  await certificates.finish();
  for (const [year, last] of numbers) {
    await client.query(
      `INSERT INTO reference_counters (series, year, last_value) VALUES ('PN', $1, $2)
       ON CONFLICT (series, year) DO UPDATE SET last_value = GREATEST(reference_counters.last_value, EXCLUDED.last_value)`,
      [year, last],
    );
  }
  context.log(
    `  training sessions: ${sessions.total.toLocaleString("en")}, certificates: ${certificates.total.toLocaleString("en")} (${elapsed(context)})`,
  );
  return certificates.total;
}

/**
 * Fills the database behind `ownerUrl` (migrated and seeded, with no generated data yet).
 * Tables are vacuumed and analysed at the end, as autovacuum would have done in production.
 */
export async function generate(ownerUrl: string, options: GenerateOptions): Promise<GenerateSummary> {
  const client = new pg.Client({ connectionString: ownerUrl, application_name: "moussanada-bench-generate" });
  await client.connect();
  const context: Context = {
    client,
    url: ownerUrl,
    options,
    log: options.log ?? (() => undefined),
    started: Date.now(),
  };
  try {
    const existing = await client.query("SELECT 1 FROM users WHERE email LIKE $1 LIMIT 1", [`%@${BENCH_EMAIL_DOMAIN}`]);
    if (existing.rows.length > 0) throw new Error("This database already holds generated data: use a fresh one");
    context.log(
      `Generating ${options.applications.toLocaleString("en")} applications, ${options.companies.toLocaleString("en")} companies, ` +
        `${options.certificates.toLocaleString("en")} certificates (seed ${options.seed})` +
        (options.documents ? ", with documents metadata" : ""),
    );
    const calls = await ensureCalls(context);
    const people = await generateUsers(context);
    const companies = await generateCompanies(context, people);
    const totals = await generateApplications(context, people, companies, calls);
    for (const [year, last] of totals.lastReference) {
      if (last === 0) continue;
      await client.query(
        `INSERT INTO reference_counters (series, year, last_value) VALUES ('MS', $1, $2)
         ON CONFLICT (series, year) DO UPDATE SET last_value = GREATEST(reference_counters.last_value, EXCLUDED.last_value)`,
        [year, last],
      );
    }
    await settleEnvelopes(context, calls);
    const certificates = await generateCertificates(context, people, companies);
    for (const table of [
      "users",
      "companies",
      "mandates",
      "applications",
      "claims",
      ...(options.documents ? ["documents"] : []),
      "envelopes",
      "training_sessions",
      "enrolments",
      "certificates",
    ]) {
      await client.query(`VACUUM (ANALYZE) ${table}`);
    }
    context.log(`  vacuumed and analysed (${elapsed(context)})`);
    return {
      users:
        people.admins.length +
        people.officers.length +
        people.trainers.length +
        people.prescribers.length +
        people.applicants.length,
      companies: companies.ids.length,
      mandates: companies.mandateIds.filter((id) => id !== null).length,
      applications: totals.applications,
      claims: totals.claims,
      documents: totals.documents,
      certificates,
      seconds: (Date.now() - context.started) / 1000,
    };
  } finally {
    await client.end();
  }
}

export function parseFlags(
  argv: readonly string[],
  defaults: Omit<GenerateOptions, "log"> = DEFAULT_OPTIONS,
): Omit<GenerateOptions, "log"> {
  const options = { ...defaults };
  const numeric = {
    "--applications": "applications",
    "--companies": "companies",
    "--certificates": "certificates",
    "--seed": "seed",
  } as const;
  for (let index = 0; index < argv.length; index += 1) {
    const flag = argv[index] ?? "";
    if (flag === "--documents") options.documents = true;
    const [name, inline] = flag.split("=", 2);
    if (!name || !(name in numeric)) continue;
    const raw = inline ?? argv[(index += 1)];
    const value = Number(String(raw).replaceAll("_", ""));
    if (!Number.isInteger(value) || value < 0) throw new Error(`${name} needs a whole number, got ${String(raw)}`);
    options[numeric[name as keyof typeof numeric]] = value;
  }
  return options;
}

async function main(): Promise<void> {
  const url = process.env.BENCH_DATABASE_URL;
  if (!url) {
    process.stderr.write("Set BENCH_DATABASE_URL to the schema owner's connection string.\n");
    process.exit(64);
  }
  const options = parseFlags(process.argv.slice(2));
  // The schema and the reference data first (both idempotent), as the application does at start.
  const { prepareDatabase } = await import("./database.js");
  await prepareDatabase(url);
  const summary = await generate(url, { ...options, log: (line) => process.stdout.write(`${line}\n`) });
  process.stdout.write(`${JSON.stringify(summary)}\n`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  });
}
