import { expect } from "chai";
import type { Express } from "express";
import { Op, QueryTypes } from "sequelize";
import type request from "supertest";
import {
  Application,
  ApplicationLine,
  CapturedEmail,
  OutboxMessage,
  type Company,
  type Role,
  type User,
} from "../../server/models/index.js";
import { API, signIn, type BrowserSession, type SignedIn } from "../helpers/auth.js";
import { deliverQueuedEmails } from "../helpers/mail.js";
import { ownerSequelize } from "../helpers/testDatabase.js";
import {
  applicationPayload,
  pdfFile,
  readyApplication,
  submitRequest,
  uploadDocument,
  type ApplicationBody,
  type ApplicationPayload,
  type DocumentBody,
} from "./applications.js";
import { createCompany, createMandate, type CompanyFactoryOptions } from "./companies.js";
import { createUser, TEST_PASSWORD } from "./users.js";

/**
 * Fixtures of the review, budget and claims suites: signed-in people, files walked through the
 * status machine by the API (as officers do it), and, for the budget races, examined files
 * written straight to the database.
 */

// ——— People ———

export interface Player {
  user: User;
  session: SignedIn;
}

/** A verified user of `role`, signed in through the API. */
export async function player(app: Express, role: Role, fullName: string): Promise<Player> {
  const user = await createUser({ role, fullName });
  return { user, session: await signIn(app, user.email, TEST_PASSWORD) };
}

// ——— Requests ———

export const getRequest = (session: BrowserSession, path: string): request.Test => session.agent.get(`${API}${path}`);

export const postRequest = (session: BrowserSession, path: string, body: object = {}): request.Test =>
  session.agent.post(`${API}${path}`).set("X-CSRF-Token", session.csrfToken).send(body);

export const patchRequest = (session: BrowserSession, path: string, body: object): request.Test =>
  session.agent.patch(`${API}${path}`).set("X-CSRF-Token", session.csrfToken).send(body);

export type ReviewAction = "start-review" | "request-info" | "examine" | "approve" | "reject" | "cancel" | "close";

/** A body each action accepts, so a refusal is about who or when, never about the body. */
export const DEFAULT_BODIES: Record<ReviewAction | "withdraw", object> = {
  "start-review": {},
  "request-info": { message: "Merci de joindre l'attestation fiscale de moins de six mois." },
  examine: { proposal: "approve", comment: "Dossier complet, devis conformes au catalogue." },
  approve: { comment: "Accord du second chargé." },
  reject: { reason: "La solution choisie ne relève pas de l'appel." },
  cancel: { reason: "L'entreprise a renoncé à l'investissement." },
  close: {},
  withdraw: {},
};

export const transitionRequest = (
  session: BrowserSession,
  applicationId: string,
  action: ReviewAction | "withdraw",
  body: object = DEFAULT_BODIES[action],
): request.Test => postRequest(session, `/applications/${applicationId}/${action}`, body);

/** An application as the API presents it, with the officers' `review` block. */
export interface ReviewedBody extends ApplicationBody {
  review: {
    proposal: "approve" | "reject" | null;
    proposedAmount: string | null;
    proposalComment: string | null;
    examinedAt: string | null;
    decidedAt: string | null;
    approvedAmount: string | null;
    paidAmount: string | null;
  };
}

/** Runs one transition and expects 200 with the file in `expectedStatus`. */
export async function transition(
  session: BrowserSession,
  applicationId: string,
  action: ReviewAction | "withdraw",
  expectedStatus: string,
  body: object = DEFAULT_BODIES[action],
): Promise<ReviewedBody> {
  const response = await transitionRequest(session, applicationId, action, body);
  expect(response.status, `${action}: ${response.text}`).to.equal(200);
  const answer = response.body as ReviewedBody;
  expect(answer.status, action).to.equal(expectedStatus);
  return answer;
}

export async function getApplication(session: BrowserSession, applicationId: string): Promise<ReviewedBody> {
  const response = await getRequest(session, `/applications/${applicationId}`);
  expect(response.status, response.text).to.equal(200);
  return response.body as ReviewedBody;
}

// ——— Budget ———

export interface BudgetLine {
  envelope: string;
  committed: string;
  paid: string;
  available: string;
}

export interface BudgetBody extends BudgetLine {
  callId: string;
  bySector: Array<BudgetLine & { sectorCode: string }>;
}

export async function budgetOf(session: BrowserSession, callId: string): Promise<BudgetBody> {
  const response = await getRequest(session, `/calls/${callId}/budget`);
  expect(response.status, response.text).to.equal(200);
  return response.body as BudgetBody;
}

// ——— Claims ———

export interface InvoicePayload {
  documentId: string;
  invoiceNumber: string;
  supplierName: string;
  invoiceDate: string;
  amountExclTax: string;
}

export interface ClaimBody {
  id: string;
  applicationId: string;
  status: "submitted" | "verified" | "paid";
  submittedAt: string;
  verifiedAmount: string | null;
  paymentAmount: string | null;
  paymentReference: string | null;
  paidAt: string | null;
  invoices: Array<{
    id: string;
    documentId: string;
    invoiceNumber: string;
    supplierName: string;
    invoiceDate: string;
    amountExclTax: string;
    verdict: "pending" | "accepted" | "rejected";
    verifiedAmount: string | null;
    verdictReason: string | null;
  }>;
}

export interface ClaimDocuments {
  invoices: DocumentBody[];
  paymentProof: DocumentBody | null;
  acceptanceReport: DocumentBody | null;
}

/** Uploads `invoiceCount` invoices, and a payment proof and an acceptance report unless told not to. */
export async function uploadClaimDocuments(
  session: BrowserSession,
  applicationId: string,
  options: { invoiceCount?: number; paymentProof?: boolean; acceptanceReport?: boolean } = {},
): Promise<ClaimDocuments> {
  const invoices: DocumentBody[] = [];
  for (let index = 0; index < (options.invoiceCount ?? 1); index += 1) {
    invoices.push(
      await uploadDocument(
        session,
        applicationId,
        "invoice",
        pdfFile(`facture-${index + 1}.pdf`, `F-${applicationId}-${index}`),
      ),
    );
  }
  const paymentProof =
    options.paymentProof === false
      ? null
      : await uploadDocument(session, applicationId, "payment_proof", pdfFile("virement.pdf", `V-${applicationId}`));
  const acceptanceReport =
    options.acceptanceReport === false
      ? null
      : await uploadDocument(
          session,
          applicationId,
          "acceptance_report",
          pdfFile("pv-reception.pdf", `PV-${applicationId}`),
        );
  return { invoices, paymentProof, acceptanceReport };
}

export function invoicePayload(document: { id: string }, amountExclTax: string, index = 0): InvoicePayload {
  return {
    documentId: document.id,
    invoiceNumber: `FAC-2026-${String(index + 1).padStart(4, "0")}`,
    supplierName: "Atlas Logiciels SARL",
    invoiceDate: "2026-06-10",
    amountExclTax,
  };
}

export const claimRequest = (session: BrowserSession, applicationId: string, invoices: InvoicePayload[]) =>
  postRequest(session, `/applications/${applicationId}/claims`, { invoices });

export interface Verdict {
  id: string;
  verdict: "accepted" | "rejected";
  verifiedAmount?: string | null;
  reason?: string | null;
}

export const verifyRequest = (session: BrowserSession, claimId: string, invoices: Verdict[]) =>
  postRequest(session, `/claims/${claimId}/verify`, { invoices });

export const payRequest = (session: BrowserSession, claimId: string, paymentReference = "VIR-2026-000123") =>
  postRequest(session, `/claims/${claimId}/pay`, { paymentReference });

// ——— Files walked through the status machine by the API ———

export interface ReviewCast {
  owner: Player;
  /** Examines (proposes). */
  officerA: Player;
  /** Decides, verifies, pays. */
  officerB: Player;
  admin: Player;
}

export interface FileOptions {
  /** Who files it (the owner, or a mandated prescriber); the owner by default. */
  filer?: SignedIn;
  company: Company;
  callId: string;
  payload?: Partial<ApplicationPayload>;
  /** Amount of each invoice of the claim (one invoice each); "100000.00" by default. */
  invoiceAmounts?: string[];
}

/** The route from a draft to each status, in the order the status machine walks it. */
const ROUTE: Record<string, string | null> = {
  draft: null,
  submitted: "draft",
  withdrawn: "submitted",
  in_review: "submitted",
  info_requested: "in_review",
  examined: "in_review",
  rejected: "examined",
  approved: "examined",
  cancelled: "approved",
  claim_submitted: "approved",
  paid: "claim_submitted",
  closed: "paid",
};

/**
 * A file brought to `status` by the API alone, each step as the person the status machine wants:
 * the owner files and submits, officer A starts the review and examines, officer B decides,
 * verifies and pays, the admin cancels. Returns the file as the owner then sees it.
 */
export async function fileInStatus(cast: ReviewCast, status: string, options: FileOptions): Promise<ReviewedBody> {
  const filer = options.filer ?? cast.owner.session;
  const path: string[] = [];
  for (let step: string | null | undefined = status; step; step = ROUTE[step]) path.unshift(step);
  if (path[0] !== "draft") throw new Error(`fileInStatus: no route to ${status}`);
  const draft = await readyApplication(filer, applicationPayload(options.company.id, options.callId, options.payload));
  const id = draft.id;
  for (const step of path.slice(1)) {
    switch (step) {
      case "submitted": {
        const response = await submitRequest(filer, id);
        expect(response.status, `submit: ${response.text}`).to.equal(200);
        break;
      }
      case "withdrawn":
        await transition(filer, id, "withdraw", "withdrawn");
        break;
      case "in_review":
        await transition(cast.officerA.session, id, "start-review", "in_review");
        break;
      case "info_requested":
        await transition(cast.officerA.session, id, "request-info", "info_requested");
        break;
      case "examined":
        await transition(cast.officerA.session, id, "examine", "examined");
        break;
      case "rejected":
        await transition(cast.officerB.session, id, "reject", "rejected");
        break;
      case "approved":
        await transition(cast.officerB.session, id, "approve", "approved");
        break;
      case "cancelled":
        await transition(cast.admin.session, id, "cancel", "cancelled");
        break;
      case "claim_submitted": {
        const amounts = options.invoiceAmounts ?? ["100000.00"];
        const documents = await uploadClaimDocuments(filer, id, { invoiceCount: amounts.length });
        const response = await claimRequest(
          filer,
          id,
          documents.invoices.map((document, index) => invoicePayload(document, amounts[index] ?? "1.00", index)),
        );
        expect(response.status, `claim: ${response.text}`).to.equal(201);
        break;
      }
      case "paid": {
        const claim = await claimOf(cast.officerB.session, id);
        const verified = await verifyRequest(
          cast.officerB.session,
          claim.id,
          claim.invoices.map((invoice) => ({ id: invoice.id, verdict: "accepted" })),
        );
        expect(verified.status, `verify: ${verified.text}`).to.equal(200);
        const paid = await payRequest(cast.officerB.session, claim.id);
        expect(paid.status, `pay: ${paid.text}`).to.equal(200);
        break;
      }
      case "closed":
        await transition(cast.officerB.session, id, "close", "closed");
        break;
      default:
        throw new Error(`fileInStatus: unknown step ${step}`);
    }
  }
  const answer = await getApplication(filer, id);
  expect(answer.status).to.equal(status);
  return answer;
}

export async function claimOf(session: BrowserSession, applicationId: string): Promise<ClaimBody> {
  const response = await getRequest(session, `/applications/${applicationId}/claim`);
  expect(response.status, response.text).to.equal(200);
  return response.body as ClaimBody;
}

/** A company of `owner` (a fresh ICE each time), with a live mandate for `prescriber` if given. */
export async function freshCompany(
  owner: User,
  prescriber: User | null = null,
  profile: Partial<Omit<CompanyFactoryOptions, "owner">> = {},
): Promise<Company> {
  const company = await createCompany({ owner, ...profile });
  if (prescriber) await createMandate({ company, prescriber });
  return company;
}

// ——— Examined files written straight to the database (the budget races) ———

let referenceSerial = 60_000;

export interface ExaminedFileOptions {
  callId: string;
  callRulesId: string;
  owner: User;
  examiner: User;
  sectorCode?: string;
  /** One software line, VAT-exempt; its amount sets eligibleAmount. */
  lineAmount: string;
  /** What the rules give for `lineAmount` (rate × amount, floored); checked by the approval. */
  grantAmount: string;
  proposedAmount?: string;
  submittedAt?: Date;
  /** The company it belongs to; a new one of `owner` by default. */
  company?: Company;
}

/**
 * An examined file as officer A leaves it (proposal "approve" for `proposedAmount`), with its
 * own company, written by the models: a hundred of these take a second, not a minute of API calls.
 */
export async function examinedFile(options: ExaminedFileOptions): Promise<Application> {
  const sectorCode = options.sectorCode ?? "textile-habillement";
  const company = options.company ?? (await createCompany({ owner: options.owner, sectorCode }));
  referenceSerial += 1;
  const submittedAt = options.submittedAt ?? new Date("2026-06-01T09:00:00Z");
  const application = await Application.create({
    companyId: company.id,
    callId: options.callId,
    callRulesId: options.callRulesId,
    sectorCode,
    description: "Dossier de test écrit directement en base",
    status: "examined",
    reference: `MS-2026-${referenceSerial}`,
    eligibleAmount: options.lineAmount,
    vatAmount: "0.00",
    grantAmount: options.grantAmount,
    approvedAmount: null,
    createdBy: options.owner.id,
    filedViaMandateId: null,
    submittedAt,
    statusChangedAt: submittedAt,
    examinedBy: options.examiner.id,
    examinedAt: submittedAt,
    proposal: "approve",
    proposedAmount: options.proposedAmount ?? options.grantAmount,
    proposalComment: "Proposition d'accord",
  });
  await ApplicationLine.create({
    applicationId: application.id,
    position: 0,
    category: "software",
    label: "Licence ERP",
    supplierId: null,
    amountExclTax: options.lineAmount,
    vatRate: "0.00",
  });
  return application;
}

// ——— Database checks ———

/** Plays a DBA: forces an application's status (and optionally other columns) by SQL. */
export async function forceStatus(applicationId: string, status: string, extra: Record<string, unknown> = {}) {
  const sets = ["status = :status", ...Object.keys(extra).map((column) => `${column} = :${column}`)];
  await ownerSequelize().query(`UPDATE applications SET ${sets.join(", ")} WHERE id = :applicationId`, {
    replacements: { applicationId, status, ...extra },
  });
}

export async function statusOf(applicationId: string): Promise<string> {
  const application = await Application.findByPk(applicationId, { attributes: ["id", "status"] });
  if (!application) throw new Error(`no application ${applicationId}`);
  return application.status;
}

export async function scalarOf<T>(sql: string, replacements: Record<string, unknown> = {}): Promise<T> {
  const [row] = await ownerSequelize().query<{ value: T }>(sql, { type: QueryTypes.SELECT, replacements });
  return row?.value as T;
}

// ——— E-mails ———

/**
 * Delivers what is queued, then the captured e-mails of `template` to `address` about the file
 * `reference` (every file of a suite may have the same owner), newest first.
 */
export async function deliveredMails(address: string, template: string, reference: string): Promise<CapturedEmail[]> {
  await deliverQueuedEmails();
  const messages = await OutboxMessage.findAll({
    where: { recipient: { [Op.iLike]: address }, template, data: { reference } },
    attributes: ["id"],
  });
  if (messages.length === 0) return [];
  return CapturedEmail.findAll({
    where: { outboxMessageId: messages.map((message) => message.id) },
    order: [
      ["createdAt", "DESC"],
      ["id", "DESC"],
    ],
  });
}

/** The outbox messages queued for `address` with `template` (delivered or not), newest first. */
export async function queuedMails(address: string, template: string): Promise<OutboxMessage[]> {
  return OutboxMessage.findAll({
    where: { recipient: { [Op.iLike]: address }, template },
    order: [
      ["createdAt", "DESC"],
      ["id", "DESC"],
    ],
  });
}
