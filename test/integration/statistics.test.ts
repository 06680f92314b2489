import { randomBytes } from "node:crypto";
import { expect } from "chai";
import pg from "pg";
import { QueryTypes } from "sequelize";
import request, { type Response } from "supertest";
import { commitGrant, recordPayment, releaseCommitment } from "../../server/commands/budget.js";
import {
  REFRESH_STATISTICS_TASK,
  refreshStatistics,
  refreshStatisticsOnClient,
} from "../../server/commands/statistics.js";
import type { ApplicationStatus } from "../../server/domain/applicationStatus.js";
import { localDate } from "../../server/domain/calendar.js";
import { fromDatabase } from "../../server/domain/money.js";
import {
  Application,
  ApplicationLine,
  Call,
  CallRules,
  Certificate,
  Claim,
  Envelope,
  type Programme,
  type Company,
  type Mandate,
  type User,
} from "../../server/models/index.js";
import { regions } from "../../seeds/data/regions.js";
import { sectors } from "../../seeds/data/sectors.js";
import { seededCall } from "../factories/applications.js";
import { createCompany, createMandate } from "../factories/companies.js";
import { createCall } from "../factories/reference.js";
import { budgetOf, getRequest, player, postRequest, type BudgetBody, type Player } from "../factories/review.js";
import { createTrainingSession, enrolDirectly } from "../factories/training.js";
import { createUser } from "../factories/users.js";
import { API, anonymousSession, clearRateLimits } from "../helpers/auth.js";
import { expectLedgerHolds } from "../helpers/ledger.js";
import { deliverQueuedEmails } from "../helpers/mail.js";
import { expectProblem } from "../helpers/problem.js";
import { useTestApp } from "../helpers/testApp.js";
import { ownerSequelize, TEST_NOW, testSequelize } from "../helpers/testDatabase.js";
import { binaryParser } from "./applicationsApi.js";

/**
 * Issue 8's figures on a data set small enough to count by hand: every number of the overview
 * and of the open data is written below as a constant, worked out from the files listed in
 * FILES, COMPANIES and CERTIFICATES (the comments next to each constant say which ones count).
 *
 * The rows are written by the models and the budget's own ledger functions (commitGrant,
 * recordPayment, releaseCommitment), with every column the real flows set: reference and
 * submitted_at at submission, decided_at at approval/rejection, approved_amount, paid_amount and
 * the claim's paid_at at payment, filed_via_mandate_id for a prescriber's file, the history and
 * submission rows, and certificates numbered and dated (issued_on in Casablanca) like a batch.
 *
 * Dates avoid Ramadan (when Morocco runs on UTC+0); elsewhere Casablanca is UTC+1, so 23:30 UTC
 * is already the next day there — several files sit on that edge on purpose.
 */

// ——— Reference codes ———

const CS = "casablanca-settat";
const FM = "fes-meknes";
const SM = "souss-massa";
const OR = "oriental";
const MS = "marrakech-safi";
const T = "textile-habillement";
const K = "commerce";
const AG = "agroalimentaire";

const PROGRAMME = {
  code: "moussanada-numerique",
  nameFr: "Moussanada Numérique",
  nameAr: "مساندة الرقمية",
};
const PILOT = { code: "programme-pilote", nameFr: "Programme pilote Tatwir", nameAr: "برنامج تطوير التجريبي" };
const PILOT_TARGETS = { equipped: 50, permits: 200 };
const HISTORICAL_PROGRAMME = "maroc-numeric-2013";

const CSV_HEADER =
  "mois,code_region,region,code_secteur,secteur,dossiers_deposes,dossiers_accordes,dossiers_payes,montant_accorde_mad,montant_paye_mad";

// ——— The data set ———

/** Region and (company) sector of each company. 26 companies. */
const COMPANIES = {
  // No application in any programme.
  noApp1: [OR, K],
  noApp2: [CS, T],
  noApp3: [MS, AG],
  // Drafts only.
  draft1: [FM, T],
  draft2: [CS, K],
  // Cell A (2026-05, Casablanca-Settat, textile files); a1 is a commerce company filing a textile file.
  a1: [CS, K],
  a2: [CS, T],
  a3: [CS, T],
  a4: [CS, T],
  a5: [CS, T],
  a6: [CS, T],
  a7: [CS, T],
  // Cell B (2026-06, Fès-Meknès, commerce); b3 also has a paid file in the pilot programme.
  b1: [FM, K],
  b2: [FM, K],
  b3: [FM, K],
  b4: [FM, K],
  b5: [FM, K],
  // Cell C (2025-10, Souss-Massa, textile); x has two paid files (2025 and 2026).
  x: [SM, T],
  y: [SM, T],
  c3: [SM, T],
  // Cell D (2025-06, Casablanca-Settat, commerce).
  d1: [CS, K],
  d2: [CS, K],
  d3: [CS, K],
  d4: [CS, K],
  // Files in the pilot programme only.
  other1: [CS, K],
  other2: [SM, K],
} as const;
type CompanyKey = keyof typeof COMPANIES;

/** Prescribers and their organisations (two of them share "Cabinet Benali Expertise"). */
const PRESCRIBERS = {
  benali1: "Cabinet Benali Expertise",
  benali2: "Cabinet Benali Expertise",
  tadamon: "Association Tadamon",
  atlas: "Fiduciaire Atlas",
  alami: "Cabinet Alami",
  chraibi: "Cabinet Chraibi",
  idrissi: "Cabinet Idrissi",
  kettani: "Cabinet Kettani",
  naciri: "Cabinet Naciri",
  tazi: "Cabinet Tazi",
  sebti: "Fiduciaire Sebti",
  zniber: "Fiduciaire Zniber",
} as const;
type PrescriberKey = keyof typeof PRESCRIBERS;

type CallKey = "c2026" | "c2025" | "pilot";

interface FileSpec {
  key: string;
  company: CompanyKey;
  call: CallKey;
  /** The file's sector (open data); the company's may differ. */
  sector: string;
  status: ApplicationStatus;
  /** The latest submission (UTC); absent for a draft. */
  submittedAt?: string;
  /** The first submission, when the file was submitted again after a request for information. */
  firstSubmittedAt?: string;
  decidedAt?: string;
  approved?: string;
  paid?: string;
  /** The claim's payment instant. */
  paidAt?: string;
  via?: PrescriberKey;
}

/*
 * Days from submission to decision, in Casablanca calendar days (the median file is A3, whose
 * decision falls at 00:10 in Casablanca, 23:10 UTC the day before):
 *   A1 16, A2 20, A3 14, A4 12, A5 10, A6 8, B1 5, B3 30, B4 25, C1 18, C2 22, C3 3, D1 11, D2 13, F1 40
 *   → sorted 3 5 8 10 11 12 13 [14] 16 18 20 22 25 30 40: 15 files, median 14.
 * Days from submission to payment:
 *   A1 67 (paid 23:20 UTC, 00:20 in Casablanca), A2 80 (submitted 23:30 UTC), C1 41, C2 85, D2 72, F1 60
 *   → sorted 41 60 [67 72] 80 85: 6 files, median 69.5.
 * Pilot programme: decisions D5 7, E1 21, G1 9 → median 9 of 3; payments D5 30, G1 45 → 37.5 of 2.
 */
const FILES: FileSpec[] = [
  // Cell A: 2026-05, Casablanca-Settat, textile — 7 submitted, 5 approved (A6 cancelled), 2 paid.
  {
    key: "A1",
    company: "a1",
    call: "c2026",
    sector: T,
    status: "paid",
    submittedAt: "2026-05-04T09:00:00Z",
    decidedAt: "2026-05-20T15:00:00Z",
    approved: "60000.00",
    paid: "60000.00",
    paidAt: "2026-07-09T23:20:00Z",
    via: "benali1",
  },
  {
    key: "A2",
    company: "a2",
    call: "c2026",
    sector: T,
    status: "closed",
    // 00:30 on 1 May in Casablanca: a May file.
    submittedAt: "2026-04-30T23:30:00Z",
    decidedAt: "2026-05-21T08:00:00Z",
    approved: "120000.00",
    paid: "90000.00",
    paidAt: "2026-07-20T09:00:00Z",
    via: "alami",
  },
  {
    key: "A3",
    company: "a3",
    call: "c2026",
    sector: T,
    status: "approved",
    submittedAt: "2026-05-05T10:00:00Z",
    decidedAt: "2026-05-18T23:10:00Z",
    approved: "50000.00",
    via: "chraibi",
  },
  {
    key: "A4",
    company: "a4",
    call: "c2026",
    sector: T,
    status: "claim_submitted",
    submittedAt: "2026-05-06T09:00:00Z",
    decidedAt: "2026-05-18T09:00:00Z",
    approved: "40000.00",
    via: "idrissi",
  },
  {
    key: "A5",
    company: "a5",
    call: "c2026",
    sector: T,
    status: "approved",
    submittedAt: "2026-05-07T09:00:00Z",
    decidedAt: "2026-05-17T09:00:00Z",
    approved: "30000.25",
  },
  {
    key: "A6",
    company: "a6",
    call: "c2026",
    sector: T,
    status: "cancelled",
    submittedAt: "2026-05-08T09:00:00Z",
    decidedAt: "2026-05-16T09:00:00Z",
    approved: "25000.00",
    via: "benali1",
  },
  {
    key: "A7",
    company: "a7",
    call: "c2026",
    sector: T,
    status: "in_review",
    submittedAt: "2026-05-11T09:00:00Z",
    via: "tadamon",
  },
  // Cell B: 2026-06, Fès-Meknès, commerce — exactly 5 submitted, 2 approved, none paid.
  {
    key: "B1",
    company: "b1",
    call: "c2026",
    sector: K,
    status: "rejected",
    submittedAt: "2026-06-01T09:00:00Z",
    decidedAt: "2026-06-06T09:00:00Z",
    via: "benali1",
  },
  {
    key: "B2",
    company: "b2",
    call: "c2026",
    sector: K,
    status: "withdrawn",
    submittedAt: "2026-06-02T09:00:00Z",
    via: "atlas",
  },
  {
    key: "B3",
    company: "b3",
    call: "c2026",
    sector: K,
    status: "approved",
    submittedAt: "2026-06-03T09:00:00Z",
    decidedAt: "2026-07-03T09:00:00Z",
    approved: "45000.00",
    via: "tadamon",
  },
  {
    key: "B4",
    company: "b4",
    call: "c2026",
    sector: K,
    status: "claim_submitted",
    submittedAt: "2026-06-04T09:00:00Z",
    decidedAt: "2026-06-29T09:00:00Z",
    approved: "35000.00",
    via: "kettani",
  },
  // 00:15 on 1 June in Casablanca: a June file.
  {
    key: "B5",
    company: "b5",
    call: "c2026",
    sector: K,
    status: "submitted",
    submittedAt: "2026-05-31T23:15:00Z",
    via: "naciri",
  },
  // Cell C: 2025-10, Souss-Massa, textile — 3 submitted.
  {
    key: "C1",
    company: "x",
    call: "c2025",
    sector: T,
    status: "paid",
    submittedAt: "2025-10-02T09:00:00Z",
    decidedAt: "2025-10-20T09:00:00Z",
    approved: "80000.00",
    paid: "80000.00",
    paidAt: "2025-11-12T10:00:00Z",
    via: "tazi",
  },
  {
    key: "C2",
    company: "y",
    call: "c2025",
    sector: T,
    status: "closed",
    submittedAt: "2025-10-08T10:00:00Z",
    decidedAt: "2025-10-30T10:00:00Z",
    approved: "100000.00",
    paid: "75000.50",
    // 00:30 on 1 January 2026 in Casablanca: y is equipped in 2026.
    paidAt: "2025-12-31T23:30:00Z",
    via: "tadamon",
  },
  {
    key: "C3",
    company: "c3",
    call: "c2025",
    sector: T,
    status: "rejected",
    submittedAt: "2025-10-10T09:00:00Z",
    decidedAt: "2025-10-13T09:00:00Z",
    via: "atlas",
  },
  // Cell D: 2025-06, Casablanca-Settat, commerce — 4 files of the programme and D5 of the pilot: 5.
  {
    key: "D1",
    company: "d1",
    call: "c2025",
    sector: K,
    status: "approved",
    submittedAt: "2025-06-02T09:00:00Z",
    decidedAt: "2025-06-13T09:00:00Z",
    approved: "20000.00",
    via: "benali2",
  },
  {
    key: "D2",
    company: "d2",
    call: "c2025",
    sector: K,
    status: "paid",
    submittedAt: "2025-06-03T09:00:00Z",
    decidedAt: "2025-06-16T09:00:00Z",
    approved: "15000.00",
    paid: "15000.00",
    paidAt: "2025-08-14T10:00:00Z",
  },
  {
    key: "D3",
    company: "d3",
    call: "c2025",
    sector: K,
    status: "withdrawn",
    submittedAt: "2025-06-04T09:00:00Z",
    via: "atlas",
  },
  {
    key: "D4",
    company: "d4",
    call: "c2025",
    sector: K,
    status: "withdrawn",
    submittedAt: "2025-06-05T09:00:00Z",
    via: "sebti",
  },
  {
    key: "D5",
    company: "other1",
    call: "pilot",
    sector: K,
    status: "paid",
    submittedAt: "2025-06-10T09:00:00Z",
    decidedAt: "2025-06-17T09:00:00Z",
    approved: "30000.00",
    paid: "30000.00",
    paidAt: "2025-07-10T09:00:00Z",
    via: "benali1",
  },
  // Cell E: 2025-07, Souss-Massa, commerce — the pilot's rejected file.
  {
    key: "E1",
    company: "other2",
    call: "pilot",
    sector: K,
    status: "rejected",
    submittedAt: "2025-07-15T09:00:00Z",
    decidedAt: "2025-08-05T09:00:00Z",
  },
  // Cell F: 2026-07, Souss-Massa, textile — x's second paid file.
  {
    key: "F1",
    company: "x",
    call: "c2026",
    sector: T,
    status: "paid",
    submittedAt: "2026-07-01T09:00:00Z",
    decidedAt: "2026-08-10T09:00:00Z",
    approved: "70000.00",
    paid: "70000.00",
    paidAt: "2026-08-30T10:00:00Z",
    via: "zniber",
  },
  // Cell G: 2025-05, Fès-Meknès, commerce — b3's paid file in the pilot programme.
  {
    key: "G1",
    company: "b3",
    call: "pilot",
    sector: K,
    status: "paid",
    submittedAt: "2025-05-12T09:00:00Z",
    decidedAt: "2025-05-21T09:00:00Z",
    approved: "25000.00",
    paid: "20000.00",
    paidAt: "2025-06-26T10:00:00Z",
  },
  // Drafts: never submitted (no reference), whoever filed them.
  { key: "DR1", company: "draft1", call: "c2026", sector: T, status: "draft", via: "tadamon" },
  { key: "DR2", company: "draft2", call: "c2025", sector: K, status: "draft" },
  { key: "DR3", company: "a3", call: "c2025", sector: T, status: "draft" },
];

/** Permits: 5 valid (2025: 1, 2026: 4), 2 revoked; two without company ("unknown"). */
const CERTIFICATES: Array<{ company: CompanyKey | null; issuedAt: string; status: "valid" | "revoked" }> = [
  { company: "a1", issuedAt: "2025-11-10T10:00:00Z", status: "valid" },
  { company: "x", issuedAt: "2026-03-05T10:00:00Z", status: "valid" },
  { company: "x", issuedAt: "2026-05-10T10:00:00Z", status: "valid" },
  // Issued on 1 January 2026 in Casablanca.
  { company: null, issuedAt: "2025-12-31T23:30:00Z", status: "valid" },
  { company: "noApp1", issuedAt: "2026-02-02T10:00:00Z", status: "revoked" },
  { company: "noApp3", issuedAt: "2026-06-01T10:00:00Z", status: "valid" },
  { company: null, issuedAt: "2025-12-01T10:00:00Z", status: "revoked" },
];

/** 29 owners written by the factory plus the signed-in applicant. */
const APPLICANT_OWNERS = 29;
const APPLICANT_ACCOUNTS = 30;

// ——— Shapes of the answers ———

interface Named {
  code: string;
  nameFr: string;
  nameAr: string;
}
interface CountBy extends Named {
  count: number;
}
interface Step {
  step: string;
  count: number;
  dropOff: number | null;
  conversion: number | null;
}
interface BudgetLine {
  envelope: string;
  committed: string;
  paid: string;
  available: string;
}
interface CallBudget extends BudgetLine {
  callId: string;
  callCode: string;
  titleFr: string;
  titleAr: string;
  bySector: Array<Named & BudgetLine>;
}
interface Overview {
  generatedAt: string;
  programme: Named;
  equipped: {
    total: number;
    target: number;
    byYear: Array<{ year: number; count: number }>;
    byRegion: CountBy[];
    bySector: CountBy[];
  };
  permits: {
    total: number;
    revoked: number;
    target: number;
    byYear: Array<{ year: number; count: number }>;
    byRegion: CountBy[];
    bySector: CountBy[];
  };
  budget: CallBudget[];
  delays: {
    submissionToDecision: { medianDays: number | null; count: number };
    submissionToPayment: { medianDays: number | null; count: number };
  };
  funnel: {
    steps: Step[];
    byRegion: Array<Named & { steps: Step[] }>;
    bySector: Array<Named & { steps: Step[] }>;
  };
  prescribers: {
    submitted: number;
    submittedViaMandate: number;
    approved: number;
    approvedViaMandate: number;
    top: Array<{ organisation: string; submitted: number; approved: number }>;
  };
}
interface OpenDataRow {
  month: string;
  regionCode: string;
  regionNameFr: string;
  regionNameAr: string;
  sectorCode: string;
  sectorNameFr: string;
  sectorNameAr: string;
  submitted: number | null;
  approved: number | null;
  paid: number | null;
  grantedAmount: string | null;
  paidAmount: string | null;
}
interface OpenDataPage {
  generatedAt: string;
  suppressionThreshold: number;
  items: OpenDataRow[];
  total: number;
  page: number;
  pageSize: number;
}

// ——— Expected figures, built from literal constants ———

const UNKNOWN_REGION: Named = { code: "unknown", nameFr: "Non renseignée", nameAr: "غير محددة" };

function regionNamed(code: string): Named {
  if (code === "unknown") return UNKNOWN_REGION;
  const region = regions.find((candidate) => candidate.code === code);
  if (!region) throw new Error(`no region ${code}`);
  return { code: region.code, nameFr: region.nameFr, nameAr: region.nameAr };
}

function sectorNamed(code: string): Named {
  const sector = sectors.find((candidate) => candidate.code === code);
  if (!sector) throw new Error(`no sector ${code}`);
  return { code: sector.code, nameFr: sector.nameFr, nameAr: sector.nameAr };
}

const byRegion = (rows: Array<[string, number]>): CountBy[] =>
  rows.map(([code, count]) => ({ ...regionNamed(code), count }));

/** Sectors with names; the "unknown" sector is compared on its code and count only (see below). */
function expectSectorCounts(actual: CountBy[], rows: Array<[string, number]>): void {
  expect(actual.map(({ code, count }) => [code, count])).to.deep.equal(rows);
  for (const entry of actual) {
    if (entry.code === "unknown") {
      expect(entry.nameFr).to.be.a("string").and.not.equal("");
      expect(entry.nameAr).to.be.a("string").and.not.equal("");
    } else expect(entry).to.deep.equal({ ...sectorNamed(entry.code), count: entry.count });
  }
}

/** Every region with no equipped company, in code order (all twelve must be listed). */
const EQUIPPED_BY_REGION: Array<[string, number]> = [
  [CS, 3], // a1, a2, d2
  [SM, 2], // x (once, in 2025), y
  ["beni-mellal-khenifra", 0],
  ["dakhla-oued-ed-dahab", 0],
  ["draa-tafilalet", 0],
  [FM, 0], // b3 is paid in the pilot programme only
  ["guelmim-oued-noun", 0],
  ["laayoune-sakia-el-hamra", 0],
  [MS, 0],
  [OR, 0],
  ["rabat-sale-kenitra", 0],
  ["tanger-tetouan-al-hoceima", 0],
];
/** Company sectors: a1 is a commerce company (its paid file is a textile one). */
const EQUIPPED_BY_SECTOR: Array<[string, number]> = [
  [T, 3], // a2, x, y
  [K, 2], // a1, d2
  [AG, 0],
  ["automobile", 0],
  ["cuir", 0],
];
/** x: first payment 2025-11-12 (its 2026 payment does not count again); d2 2025; a1, a2, y 2026. */
const EQUIPPED_BY_YEAR = [
  { year: 2025, count: 2 },
  { year: 2026, count: 3 },
];

/** Valid certificates: a1 (CS), x twice (SM), none (unknown), noApp3 (MS). */
const PERMITS_BY_REGION: Array<[string, number]> = [
  [SM, 2],
  [CS, 1],
  [MS, 1],
  ["unknown", 1],
  ["beni-mellal-khenifra", 0],
  ["dakhla-oued-ed-dahab", 0],
  ["draa-tafilalet", 0],
  [FM, 0],
  ["guelmim-oued-noun", 0],
  ["laayoune-sakia-el-hamra", 0],
  [OR, 0], // noApp1's certificate is revoked
  ["rabat-sale-kenitra", 0],
  ["tanger-tetouan-al-hoceima", 0],
];
const PERMITS_BY_SECTOR: Array<[string, number]> = [
  [T, 2],
  [AG, 1],
  [K, 1],
  ["unknown", 1],
  ["automobile", 0],
  ["cuir", 0],
];
const PERMITS_BY_YEAR = [
  { year: 2025, count: 1 },
  { year: 2026, count: 4 },
];

type StepTuple = [count: number, dropOff: number | null, conversion: number | null];
const COMPANY_STEPS = ["companies", "drafts", "submitted", "approved", "paid"];

function stepsOf(names: string[], tuples: StepTuple[]): Step[] {
  return tuples.map(([count, dropOff, conversion], index) => ({
    step: names[index] ?? "?",
    count,
    dropOff,
    conversion,
  }));
}

const NO_COMPANY: StepTuple[] = [
  [0, null, null],
  [0, 0, null],
  [0, 0, null],
  [0, 0, null],
  [0, 0, null],
];
const ONE_COMPANY_NO_FILE: StepTuple[] = [
  [1, null, null],
  [0, 1, 0],
  [0, 0, null],
  [0, 0, null],
  [0, 0, null],
];
const EMPTY_REGIONS = [
  "beni-mellal-khenifra",
  "dakhla-oued-ed-dahab",
  "draa-tafilalet",
  "guelmim-oued-noun",
  "laayoune-sakia-el-hamra",
  "rabat-sale-kenitra",
  "tanger-tetouan-al-hoceima",
];

/*
 * The programme's funnel. Companies 26; with a file of the programme 21 (not noApp1-3, other1,
 * other2); submitted 19 (not draft1, draft2); approved 11 (a1-a5, b3, b4, x, y, d1, d2 — a6's
 * file was cancelled); paid 5 (a1, a2, x, y, d2 — b3's payment is the pilot's).
 */
const FUNNEL_STEPS = stepsOf(
  ["accounts", ...COMPANY_STEPS],
  [
    [APPLICANT_ACCOUNTS, null, null],
    [26, 4, 0.8667],
    [21, 5, 0.8077],
    [19, 2, 0.9048],
    [11, 8, 0.5789],
    [5, 6, 0.4545],
  ],
);
const FUNNEL_BY_REGION: Array<[string, StepTuple[]]> = [
  [
    CS,
    [
      [14, null, null],
      [12, 2, 0.8571],
      [11, 1, 0.9167],
      [7, 4, 0.6364],
      [3, 4, 0.4286],
    ],
  ],
  [
    FM,
    [
      [6, null, null],
      [6, 0, 1],
      [5, 1, 0.8333],
      [2, 3, 0.4],
      [0, 2, 0],
    ],
  ],
  [
    SM,
    [
      [4, null, null],
      [3, 1, 0.75],
      [3, 0, 1],
      [2, 1, 0.6667],
      [2, 0, 1],
    ],
  ],
  [MS, ONE_COMPANY_NO_FILE],
  [OR, ONE_COMPANY_NO_FILE],
  ...EMPTY_REGIONS.map((code): [string, StepTuple[]] => [code, NO_COMPANY]),
];
const FUNNEL_BY_SECTOR: Array<[string, StepTuple[]]> = [
  [
    K,
    [
      [14, null, null],
      [11, 3, 0.7857],
      [10, 1, 0.9091],
      [5, 5, 0.5],
      [2, 3, 0.4],
    ],
  ],
  [
    T,
    [
      [11, null, null],
      [10, 1, 0.9091],
      [9, 1, 0.9],
      [6, 3, 0.6667],
      [3, 3, 0.5],
    ],
  ],
  [AG, ONE_COMPANY_NO_FILE],
  ["automobile", NO_COMPANY],
  ["cuir", NO_COMPANY],
];

/** The pilot programme: other1 (D5 paid), other2 (E1 rejected), b3 (G1 paid). */
const PILOT_FUNNEL_STEPS = stepsOf(
  ["accounts", ...COMPANY_STEPS],
  [
    [APPLICANT_ACCOUNTS, null, null],
    [26, 4, 0.8667],
    [3, 23, 0.1154],
    [3, 0, 1],
    [2, 1, 0.6667],
    [2, 0, 1],
  ],
);
const PILOT_FUNNEL_BY_REGION: Array<[string, StepTuple[]]> = [
  [
    CS,
    [
      [14, null, null],
      [1, 13, 0.0714],
      [1, 0, 1],
      [1, 0, 1],
      [1, 0, 1],
    ],
  ],
  [
    FM,
    [
      [6, null, null],
      [1, 5, 0.1667],
      [1, 0, 1],
      [1, 0, 1],
      [1, 0, 1],
    ],
  ],
  [
    SM,
    [
      [4, null, null],
      [1, 3, 0.25],
      [1, 0, 1],
      [0, 1, 0],
      [0, 0, null],
    ],
  ],
  [MS, ONE_COMPANY_NO_FILE],
  [OR, ONE_COMPANY_NO_FILE],
  ...EMPTY_REGIONS.map((code): [string, StepTuple[]] => [code, NO_COMPANY]),
];
const PILOT_FUNNEL_BY_SECTOR: Array<[string, StepTuple[]]> = [
  [
    K,
    [
      [14, null, null],
      [3, 11, 0.2143],
      [3, 0, 1],
      [2, 1, 0.6667],
      [2, 0, 1],
    ],
  ],
  [
    T,
    [
      [11, null, null],
      [0, 11, 0],
      [0, 0, null],
      [0, 0, null],
      [0, 0, null],
    ],
  ],
  [AG, ONE_COMPANY_NO_FILE],
  ["automobile", NO_COMPANY],
  ["cuir", NO_COMPANY],
];

const funnelRows = (of: (code: string) => Named, rows: Array<[string, StepTuple[]]>) =>
  rows.map(([code, tuples]) => ({ ...of(code), steps: stepsOf(COMPANY_STEPS, tuples) }));

/*
 * The programme's budget (ledger of the files above):
 *  2026 call (seeded: 80 M, 16 M per sector). Textile: committed A3 50,000 + A4 40,000 + A5 30,000.25
 *  = 120,000.25; paid A1 60,000 + A2 90,000 + F1 70,000 = 220,000 (A2's 30,000 rest released at
 *  closure, A6's 25,000 released at cancellation). Commerce: committed B3 45,000 + B4 35,000.
 *  2025 call (2 M; textile 1 M, commerce 500,000). Textile: paid C1 80,000 + C2 75,000.50 (C2's
 *  24,999.50 released). Commerce: committed D1 20,000, paid D2 15,000.
 */
const BUDGET_2025 = {
  envelope: "2000000.00",
  committed: "20000.00",
  paid: "170000.50",
  available: "1809999.50",
  bySector: [
    { code: K, envelope: "500000.00", committed: "20000.00", paid: "15000.00", available: "465000.00" },
    { code: T, envelope: "1000000.00", committed: "0.00", paid: "155000.50", available: "844999.50" },
  ],
};
const UNTOUCHED_SECTOR = { envelope: "16000000.00", committed: "0.00", paid: "0.00", available: "16000000.00" };
const BUDGET_2026 = {
  envelope: "80000000.00",
  committed: "200000.25",
  paid: "220000.00",
  available: "79579999.75",
  bySector: [
    { code: AG, ...UNTOUCHED_SECTOR },
    { code: "automobile", ...UNTOUCHED_SECTOR },
    { code: K, envelope: "16000000.00", committed: "80000.00", paid: "0.00", available: "15920000.00" },
    { code: "cuir", ...UNTOUCHED_SECTOR },
    { code: T, envelope: "16000000.00", committed: "120000.25", paid: "220000.00", available: "15659999.75" },
  ],
};

/*
 * Open data, every programme together, per (month in Casablanca, company's region, file's sector):
 *  [month, region, sector, submitted, approved, paid, grantedAmount, paidAmount]
 *  G 2025-05 FM K: G1 (1/1/1) — all withheld.
 *  D 2025-06 CS K: D1-D4 + the pilot's D5 = 5 shown; approved D1, D2, D5 = 3 and paid D2, D5 = 2 withheld.
 *  E 2025-07 SM K: E1 rejected: 1 withheld, approved and paid 0 shown with 0.00.
 *  C 2025-10 SM T: C1, C2, C3: 3 withheld; 2 approved, 2 paid withheld.
 *  A 2026-05 CS T: 7 (A2 at 23:30 UTC on 30 April); approved 5 (not A6) = 300,000.25; paid 2 withheld.
 *  B 2026-06 FM K: 5 (B5 at 23:15 UTC on 31 May); approved 2 withheld with its amount; paid 0.
 *  F 2026-07 SM T: F1 — all withheld.
 */
type Cell = [string, string, string, number | null, number | null, number | null, string | null, string | null];
const OPEN_DATA: Cell[] = [
  ["2025-05", FM, K, null, null, null, null, null],
  ["2025-06", CS, K, 5, null, null, null, null],
  ["2025-07", SM, K, null, 0, 0, "0.00", "0.00"],
  ["2025-10", SM, T, null, null, null, null, null],
  ["2026-05", CS, T, 7, 5, null, "300000.25", null],
  ["2026-06", FM, K, 5, null, 0, null, "0.00"],
  ["2026-07", SM, T, null, null, null, null, null],
];
const OPEN_DATA_CSV_LINES = [
  "2025-05,fes-meknes,Fès-Meknès,commerce,Commerce,<5,<5,<5,,",
  "2025-06,casablanca-settat,Casablanca-Settat,commerce,Commerce,5,<5,<5,,",
  "2025-07,souss-massa,Souss-Massa,commerce,Commerce,<5,0,0,0.00,0.00",
  "2025-10,souss-massa,Souss-Massa,textile-habillement,Textile et habillement,<5,<5,<5,,",
  "2026-05,casablanca-settat,Casablanca-Settat,textile-habillement,Textile et habillement,7,5,<5,300000.25,",
  "2026-06,fes-meknes,Fès-Meknès,commerce,Commerce,5,<5,0,,0.00",
  "2026-07,souss-massa,Souss-Massa,textile-habillement,Textile et habillement,<5,<5,<5,,",
];

function openDataRow([month, region, sector, submitted, approved, paid, grantedAmount, paidAmount]: Cell): OpenDataRow {
  const regionName = regionNamed(region);
  const sectorName = sectorNamed(sector);
  return {
    month,
    regionCode: region,
    regionNameFr: regionName.nameFr,
    regionNameAr: regionName.nameAr,
    sectorCode: sector,
    sectorNameFr: sectorName.nameFr,
    sectorNameAr: sectorName.nameAr,
    submitted,
    approved,
    paid,
    grantedAmount,
    paidAmount,
  };
}
const openDataRows = (cells: Cell[]) => cells.map(openDataRow);

// ——— Writing the data set ———

function required<K, V>(map: Map<K, V>, key: K): V {
  const value = map.get(key);
  if (value === undefined) throw new Error(`missing ${String(key)}`);
  return value;
}

const DAY_MS = 24 * 60 * 60 * 1000;

describe("programme statistics, funnel and open data (issue 8)", function () {
  this.timeout(120_000);

  const context = useTestApp();
  let officer: Player;
  let admin: Player;
  let applicant: Player;
  let prescriberPlayer: Player;
  let trainer: Player;
  let examiner: User;
  let decider: User;
  const owners: User[] = [];
  const companies = new Map<CompanyKey, Company>();
  const prescribers = new Map<PrescriberKey, User>();
  const mandates = new Map<string, Mandate>();
  const calls = new Map<CallKey, { call: Call; rulesId: string }>();
  const referenceCounters = new Map<number, number>();
  let pilotProgramme: Programme;

  function nextReference(year: number): string {
    const next = (referenceCounters.get(year) ?? 0) + 1;
    referenceCounters.set(year, next);
    return `MS-${year}-${String(next).padStart(5, "0")}`;
  }

  async function mandateFor(company: Company, prescriber: User): Promise<Mandate> {
    const key = `${company.id}/${prescriber.id}`;
    let mandate = mandates.get(key);
    if (!mandate) {
      mandate = await createMandate({ company, prescriber });
      mandates.set(key, mandate);
    }
    return mandate;
  }

  /** One file as the flows leave it: its row, line, history, submissions, claim and ledger rows. */
  async function insertFile(spec: Omit<FileSpec, "company">, company: Company): Promise<Application> {
    const { call, rulesId } = required(calls, spec.call);
    const prescriber = spec.via ? required(prescribers, spec.via) : null;
    const mandate = prescriber ? await mandateFor(company, prescriber) : null;
    const createdBy = prescriber?.id ?? company.ownerId;
    if (!createdBy) throw new Error(`${spec.key}: nobody to file it`);
    const submittedAt = spec.submittedAt ? new Date(spec.submittedAt) : null;
    const firstSubmittedAt = spec.firstSubmittedAt ? new Date(spec.firstSubmittedAt) : submittedAt;
    const decidedAt = spec.decidedAt ? new Date(spec.decidedAt) : null;
    const paidAt = spec.paidAt ? new Date(spec.paidAt) : null;
    const examinedAt = submittedAt && decidedAt ? new Date((submittedAt.getTime() + decidedAt.getTime()) / 2) : null;
    const rejected = spec.status === "rejected";
    const application = await Application.create({
      companyId: company.id,
      callId: call.id,
      callRulesId: rulesId,
      sectorCode: spec.sector,
      description: `Dossier ${spec.key} : ERP et équipement informatique`,
      status: spec.status,
      // The reference is given at the first submission, numbered in its year (Casablanca).
      reference: firstSubmittedAt ? nextReference(Number(localDate(firstSubmittedAt).slice(0, 4))) : null,
      eligibleAmount: "500000.00",
      vatAmount: "100000.00",
      grantAmount: "300000.00",
      approvedAmount: spec.approved ?? null,
      fastTrack: false,
      createdBy,
      filedViaMandateId: mandate?.id ?? null,
      submittedAt,
      statusChangedAt: paidAt ?? decidedAt ?? submittedAt ?? new Date(TEST_NOW),
      examinedBy: decidedAt ? examiner.id : null,
      examinedAt,
      proposal: decidedAt ? (rejected ? "reject" : "approve") : null,
      proposedAmount: decidedAt && !rejected ? (spec.approved ?? null) : null,
      proposalComment: decidedAt ? "Proposition de l'examinateur" : null,
      decidedBy: decidedAt ? decider.id : null,
      decidedAt,
      paidAmount: spec.paid ?? null,
    });
    await ApplicationLine.create({
      applicationId: application.id,
      position: 0,
      category: "software",
      label: "Licence ERP",
      supplierId: null,
      amountExclTax: "500000.00",
      vatRate: "0.20",
    });

    // History and submissions (the application role may only append to them).
    const history: Array<[string | null, string, Date]> = [[null, "draft", firstSubmittedAt ?? new Date(TEST_NOW)]];
    const submissions: Date[] = [];
    if (firstSubmittedAt && submittedAt) {
      history.push(["draft", "submitted", firstSubmittedAt]);
      submissions.push(firstSubmittedAt);
      if (firstSubmittedAt.getTime() !== submittedAt.getTime()) {
        history.push(["submitted", "in_review", new Date(firstSubmittedAt.getTime() + DAY_MS)]);
        history.push(["in_review", "info_requested", new Date(firstSubmittedAt.getTime() + 2 * DAY_MS)]);
        history.push(["info_requested", "submitted", submittedAt]);
        submissions.push(submittedAt);
      }
      if (spec.status !== "submitted") {
        history.push(["submitted", spec.status, decidedAt ?? new Date(submittedAt.getTime() + DAY_MS)]);
      }
    }
    for (const [fromStatus, toStatus, at] of history) {
      await ownerSequelize().query(
        `INSERT INTO application_status_changes (application_id, from_status, to_status, actor_id, created_at)
         VALUES (:id, :fromStatus, :toStatus, :actor, :at)`,
        { replacements: { id: application.id, fromStatus, toStatus, actor: createdBy, at } },
      );
    }
    for (const [index, at] of submissions.entries()) {
      await ownerSequelize().query(
        `INSERT INTO application_submissions (application_id, sequence, idempotency_key, submitted_by, snapshot, response, created_at)
         VALUES (:id, :sequence, :key, :by, '{}', '{}', :at)`,
        {
          replacements: {
            id: application.id,
            sequence: index + 1,
            key: `stats-${spec.key}-${index + 1}`,
            by: createdBy,
            at,
          },
        },
      );
    }

    // The claim, for a file that has one.
    if (["claim_submitted", "paid", "closed"].includes(spec.status) && decidedAt) {
      const claimSubmittedAt = new Date(decidedAt.getTime() + DAY_MS);
      await Claim.create({
        applicationId: application.id,
        status: paidAt ? "paid" : "submitted",
        submittedBy: createdBy,
        submittedAt: claimSubmittedAt,
        verifiedBy: paidAt ? decider.id : null,
        verifiedAt: paidAt ? new Date(paidAt.getTime() - 60 * 60 * 1000) : null,
        verifiedAmount: paidAt ? "400000.00" : null,
        paymentAmount: spec.paid ?? null,
        paymentReference: paidAt ? `VIR-${spec.key}-0001` : null,
        paidBy: paidAt ? decider.id : null,
        paidAt,
      });
    }

    // The money, through the budget's own functions: commitment at approval, payment, release.
    if (spec.approved) {
      const approved = fromDatabase(spec.approved);
      const paid = spec.paid ? fromDatabase(spec.paid) : 0n;
      await testSequelize().transaction(async (transaction) => {
        await commitGrant(transaction, application, approved, decider.id);
        if (paid > 0n) await recordPayment(transaction, application, paid, decider.id);
        if (spec.status === "closed") await releaseCommitment(transaction, application, approved - paid, decider.id);
        if (spec.status === "cancelled") await releaseCommitment(transaction, application, approved, admin.user.id);
      });
    }
    return application;
  }

  async function buildDataSet(): Promise<void> {
    for (let index = 0; index < APPLICANT_OWNERS; index += 1) {
      owners.push(await createUser({ role: "applicant", fullName: `Gérante Témoin ${index + 1}` }));
    }
    examiner = await createUser({ role: "officer", fullName: "Youssef Examinateur" });
    decider = await createUser({ role: "officer", fullName: "Salma Décideuse" });
    for (const [key, organisation] of Object.entries(PRESCRIBERS) as Array<[PrescriberKey, string]>) {
      prescribers.set(
        key,
        await createUser({
          role: "prescriber",
          fullName: `Prescripteur ${key}`,
          prescriber: { kind: "accountant", registrationNumber: `OEC-${key.toUpperCase()}`, organisation },
        }),
      );
    }

    let ownerIndex = 0;
    for (const [key, [regionCode, sectorCode]] of Object.entries(COMPANIES) as Array<
      [CompanyKey, readonly [string, string]]
    >) {
      const owner = owners[ownerIndex % owners.length];
      ownerIndex += 1;
      if (!owner) throw new Error("no owner");
      companies.set(
        key,
        await createCompany({ owner, name: `Société Témoin ${key} SARL`, regionCode, sectorCode, city: "Ville" }),
      );
    }

    const current = await seededCall(2026);
    const currentRules = await CallRules.findOne({ where: { callId: current.id } });
    if (!currentRules) throw new Error("the seeded call has no rules");
    calls.set("c2026", { call: current, rulesId: currentRules.id });
    const previous = await createCall({
      code: "moussanada-2025",
      programmeCode: PROGRAMME.code,
      opensOn: "2025-01-01",
      closesOn: "2025-12-31",
      envelope: "2000000.00",
      envelopeBySector: { [T]: "1000000.00", [K]: "500000.00" },
    });
    calls.set("c2025", { call: previous.call, rulesId: previous.rules.id });
    // Another programme, whose call opened before the seeded one (the default stays Moussanada).
    const pilot = await createCall({
      code: "pilote-2025",
      programmeCode: PILOT.code,
      opensOn: "2025-03-01",
      closesOn: "2025-12-31",
    });
    pilotProgramme = await pilot.programme.update({
      nameFr: PILOT.nameFr,
      nameAr: PILOT.nameAr,
      targetEquippedSmes: PILOT_TARGETS.equipped,
      targetPermits: PILOT_TARGETS.permits,
    });
    calls.set("pilot", { call: pilot.call, rulesId: pilot.rules.id });

    for (const spec of FILES) await insertFile(spec, required(companies, spec.company));
    for (const [year, lastValue] of referenceCounters) {
      await ownerSequelize().query(
        `INSERT INTO reference_counters (series, year, last_value) VALUES ('MS', :year, :lastValue)
         ON CONFLICT (series, year) DO UPDATE SET last_value = EXCLUDED.last_value`,
        { replacements: { year, lastValue } },
      );
    }

    // Permits: one session, one passed enrolment per certificate, numbered per year of issue.
    const session = await createTrainingSession({ trainer: trainer.user, startsAt: "2025-10-20T08:00:00Z" });
    const numbers = new Map<number, number>();
    for (const [index, spec] of CERTIFICATES.entries()) {
      const company = spec.company ? required(companies, spec.company) : null;
      const holder = { name: `Titulaire Témoin ${index + 1}`, email: `titulaire-${index + 1}@example.ma` };
      const enrolment = await enrolDirectly(session, holder, "passed", { company });
      const issuedAt = new Date(spec.issuedAt);
      const issuedOn = localDate(issuedAt);
      const year = Number(issuedOn.slice(0, 4));
      const serial = (numbers.get(year) ?? 0) + 1;
      numbers.set(year, serial);
      const revoked = spec.status === "revoked";
      await Certificate.create({
        enrolmentId: enrolment.id,
        sessionId: session.id,
        number: `PN-${year}-${String(serial).padStart(6, "0")}`,
        verificationCode: randomBytes(18).toString("base64url"),
        holderUserId: null,
        holderName: holder.name,
        holderEmail: holder.email,
        companyId: company?.id ?? null,
        companyName: company?.name ?? null,
        courseTitle: session.title,
        issuedAt,
        issuedOn,
        keyId: "test-key",
        credential: {},
        pdfKey: null,
        pdfSha256: null,
        pdfSize: null,
        jobId: null,
        status: spec.status,
        revokedAt: revoked ? new Date(issuedAt.getTime() + 30 * DAY_MS) : null,
        revokedBy: revoked ? admin.user.id : null,
        revocationReason: revoked ? "Examen passé par un tiers" : null,
      });
    }
  }

  before(async () => {
    await clearRateLimits();
    const { app } = context();
    officer = await player(app, "officer", "Nadia Chargée de programme");
    admin = await player(app, "admin", "Directrice du programme");
    applicant = await player(app, "applicant", "Hicham Demandeur");
    prescriberPlayer = await player(app, "prescriber", "Karima Prescriptrice");
    trainer = await player(app, "trainer", "Omar Formateur");
    await buildDataSet();
    expect(await refreshStatistics(ownerSequelize())).to.equal(true);
  });

  // ——— Requests ———

  async function overview(query = ""): Promise<Overview> {
    const response = await getRequest(officer.session, `/stats/overview${query}`);
    expect(response.status, response.text).to.equal(200);
    return response.body as Overview;
  }

  async function openData(query = ""): Promise<OpenDataPage> {
    const response = await request(context().app).get(`${API}/open-data/applications${query}`);
    expect(response.status, response.text).to.equal(200);
    return response.body as OpenDataPage;
  }

  async function openDataCsv(query = ""): Promise<{ response: Response; bytes: Buffer }> {
    const response = await request(context().app)
      .get(`${API}/open-data/applications.csv${query}`)
      .buffer(true)
      .parse(binaryParser);
    expect(response.status, String(response.body)).to.equal(200);
    return { response, bytes: response.body as Buffer };
  }

  // ——— The data set itself ———

  describe("the data set", () => {
    it("moved money as the real flows do (the budget ledger's invariant holds)", async () => {
      await expectLedgerHolds();
    });
  });

  // ——— The overview ———

  describe("GET /stats/overview of the programme (default: the programme of the most recent call)", () => {
    let body: Overview;
    before(async () => {
      body = await overview();
    });

    it("names the programme and says when the figures were computed; officers and admins read the same", async () => {
      expect(Object.keys(body).sort()).to.deep.equal([
        "budget",
        "delays",
        "equipped",
        "funnel",
        "generatedAt",
        "permits",
        "prescribers",
        "programme",
      ]);
      expect(body.programme).to.deep.equal(PROGRAMME);
      expect(body.generatedAt).to.match(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
      expect(await overview(`?programme=${PROGRAMME.code}`)).to.deep.equal(body);
      const asAdmin = await getRequest(admin.session, "/stats/overview");
      expect(asAdmin.status, asAdmin.text).to.equal(200);
      expect(asAdmin.headers["cache-control"]).to.equal("private, no-store");
      expect(asAdmin.body).to.deep.equal(body);
    });

    it("equipped SMEs: each company once, in the Casablanca year of its first payment, in its own region and sector", () => {
      expect(body.equipped.total).to.equal(5);
      expect(body.equipped.target).to.equal(3000);
      expect(body.equipped.byYear).to.deep.equal(EQUIPPED_BY_YEAR);
      expect(body.equipped.byRegion).to.deep.equal(byRegion(EQUIPPED_BY_REGION));
      expect(body.equipped.byRegion).to.have.length(12);
      expectSectorCounts(body.equipped.bySector, EQUIPPED_BY_SECTOR);
    });

    it("permits: valid ones by year of issue, region and sector (unknown without company), revoked apart", () => {
      expect(body.permits.total).to.equal(5);
      expect(body.permits.revoked).to.equal(2);
      expect(body.permits.target).to.equal(10000);
      expect(body.permits.byYear).to.deep.equal(PERMITS_BY_YEAR);
      expect(body.permits.byRegion).to.deep.equal(byRegion(PERMITS_BY_REGION));
      expectSectorCounts(body.permits.bySector, PERMITS_BY_SECTOR);
    });

    it("budget: each call of the programme (oldest first) and each sector envelope, as GET /calls/:id/budget", async () => {
      const previous = required(calls, "c2025").call;
      const current = required(calls, "c2026").call;
      const withNames = (lines: Array<{ code: string } & BudgetLine>) =>
        lines.map((line) => ({ ...sectorNamed(line.code), ...line }));
      expect(body.budget).to.deep.equal([
        {
          callId: previous.id,
          callCode: "moussanada-2025",
          titleFr: previous.titleFr,
          titleAr: previous.titleAr,
          ...BUDGET_2025,
          bySector: withNames(BUDGET_2025.bySector),
        },
        {
          callId: current.id,
          callCode: "moussanada-2026",
          titleFr: "Appel à candidatures Moussanada 2026",
          titleAr: "طلب ترشيحات مساندة 2026",
          ...BUDGET_2026,
          bySector: withNames(BUDGET_2026.bySector),
        },
      ]);
      for (const line of body.budget) {
        const budget: BudgetBody = await budgetOf(officer.session, line.callId);
        expect(
          { envelope: line.envelope, committed: line.committed, paid: line.paid, available: line.available },
          line.callCode,
        ).to.deep.equal({
          envelope: budget.envelope,
          committed: budget.committed,
          paid: budget.paid,
          available: budget.available,
        });
        expect(
          line.bySector.map(({ code, envelope, committed, paid, available }) => ({
            sectorCode: code,
            envelope,
            committed,
            paid,
            available,
          })),
          line.callCode,
        ).to.deep.equal(budget.bySector);
      }
    });

    it("delays: median Casablanca calendar days over decided (15, odd) and paid (6, even) files", () => {
      expect(body.delays).to.deep.equal({
        submissionToDecision: { medianDays: 14, count: 15 },
        submissionToPayment: { medianDays: 69.5, count: 6 },
      });
    });

    it("funnel: each company once at its furthest step; dropOff and conversion (4 decimals), null first", () => {
      expect(body.funnel.steps).to.deep.equal(FUNNEL_STEPS);
    });

    it("funnel by region: all twelve, the company steps, most companies first then code", () => {
      expect(body.funnel.byRegion).to.deep.equal(funnelRows(regionNamed, FUNNEL_BY_REGION));
    });

    it("funnel by sector: every sector, by the company's sector", () => {
      expect(body.funnel.bySector).to.deep.equal(funnelRows(sectorNamed, FUNNEL_BY_SECTOR));
    });

    it("prescribers: submitted and approved files through a mandate vs all; top 10 organisations", () => {
      // 20 submitted files (A1-A7, B1-B5, C1-C3, D1-D4, F1), 12 approved (cancelled A6 is not);
      // all but A5 and D2 were filed through a mandate: 18 and 10.
      expect(body.prescribers).to.deep.equal({
        submitted: 20,
        submittedViaMandate: 18,
        approved: 12,
        approvedViaMandate: 10,
        top: [
          // benali1: A1, A6, B1; benali2: D1 — one organisation.
          { organisation: "Cabinet Benali Expertise", submitted: 4, approved: 2 },
          // A7, B3, C2 (the draft DR1 is not submitted).
          { organisation: "Association Tadamon", submitted: 3, approved: 2 },
          // B2, C3, D3.
          { organisation: "Fiduciaire Atlas", submitted: 3, approved: 0 },
          { organisation: "Cabinet Alami", submitted: 1, approved: 1 },
          { organisation: "Cabinet Chraibi", submitted: 1, approved: 1 },
          { organisation: "Cabinet Idrissi", submitted: 1, approved: 1 },
          { organisation: "Cabinet Kettani", submitted: 1, approved: 1 },
          { organisation: "Cabinet Naciri", submitted: 1, approved: 0 },
          { organisation: "Cabinet Tazi", submitted: 1, approved: 1 },
          { organisation: "Fiduciaire Sebti", submitted: 1, approved: 0 },
          // "Fiduciaire Zniber" (F1) is the eleventh.
        ],
      });
    });
  });

  describe("GET /stats/overview?programme= another programme", () => {
    it("counts the pilot programme's files only (its budget, delays, funnel, equipped SMEs, prescribers)", async () => {
      const body = await overview(`?programme=${PILOT.code}`);
      const call = required(calls, "pilot").call;
      expect(body.programme).to.deep.equal(PILOT);
      expect(body.equipped).to.deep.equal({
        total: 2,
        target: PILOT_TARGETS.equipped,
        byYear: [{ year: 2025, count: 2 }],
        byRegion: byRegion([
          [CS, 1],
          [FM, 1],
          ["beni-mellal-khenifra", 0],
          ["dakhla-oued-ed-dahab", 0],
          ["draa-tafilalet", 0],
          ["guelmim-oued-noun", 0],
          ["laayoune-sakia-el-hamra", 0],
          [MS, 0],
          [OR, 0],
          ["rabat-sale-kenitra", 0],
          [SM, 0],
          ["tanger-tetouan-al-hoceima", 0],
        ]),
        bySector: [
          { ...sectorNamed(K), count: 2 },
          { ...sectorNamed(AG), count: 0 },
          { ...sectorNamed("automobile"), count: 0 },
          { ...sectorNamed("cuir"), count: 0 },
          { ...sectorNamed(T), count: 0 },
        ],
      });
      // Permits belong to no programme: the same counts, the programme's target.
      expect(body.permits.total).to.equal(5);
      expect(body.permits.revoked).to.equal(2);
      expect(body.permits.target).to.equal(PILOT_TARGETS.permits);
      expect(body.budget).to.deep.equal([
        {
          callId: call.id,
          callCode: "pilote-2025",
          titleFr: call.titleFr,
          titleAr: call.titleAr,
          // D5: 30,000 committed and paid; G1: 25,000 committed, 20,000 paid.
          envelope: "1000000.00",
          committed: "5000.00",
          paid: "50000.00",
          available: "945000.00",
          bySector: [],
        },
      ]);
      expect(body.delays).to.deep.equal({
        submissionToDecision: { medianDays: 9, count: 3 },
        submissionToPayment: { medianDays: 37.5, count: 2 },
      });
      expect(body.funnel.steps).to.deep.equal(PILOT_FUNNEL_STEPS);
      expect(body.funnel.byRegion).to.deep.equal(funnelRows(regionNamed, PILOT_FUNNEL_BY_REGION));
      expect(body.funnel.bySector).to.deep.equal(funnelRows(sectorNamed, PILOT_FUNNEL_BY_SECTOR));
      expect(body.prescribers).to.deep.equal({
        submitted: 3,
        submittedViaMandate: 1,
        approved: 2,
        approvedViaMandate: 1,
        top: [{ organisation: "Cabinet Benali Expertise", submitted: 1, approved: 1 }],
      });
    });

    it("a programme without files: zeros everywhere, medians null, conversions null after a zero step", async () => {
      const body = await overview(`?programme=${HISTORICAL_PROGRAMME}`);
      expect(body.programme.code).to.equal(HISTORICAL_PROGRAMME);
      expect(body.equipped.total).to.equal(0);
      expect(body.equipped.byYear).to.deep.equal([]);
      expect(body.equipped.byRegion).to.deep.equal(
        byRegion(
          [...regions].map((region): [string, number] => [region.code, 0]).sort(([a], [b]) => a.localeCompare(b)),
        ),
      );
      expect(body.budget).to.deep.equal([]);
      expect(body.delays).to.deep.equal({
        submissionToDecision: { medianDays: null, count: 0 },
        submissionToPayment: { medianDays: null, count: 0 },
      });
      expect(body.funnel.steps).to.deep.equal(
        stepsOf(
          ["accounts", ...COMPANY_STEPS],
          [
            [APPLICANT_ACCOUNTS, null, null],
            [26, 4, 0.8667],
            [0, 26, 0],
            [0, 0, null],
            [0, 0, null],
            [0, 0, null],
          ],
        ),
      );
      expect(body.prescribers).to.deep.equal({
        submitted: 0,
        submittedViaMandate: 0,
        approved: 0,
        approvedViaMandate: 0,
        top: [],
      });
    });

    it("an unknown programme is 404; a malformed code is 422", async () => {
      expectProblem(await getRequest(officer.session, "/stats/overview?programme=programme-inconnu"), 404, "not-found");
      expectProblem(await getRequest(officer.session, "/stats/overview?programme=../x"), 422, "validation-failed");
    });
  });

  describe("who may read the overview and ask for a refresh", () => {
    it("applicants, prescribers and trainers get 403; anonymous visitors 401", async () => {
      for (const who of [applicant, prescriberPlayer, trainer]) {
        expectProblem(await getRequest(who.session, "/stats/overview"), 403, "forbidden");
      }
      expectProblem(await request(context().app).get(`${API}/stats/overview`), 401, "unauthenticated");
    });

    it("POST /stats/refresh: applicants 403, anonymous visitors 401", async () => {
      expectProblem(await postRequest(applicant.session, "/stats/refresh"), 403, "forbidden");
      const anonymous = await anonymousSession(context().app);
      expectProblem(
        await anonymous.agent.post(`${API}/stats/refresh`).set("X-CSRF-Token", anonymous.csrfToken).send({}),
        401,
        "unauthenticated",
      );
    });
  });

  // ——— Open data ———

  describe("GET /open-data/applications (anyone)", () => {
    it("one row per month (Casablanca) × region × sector, every programme, small counts withheld", async () => {
      const page = await openData("?pageSize=100");
      expect(page.suppressionThreshold).to.equal(5);
      expect(page.generatedAt).to.equal((await overview()).generatedAt);
      expect(page.total).to.equal(7);
      expect(page.page).to.equal(1);
      expect(page.pageSize).to.equal(100);
      expect(page.items).to.deep.equal(openDataRows(OPEN_DATA));
    });

    it("publishes no column that could hold a person's or a company's data", async () => {
      const response = await request(context().app).get(`${API}/open-data/applications?pageSize=100`);
      for (const item of (response.body as OpenDataPage).items) {
        expect(Object.keys(item).sort()).to.deep.equal([
          "approved",
          "grantedAmount",
          "month",
          "paid",
          "paidAmount",
          "regionCode",
          "regionNameAr",
          "regionNameFr",
          "sectorCode",
          "sectorNameAr",
          "sectorNameFr",
          "submitted",
        ]);
      }
      const { bytes } = await openDataCsv();
      for (const text of [response.text, bytes.toString("utf8")]) {
        for (const company of companies.values()) {
          expect(text).not.to.include(company.name);
          expect(text).not.to.include(company.ice);
        }
        for (const person of [...owners, ...prescribers.values()]) {
          expect(text).not.to.include(person.fullName);
          expect(text).not.to.include(person.email);
        }
        expect(text).not.to.include("Titulaire");
        expect(text).not.to.include("MS-20");
      }
    });

    it("filters by month range, region and sector", async () => {
      const cells = (predicate: (cell: Cell) => boolean) => openDataRows(OPEN_DATA.filter(predicate));
      const range = await openData("?from=2025-07&to=2026-05");
      expect(range.items).to.deep.equal(cells(([month]) => month >= "2025-07" && month <= "2026-05"));
      expect(range.total).to.equal(3);
      const region = await openData(`?region=${SM}`);
      expect(region.items).to.deep.equal(cells((cell) => cell[1] === SM));
      expect(region.total).to.equal(3);
      const sector = await openData(`?sector=${T}`);
      expect(sector.items).to.deep.equal(cells((cell) => cell[2] === T));
      expect(sector.total).to.equal(3);
      const both = await openData(`?region=${CS}&sector=${K}&from=2025-06&to=2025-06`);
      expect(both.items).to.deep.equal(openDataRows([["2025-06", CS, K, 5, null, null, null, null]]));
      expect(both.total).to.equal(1);
      const none = await openData("?region=dakhla-oued-ed-dahab");
      expect(none).to.include({ total: 0 });
      expect(none.items).to.deep.equal([]);
    });

    it("paginates: total, page and pageSize; pages follow the month, region, sector order", async () => {
      const second = await openData("?page=2&pageSize=3");
      expect({ total: second.total, page: second.page, pageSize: second.pageSize }).to.deep.equal({
        total: 7,
        page: 2,
        pageSize: 3,
      });
      expect(second.items).to.deep.equal(openDataRows(OPEN_DATA.slice(3, 6)));
      const third = await openData("?page=3&pageSize=3");
      expect(third.items).to.deep.equal(openDataRows(OPEN_DATA.slice(6)));
      const beyond = await openData("?page=4&pageSize=3");
      expect(beyond.items).to.deep.equal([]);
      expect(beyond.total).to.equal(7);
    });

    it("refuses malformed filters with 422 (JSON and CSV)", async () => {
      for (const query of [
        "?from=2026-13",
        "?to=2026-1",
        "?from=2026-00",
        "?region=../x",
        "?sector=Commerce",
        "?region=casablanca%20settat",
        "?pageSize=0",
        "?page=0",
      ]) {
        expectProblem(
          await request(context().app).get(`${API}/open-data/applications${query}`),
          422,
          "validation-failed",
        );
      }
      for (const query of ["?from=2026-13", "?region=../x"]) {
        expectProblem(
          await request(context().app).get(`${API}/open-data/applications.csv${query}`),
          422,
          "validation-failed",
        );
      }
    });
  });

  describe("GET /open-data/applications.csv (anyone)", () => {
    it("UTF-8 with a BOM, the French header, CRLF lines, every row and no totals, '<5' and empty amounts when withheld", async () => {
      const { response, bytes } = await openDataCsv();
      expect(response.headers["content-type"]).to.equal("text/csv; charset=utf-8");
      expect(response.headers["content-disposition"]).to.match(/^attachment; filename="[^"]+\.csv"$/);
      expect([...bytes.subarray(0, 3)]).to.deep.equal([0xef, 0xbb, 0xbf]);
      const text = bytes.subarray(3).toString("utf8");
      expect(text).to.equal([CSV_HEADER, ...OPEN_DATA_CSV_LINES].map((line) => `${line}\r\n`).join(""));
      expect(text.replace(/\r\n/g, "")).not.to.match(/[\r\n]/);
    });

    it("takes the same filters, without pagination", async () => {
      const { bytes } = await openDataCsv(`?sector=${K}&from=2025-06&to=2026-06`);
      const text = bytes.subarray(3).toString("utf8");
      expect(text).to.equal(
        [CSV_HEADER, OPEN_DATA_CSV_LINES[1], OPEN_DATA_CSV_LINES[2], OPEN_DATA_CSV_LINES[5]]
          .map((line) => `${line}\r\n`)
          .join(""),
      );
    });
  });

  // ——— Freshness and the refresh ———

  describe("refreshing the aggregates", () => {
    it("figures do not move before a refresh (stale by design); after it they do and generatedAt moves", async () => {
      const before = await overview();
      const beforeOpenData = await openData("?pageSize=100");
      const owner = await createUser({ role: "applicant", fullName: "Nouvelle Gérante" });
      const company = await createCompany({
        owner,
        name: "Société Tardive SARL",
        regionCode: "rabat-sale-kenitra",
        sectorCode: K,
      });
      await insertFile(
        { key: "S1", call: "c2026", sector: K, status: "submitted", submittedAt: "2026-06-10T09:00:00Z" },
        company,
      );

      expect(await overview()).to.deep.equal(before);
      expect(await openData("?pageSize=100")).to.deep.equal(beforeOpenData);

      expect(await refreshStatistics(ownerSequelize())).to.equal(true);
      const after = await overview();
      expect(after.generatedAt > before.generatedAt, `${after.generatedAt} after ${before.generatedAt}`).to.equal(true);
      expect(after.funnel.steps.map((step) => step.count)).to.deep.equal([APPLICANT_ACCOUNTS + 1, 27, 22, 20, 11, 5]);
      expect(after.prescribers.submitted).to.equal(21);
      const afterOpenData = await openData("?pageSize=100");
      expect(afterOpenData.total).to.equal(8);
      expect(afterOpenData.generatedAt).to.equal(after.generatedAt);
      expect(afterOpenData.items.find((item) => item.regionCode === "rabat-sale-kenitra")).to.deep.equal(
        openDataRow(["2026-06", "rabat-sale-kenitra", K, null, 0, 0, "0.00", "0.00"]),
      );
    });

    it("POST /stats/refresh (officer) queues one keyed job, 202; the worker's task refreshes and generatedAt moves", async () => {
      const jobs = async () => {
        const [row] = await ownerSequelize().query<{ count: string }>(
          `SELECT count(*) AS count FROM graphile_worker._private_jobs j
             JOIN graphile_worker._private_tasks t ON t.id = j.task_id
            WHERE t.identifier = :task`,
          { type: QueryTypes.SELECT, replacements: { task: REFRESH_STATISTICS_TASK } },
        );
        return Number(row?.count);
      };
      const before = await overview();
      for (const who of [officer, admin]) {
        const response = await postRequest(who.session, "/stats/refresh");
        expect(response.status, response.text).to.equal(202);
        expect(response.body).to.deep.equal({ queued: true });
      }
      expect(await jobs(), "two clicks, one job").to.equal(1);

      await createUser({ role: "applicant", fullName: "Gérant du lendemain" });
      expect(await overview(), "nothing moves until the job runs").to.deep.equal(before);

      await deliverQueuedEmails();
      expect(await jobs()).to.equal(0);
      const after = await overview();
      expect(after.generatedAt > before.generatedAt, `${after.generatedAt} after ${before.generatedAt}`).to.equal(true);
      expect(after.funnel.steps[0]?.count).to.equal((before.funnel.steps[0]?.count ?? Number.NaN) + 1);
    });

    it("two refreshes at once: both succeed one after the other, or one says false; nothing fails", async () => {
      const results = await Promise.all([refreshStatistics(ownerSequelize()), refreshStatistics(ownerSequelize())]);
      expect(results).to.include(true);
      for (const result of results) expect(result).to.be.a("boolean");
    });

    it("while a refresh runs, a second one returns false and readers keep reading the previous figures", async () => {
      const before = await overview();
      await createUser({ role: "applicant", fullName: "Gérante pendant le recalcul" });

      const url = process.env.TEST_DATABASE_URL;
      if (!url) throw new Error("TEST_DATABASE_URL is not set");
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      let reachedLastView: () => void = () => undefined;
      const reached = new Promise<void>((resolve) => {
        reachedLastView = resolve;
      });
      let release: () => void = () => undefined;
      const released = new Promise<void>((resolve) => {
        release = resolve;
      });
      // The worker's own refresh, held just before its last view: its transaction holds the
      // lock and has already replaced six views, uncommitted.
      const gated = {
        query: async (text: string, values?: unknown[]) => {
          if (text.includes("REFRESH") && text.includes("stats_totals")) {
            reachedLastView();
            await released;
          }
          return client.query(text, values);
        },
      };
      const running = refreshStatisticsOnClient(gated);
      try {
        await Promise.race([
          reached,
          running.then(() => {
            throw new Error("the refresh ended without reaching its last view");
          }),
        ]);
        expect(await refreshStatistics(ownerSequelize()), "a second refresh while one runs").to.equal(false);
        const started = Date.now();
        const during = await getRequest(officer.session, "/stats/overview").timeout(5000);
        expect(during.status, during.text).to.equal(200);
        expect(Date.now() - started).to.be.below(5000);
        expect(during.body).to.deep.equal(before);
        const openDuring = await request(context().app).get(`${API}/open-data/applications`).timeout(5000);
        expect(openDuring.status, openDuring.text).to.equal(200);
      } finally {
        release();
        await running.finally(() => client.end());
      }
      expect(await running).to.equal(true);
      const after = await overview();
      expect(after.generatedAt > before.generatedAt).to.equal(true);
      expect(after.funnel.steps[0]?.count).to.equal((before.funnel.steps[0]?.count ?? Number.NaN) + 1);
    });
  });

  // ——— Where the implementation and the contract part ———

  describe("contract edge cases", () => {
    it("open data: a file submitted again after a request for information stays in the month of its FIRST submission", async () => {
      // First submitted on 28 May 2026, information requested, submitted again on 3 June: the
      // contract publishes it under 2026-05 ("month of first submission"); submitted_at holds the
      // latest submission (3 June), which the delays use.
      const owner = owners[0];
      if (!owner) throw new Error("no owner");
      const company = await createCompany({
        owner,
        name: "Société Resoumise SARL",
        regionCode: "draa-tafilalet",
        sectorCode: K,
      });
      await insertFile(
        {
          key: "R1",
          call: "c2026",
          sector: K,
          status: "in_review",
          firstSubmittedAt: "2026-05-28T10:00:00Z",
          submittedAt: "2026-06-03T10:00:00Z",
        },
        company,
      );
      expect(await refreshStatistics(ownerSequelize())).to.equal(true);
      const page = await openData("?region=draa-tafilalet");
      expect(page.items.map((item) => item.month)).to.deep.equal(["2026-05"]);
    });

    it("budget: a call funded by sector envelopes only shows the same call total as GET /calls/:id/budget", async () => {
      const call = await Call.create({
        programmeId: pilotProgramme.id,
        code: "pilote-2024",
        titleFr: "Appel pilote 2024",
        titleAr: "طلب تجريبي 2024",
        opensOn: "2024-06-01",
        closesOn: "2024-12-31",
      });
      await CallRules.create({
        callId: call.id,
        version: 1,
        rate: "0.6000",
        capPerCompany: "400000.00",
        minCompanyAgeYears: 2,
        maxTurnover: "100000000.00",
      });
      await Envelope.create({ callId: call.id, sectorCode: K, amount: "300000.00" });
      await Envelope.create({ callId: call.id, sectorCode: T, amount: "200000.00" });
      const budget = await budgetOf(officer.session, call.id);
      expect(budget.envelope).to.equal("500000.00");
      const line = (await overview(`?programme=${PILOT.code}`)).budget.find((entry) => entry.callId === call.id);
      expect(line, "the call is listed").not.to.equal(undefined);
      expect({
        envelope: line?.envelope,
        committed: line?.committed,
        paid: line?.paid,
        available: line?.available,
      }).to.deep.equal({
        envelope: budget.envelope,
        committed: budget.committed,
        paid: budget.paid,
        available: budget.available,
      });
    });
  });
});
