import { createHash, randomBytes } from "node:crypto";
import { QueryTypes } from "sequelize";
import {
  Certificate,
  CompanyInvitation,
  ConflictOfInterest,
  type Company,
  type Mandate,
  type Role,
  type TrainingSession,
  type User,
  type Enrolment,
} from "../../server/models/index.js";
import {
  createDraft,
  readyApplication,
  applicationPayload,
  uploadDocument,
  pdfFile,
} from "../factories/applications.js";
import type { DocumentBody } from "../factories/applications.js";
import { createCompany, createMandate } from "../factories/companies.js";
import { createCall } from "../factories/reference.js";
import {
  claimOf,
  fileInStatus,
  getApplication,
  invoicePayload,
  player,
  uploadClaimDocuments,
  verifyRequest,
  type ClaimBody,
  type InvoicePayload,
  type Player,
  type ReviewCast,
  type ReviewedBody,
} from "../factories/review.js";
import {
  apiPost,
  createTrainingSession,
  enrolDirectly,
  HOUR_MS,
  passedEnrolments,
  runWorker,
  type JobBody,
} from "../factories/training.js";
import { createUser, TEST_PASSWORD } from "../factories/users.js";
import { anonymousSession, signIn, type BrowserSession } from "../helpers/auth.js";
import type { TestContext } from "../helpers/testApp.js";
import { ownerSequelize, TEST_NOW } from "../helpers/testDatabase.js";

/**
 * One world of records for the permission matrix: a person for every role and every relation to
 * a record (owner, stranger, prescriber under a live / revoked / expired mandate or none, the
 * officer who examined a file, a second officer, an officer with a declared conflict, the trainer
 * of a session and another trainer, the administrator), the files of a client company in every
 * status, training sessions, enrolments and certificates. Shared records are only read or refused;
 * every call that is allowed to change something gets a throw-away record from `Fresh`.
 */

export const ACTORS = [
  "anonymous",
  "owner",
  "applicant2",
  "mandated",
  "revoked",
  "expired",
  "prescriber2",
  "examiner",
  "officer2",
  "conflicted",
  "trainer",
  "trainer2",
  "admin",
] as const;
export type ActorKey = (typeof ACTORS)[number];
export type SignedInActor = Exclude<ActorKey, "anonymous">;
export const SIGNED_IN_ACTORS = ACTORS.filter((actor): actor is SignedInActor => actor !== "anonymous");

/** Four-letter column heads of the matrix, in ACTORS order. */
export const ACTOR_COLUMNS = "anon own  app2 mand revk expd pre2 exam off2 conf trn  trn2 admn";

export const ACTOR_ROLES: Record<ActorKey, Role | "anonymous"> = {
  anonymous: "anonymous",
  owner: "applicant",
  applicant2: "applicant",
  mandated: "prescriber",
  revoked: "prescriber",
  expired: "prescriber",
  prescriber2: "prescriber",
  examiner: "officer",
  officer2: "officer",
  conflicted: "officer",
  trainer: "trainer",
  trainer2: "trainer",
  admin: "admin",
};

export const ACTOR_DESCRIPTIONS: Record<ActorKey, string> = {
  anonymous: "no session",
  owner: "applicant owning every client company of the world",
  applicant2: "applicant owning none of them (a stranger)",
  mandated: "prescriber with a live mandate on every client company",
  revoked: "prescriber whose mandate was revoked",
  expired: "prescriber whose mandate expired yesterday",
  prescriber2: "prescriber with no mandate",
  examiner: "officer who started the review and examined the shared files",
  officer2: "second officer (decides, verifies, pays)",
  conflicted: "officer who declared an interest in every client company",
  trainer: "trainer of the world's sessions",
  trainer2: "another trainer",
  admin: "administrator",
};

const FULL_NAMES: Record<SignedInActor, string> = {
  owner: "Karima Benali",
  applicant2: "Youssef Étranger",
  mandated: "Cabinet Alaoui",
  revoked: "Cabinet Révoqué",
  expired: "Cabinet Expiré",
  prescriber2: "Cabinet Sans Mandat",
  examiner: "Samira Examinatrice",
  officer2: "Omar Second",
  conflicted: "Hicham Intéressé",
  trainer: "Nadia Formatrice",
  trainer2: "Rachid Autre Formateur",
  admin: "Leila Administratrice",
};

/** The day before the tests' "now" in Casablanca: a mandate that expired on it is dead today. */
const YESTERDAY = "2026-06-14";
const STARTED_AT = new Date(Date.parse(TEST_NOW) - 2 * HOUR_MS);

export interface ClientCompany {
  company: Company;
  liveMandate: Mandate;
  revokedMandate: Mandate;
  expiredMandate: Mandate;
}

export interface ClaimFile {
  file: ReviewedBody;
  claim: ClaimBody;
}

export interface ApprovedWithInvoices {
  file: ReviewedBody;
  invoices: InvoicePayload[];
}

export interface DraftWithDocument {
  file: ReviewedBody | { id: string };
  document: DocumentBody;
}

export interface EnrolmentTarget {
  enrolment: Enrolment;
  session: TrainingSession;
}

export interface Invitation {
  company: Company;
  token: string;
}

export interface CertificateTarget {
  id: string;
  sessionId: string;
}

export interface World {
  context: TestContext;
  callers: Record<ActorKey, BrowserSession>;
  users: Record<SignedInActor, User>;
  cast: ReviewCast;
  callId: string;
  client: ClientCompany;
  draft: DraftWithDocument;
  files: {
    submitted: ReviewedBody;
    inReview: ReviewedBody;
    examined: ReviewedBody;
    approved: ApprovedWithInvoices;
    claimSubmitted: ClaimFile;
    claimVerified: ClaimFile;
    paid: ReviewedBody;
  };
  /** A file of a company owned by `applicant2`, whose documents must never open under another file's id. */
  strangerFile: ReviewedBody;
  invitation: Invitation;
  staffVictim: User;
  sessions: {
    future: TrainingSession;
    started: TrainingSession;
    cancelled: TrainingSession;
    cert: TrainingSession;
    toCertify: TrainingSession;
  };
  enrolments: {
    future: EnrolmentTarget;
    started: EnrolmentTarget;
    /** Made by prescriber `revoked` while its mandate lived; the mandate has been revoked since. */
    byRevoked: EnrolmentTarget;
  };
  certificate: CertificateTarget;
  /** The owner's certificate's public verification code (the QR code's). */
  verificationCode: string;
  spareCertificates: CertificateTarget[];
  job: JobBody;
  fresh: Fresh;
}

/** A company of `owner` with a live, a revoked and an expired mandate, and a declared conflict. */
async function clientCompany(users: Record<SignedInActor, User>): Promise<ClientCompany> {
  const company = await createCompany({ owner: users.owner });
  const [liveMandate, revokedMandate, expiredMandate] = await Promise.all([
    createMandate({ company, prescriber: users.mandated }),
    createMandate({ company, prescriber: users.revoked, revokedAt: "2026-06-01T08:00:00Z" }),
    createMandate({ company, prescriber: users.expired, expiresOn: YESTERDAY }),
    ConflictOfInterest.create({
      officerId: users.conflicted.id,
      companyId: company.id,
      reason: "Frère du gérant",
    }),
  ]);
  return { company, liveMandate, revokedMandate, expiredMandate };
}

/** Builders of throw-away records, one per allowed call that changes something. */
export class Fresh {
  constructor(
    private readonly users: Record<SignedInActor, User>,
    private readonly cast: ReviewCast,
    private readonly callId: string,
    private readonly context: TestContext,
    private readonly sharedCompany: Company,
    private readonly spares: CertificateTarget[],
  ) {}

  clientCompany(): Promise<ClientCompany> {
    return clientCompany(this.users);
  }

  /** A file in `status` of its own client company (one open file per company and call). */
  async file(status: string): Promise<ReviewedBody> {
    const { company } = await this.clientCompany();
    return fileInStatus(this.cast, status, { company, callId: this.callId });
  }

  async draft(): Promise<{ id: string }> {
    return createDraft(this.cast.owner.session, applicationPayload(this.sharedCompany.id, this.callId));
  }

  async readyDraft(): Promise<{ id: string }> {
    const { company } = await this.clientCompany();
    return readyApplication(this.cast.owner.session, applicationPayload(company.id, this.callId));
  }

  async draftWithDocument(): Promise<DraftWithDocument> {
    const file = await this.draft();
    const document = await uploadDocument(this.cast.owner.session, file.id, "quote", pdfFile("devis.pdf", file.id));
    return { file, document };
  }

  async approvedWithInvoices(): Promise<ApprovedWithInvoices> {
    const file = await this.file("approved");
    const documents = await uploadClaimDocuments(this.cast.owner.session, file.id);
    return {
      file,
      invoices: documents.invoices.map((document, index) => invoicePayload(document, "100000.00", index)),
    };
  }

  async claimFile(verified: boolean): Promise<ClaimFile> {
    const file = await this.file("claim_submitted");
    const claim = await claimOf(this.cast.officerB.session, file.id);
    if (!verified) return { file, claim };
    const response = await verifyRequest(
      this.cast.officerB.session,
      claim.id,
      claim.invoices.map((invoice) => ({ id: invoice.id, verdict: "accepted" })),
    );
    if (response.status !== 200) throw new Error(`verify: ${response.text}`);
    return { file, claim: response.body as ClaimBody };
  }

  futureSession(): Promise<TrainingSession> {
    return createTrainingSession({ trainer: this.users.trainer });
  }

  startedSession(): Promise<TrainingSession> {
    return createTrainingSession({ trainer: this.users.trainer, startsAt: STARTED_AT });
  }

  /** The owner's enrolment in a session still to come, made by a prescriber of company A. */
  async futureEnrolment(enrolledBy: "mandated" | "revoked" = "mandated"): Promise<EnrolmentTarget> {
    const session = await this.futureSession();
    const enrolment = await enrolDirectly(session, this.users.owner, "enrolled", {
      company: this.sharedCompany,
      enrolledBy: this.users[enrolledBy],
    });
    return { enrolment, session };
  }

  /** The owner's enrolment in a session that started two hours ago: its result may be recorded. */
  async startedEnrolment(): Promise<EnrolmentTarget> {
    const session = await this.startedSession();
    const enrolment = await enrolDirectly(session, this.users.owner, "enrolled", { company: this.sharedCompany });
    return { enrolment, session };
  }

  /** A started session of the trainer with one passed enrolment and no certificate yet. */
  async sessionToCertify(): Promise<TrainingSession> {
    const session = await this.startedSession();
    await passedEnrolments(session, 1, { prefix: "Reçu" });
    return session;
  }

  spareCertificate(): CertificateTarget {
    const spare = this.spares.pop();
    if (!spare) throw new Error("no spare certificate left: issue more in buildWorld");
    return spare;
  }

  staffUser(): Promise<User> {
    return createUser({ role: "officer", fullName: "Agent À Modifier" });
  }

  async invitation(): Promise<Invitation> {
    const company = await createCompany({
      owner: null,
      createdBy: this.users.mandated,
      managerName: "Dirigeant Invité",
    });
    await createMandate({ company, prescriber: this.users.mandated });
    const token = randomBytes(32).toString("base64url");
    await CompanyInvitation.create({
      companyId: company.id,
      email: company.managerEmail ?? "",
      tokenHash: createHash("sha256").update(token).digest("hex"),
      expiresAt: new Date(Date.parse(TEST_NOW) + 7 * 24 * HOUR_MS),
      claimedAt: null,
      claimedBy: null,
    });
    return { company, token };
  }

  plainCompany(): Promise<Company> {
    return createCompany({ owner: this.users.owner });
  }

  /** A new user of the actor's role, signed in: for calls that change the caller's own account. */
  async ownAccount(actor: SignedInActor): Promise<BrowserSession> {
    const role = ACTOR_ROLES[actor];
    if (role === "anonymous") throw new Error("anonymous has no account");
    const user = await createUser({ role, fullName: `Compte jetable ${actor}` });
    return signIn(this.context.app, user.email, TEST_PASSWORD);
  }

  /** A second browser of the actor, so that signing it out leaves the world's session alive. */
  secondSession(actor: SignedInActor): Promise<BrowserSession> {
    return signIn(this.context.app, this.users[actor].email, TEST_PASSWORD);
  }
}

export async function buildWorld(context: TestContext): Promise<World> {
  const { app, clock } = context;
  const players = Object.fromEntries(
    await Promise.all(
      SIGNED_IN_ACTORS.map(
        async (actor) => [actor, await player(app, ACTOR_ROLES[actor] as Role, FULL_NAMES[actor])] as const,
      ),
    ),
  ) as Record<SignedInActor, Player>;
  const users = Object.fromEntries(SIGNED_IN_ACTORS.map((actor) => [actor, players[actor].user])) as Record<
    SignedInActor,
    User
  >;
  const callers = {
    anonymous: await anonymousSession(app),
    ...Object.fromEntries(SIGNED_IN_ACTORS.map((actor) => [actor, players[actor].session])),
  } as Record<ActorKey, BrowserSession>;
  const cast: ReviewCast = {
    owner: players.owner,
    officerA: players.examiner,
    officerB: players.officer2,
    admin: players.admin,
  };
  const { call } = await createCall({ envelope: "100000000.00" });
  const client = await clientCompany(users);

  const spares: CertificateTarget[] = [];
  const fresh = new Fresh(users, cast, call.id, context, client.company, spares);

  const [draftFile, submitted, inReview, examined, approved, claimSubmitted, claimVerified, paid] = await Promise.all([
    readyApplication(cast.owner.session, applicationPayload(client.company.id, call.id)).then((draft) =>
      getApplication(cast.owner.session, draft.id),
    ),
    fresh.file("submitted"),
    fresh.file("in_review"),
    fresh.file("examined"),
    fresh.approvedWithInvoices(),
    fresh.claimFile(false),
    fresh.claimFile(true),
    fresh.file("paid"),
  ]);
  const draftDocument = draftFile.documents.find((document) => document.type === "quote");
  if (!draftDocument) throw new Error("the complete draft has no quote");

  const strangerCompany = await createCompany({ owner: users.applicant2 });
  const strangerFile = await fileInStatus({ ...cast, owner: players.applicant2 }, "in_review", {
    company: strangerCompany,
    callId: call.id,
  });

  const sessions = {
    future: await fresh.futureSession(),
    started: await fresh.startedSession(),
    cancelled: await createTrainingSession({ trainer: users.trainer, status: "cancelled" }),
    cert: await fresh.startedSession(),
    toCertify: await fresh.sessionToCertify(),
  };
  const futureEnrolment = await enrolDirectly(sessions.future, users.owner, "enrolled", {
    company: client.company,
    enrolledBy: users.mandated,
  });
  const startedEnrolment = await enrolDirectly(sessions.started, users.owner, "enrolled", { company: client.company });

  // The owner's Permis Numérique, issued by the trainer through the API, plus spares to revoke.
  await enrolDirectly(sessions.cert, users.owner, "passed", { company: client.company });
  await passedEnrolments(sessions.cert, 2, { prefix: "Réserve" });
  const issued = await apiPost(callers.trainer, `/training/sessions/${sessions.cert.id}/certificates`);
  if (issued.status !== 201) throw new Error(`certificate batch: ${issued.text}`);
  await runWorker(clock);
  const certificates = await Certificate.findAll({ where: { sessionId: sessions.cert.id } });
  const owned = certificates.find((certificate) => certificate.holderUserId === users.owner.id);
  if (!owned || certificates.length !== 3) throw new Error("the certificate batch did not issue three certificates");
  spares.push(
    ...certificates
      .filter((certificate) => certificate.id !== owned.id)
      .map((certificate) => ({ id: certificate.id, sessionId: sessions.cert.id })),
  );

  return {
    context,
    callers,
    users,
    cast,
    callId: call.id,
    client,
    draft: { file: draftFile, document: draftDocument },
    files: { submitted, inReview, examined, approved, claimSubmitted, claimVerified, paid },
    strangerFile,
    invitation: await fresh.invitation(),
    staffVictim: await createUser({ role: "trainer", fullName: "Agent Intouchable" }),
    sessions,
    enrolments: {
      future: { enrolment: futureEnrolment, session: sessions.future },
      started: { enrolment: startedEnrolment, session: sessions.started },
      byRevoked: await fresh.futureEnrolment("revoked"),
    },
    certificate: { id: owned.id, sessionId: sessions.cert.id },
    verificationCode: owned.verificationCode,
    spareCertificates: spares,
    job: issued.body as JobBody,
    fresh,
  };
}

// ——— "Nothing changed" ———

/**
 * Tables a refused call could touch. Per table, the row count and the newest row version's
 * transaction id: an insert or an update writes a row version with a newer xmin, a delete lowers
 * the count, so any change shows.
 */
const WATCHED_TABLES = [
  "applications",
  "application_lines",
  "application_status_changes",
  "application_submissions",
  "documents",
  "claims",
  "claim_invoices",
  "budget_ledger",
  "companies",
  "company_invitations",
  "mandates",
  "conflicts_of_interest",
  "users",
  "user_tokens",
  "training_sessions",
  "enrolments",
  "certificates",
  "certificate_jobs",
  "calls",
  "call_rules",
  "envelopes",
];

/** Append-only tables: their size says whether anything was written. */
const COUNTED_TABLES = ["audit_events", "outbox_messages", "graphile_worker._private_jobs"];

/**
 * A fingerprint of everything a command may change: the tables above, and the audit log, outbox
 * and job queue by size. Read as the owner, outside the app.
 */
export async function stateFingerprint(): Promise<string> {
  const parts = [
    ...WATCHED_TABLES.map(
      (table) => `(SELECT count(*) || ':' || coalesce(max(xmin::text::bigint), 0) FROM ${table}) AS "${table}"`,
    ),
    ...COUNTED_TABLES.map((table) => `(SELECT count(*)::text FROM ${table}) AS "${table}"`),
  ];
  const [row] = await ownerSequelize().query<Record<string, string>>(`SELECT ${parts.join(", ")}`, {
    type: QueryTypes.SELECT,
  });
  return JSON.stringify(row);
}

/** Which tables differ between two fingerprints (for the failure message). */
export function changedTables(before: string, after: string): string[] {
  const a = JSON.parse(before) as Record<string, string>;
  const b = JSON.parse(after) as Record<string, string>;
  return Object.keys(a).filter((table) => a[table] !== b[table]);
}
