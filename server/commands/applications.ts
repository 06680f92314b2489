import { holdsValidPermis } from "./certificates.js";
import { QueryTypes, UniqueConstraintError, type Sequelize, type Transaction } from "sequelize";
import {
  allowsTransition,
  isEditable,
  type ApplicationStatus,
  type ApplicationTransition,
  APPLICATION_TRANSITIONS,
} from "../domain/applicationStatus.js";
import { callStatus, localDate, type Clock } from "../domain/calendar.js";
import { lineVat, type LineCategory, type VatRate } from "../domain/grant.js";
import { formatMoney, fromDatabase, MAX_CENTIMES, parseRate, sumCentimes } from "../domain/money.js";
import { AppError, type FieldError } from "../errors.js";
import { displayInstant, displayMoney } from "../i18n/format.js";
import type { Locale, MessageKey } from "../i18n/index.js";
import { queueEmail } from "../mail/outbox.js";
import {
  Application,
  ApplicationDocument,
  ApplicationLine,
  ApplicationStatusChange,
  ApplicationSubmission,
  Call,
  Mandate,
  modelsSequelize,
  Sector,
  Solution,
  Supplier,
  User,
  APPLICATION_DOCUMENT_TYPES,
  CLAIM_DOCUMENT_TYPES,
  DOCUMENT_TYPES,
  type DocumentMimeType,
  type DocumentType,
} from "../models/index.js";
import type { DocumentStore } from "../storage/documentStore.js";
import { newStorageKey } from "../storage/documentStore.js";
import type { Actor } from "./actor.js";
import {
  assessApplication,
  latestRules,
  loadApplication,
  type Assessment,
  type LoadedApplication,
} from "./applicationAssessment.js";
import { recordAudit } from "./auditRecorder.js";

export interface UploadLimits {
  maxFileBytes: number;
  maxDocumentsPerApplication: number;
}

export interface ApplicationDeps {
  sequelize: Sequelize;
  clock: Clock;
  publicUrl: string;
  store: DocumentStore;
  uploads: UploadLimits;
}

export interface LineInput {
  category: LineCategory;
  label: string;
  supplierId: string | null;
  /** Canonical "12500.00", validated by the route. */
  amountExclTax: string;
  vatRate: VatRate;
}

export interface ApplicationAnswers {
  sectorCode: string;
  solutionIds: string[];
  description: string;
  lines: LineInput[];
}

export interface NewApplication extends ApplicationAnswers {
  companyId: string;
  callId: string;
}

/** Who acts, and through which mandate when a prescriber acts for the company. */
export interface Acting {
  user: User;
  actor: Actor;
  mandate: Mandate | null;
}

export function illegalTransition(status: ApplicationStatus): AppError {
  return new AppError("conflict", 409, {
    detailKey: "applications.illegal-transition",
    labelParams: { status: `application-status.${status}` as MessageKey },
  });
}

function assertTransition(application: Application, transition: ApplicationTransition): void {
  if (!allowsTransition(application.status, transition)) throw illegalTransition(application.status);
}

function assertEditable(application: Application): void {
  if (!isEditable(application.status)) {
    throw new AppError("conflict", 409, {
      detailKey: "applications.not-editable",
      labelParams: { status: `application-status.${application.status}` as MessageKey },
    });
  }
}

/** The audit trail's view of a file: its answers and computed amounts. */
function auditedApplication(loaded: LoadedApplication): Record<string, unknown> {
  const { application, lines, solutions } = loaded;
  return {
    companyId: application.companyId,
    callId: application.callId,
    status: application.status,
    reference: application.reference,
    sectorCode: application.sectorCode,
    description: application.description,
    solutionIds: solutions.map((solution) => solution.id),
    lines: lines.map((line) => ({
      category: line.category,
      label: line.label,
      supplierId: line.supplierId,
      amountExclTax: line.amountExclTax,
      vatRate: line.vatRate,
    })),
    eligibleAmount: application.eligibleAmount,
    grantAmount: application.grantAmount,
  };
}

async function recordMandateUse(transaction: Transaction, acting: Acting, purpose: string): Promise<void> {
  if (!acting.mandate) return;
  await recordAudit(transaction, acting.actor, {
    action: "mandate.used",
    entityType: "mandate",
    entityId: acting.mandate.id,
    after: { companyId: acting.mandate.companyId, purpose },
  });
}

/** Sector, solutions and suppliers named in the answers exist, are active and fit together. */
async function assertAnswersValid(
  transaction: Transaction,
  answers: Partial<ApplicationAnswers>,
  sectorCode: string,
): Promise<void> {
  const errors: FieldError[] = [];
  const sector = await Sector.findOne({ where: { code: sectorCode, active: true }, transaction });
  if (!sector) errors.push({ path: "sectorCode", key: "applications.unknown-sector" });
  if (answers.solutionIds && answers.solutionIds.length > 0) {
    const solutions = await Solution.findAll({ where: { id: answers.solutionIds, active: true }, transaction });
    answers.solutionIds.forEach((id, index) => {
      const solution = solutions.find((candidate) => candidate.id === id);
      if (!solution) errors.push({ path: `solutionIds.${index}`, key: "applications.unknown-solution" });
      else if (solution.sectorCode !== sectorCode) {
        errors.push({ path: `solutionIds.${index}`, key: "applications.solution-other-sector" });
      }
    });
  }
  const supplierIds = (answers.lines ?? []).flatMap((line) => (line.supplierId ? [line.supplierId] : []));
  if (supplierIds.length > 0) {
    const suppliers = await Supplier.findAll({
      where: { id: supplierIds, active: true },
      attributes: ["id"],
      transaction,
    });
    (answers.lines ?? []).forEach((line, index) => {
      if (line.supplierId && !suppliers.some((supplier) => supplier.id === line.supplierId)) {
        errors.push({ path: `lines.${index}.supplierId`, key: "applications.unknown-supplier" });
      }
    });
  }
  if (answers.lines && !fitsInAmountColumns(answers.lines)) {
    errors.push({ path: "lines", key: "applications.lines-total-too-large" });
  }
  if (errors.length > 0) throw AppError.validation(errors);
}

/** The file's totals, VAT included, must fit NUMERIC(14,2) like each of its lines. */
function fitsInAmountColumns(lines: LineInput[]): boolean {
  const costLines = lines.map((line) => ({
    amountExclTax: fromDatabase(line.amountExclTax),
    vatRate: parseRate(line.vatRate),
  }));
  const eligible = sumCentimes(costLines.map((line) => line.amountExclTax));
  return eligible + sumCentimes(costLines.map(lineVat)) <= MAX_CENTIMES;
}

async function replaceLines(transaction: Transaction, applicationId: string, lines: LineInput[]): Promise<void> {
  await ApplicationLine.destroy({ where: { applicationId }, transaction });
  await ApplicationLine.bulkCreate(
    lines.map((line, position) => ({ ...line, applicationId, position })),
    { transaction, validate: true },
  );
}

async function replaceSolutions(transaction: Transaction, applicationId: string, solutionIds: string[]): Promise<void> {
  const sequelize = modelsSequelize();
  await sequelize.query("DELETE FROM application_solutions WHERE application_id = :applicationId", {
    transaction,
    replacements: { applicationId },
  });
  for (const solutionId of new Set(solutionIds)) {
    await sequelize.query(
      "INSERT INTO application_solutions (application_id, solution_id) VALUES (:applicationId, :solutionId)",
      { transaction, replacements: { applicationId, solutionId } },
    );
  }
}

/** Stores the amounts the lists sort and filter on; answers always recompute them. */
async function refreshAmounts(transaction: Transaction, loaded: LoadedApplication, at: Date): Promise<Assessment> {
  const assessment = await assessApplication(loaded, at, transaction);
  await loaded.application.update(
    {
      eligibleAmount: formatMoney(assessment.computation.eligibleAmount),
      vatAmount: formatMoney(assessment.computation.vatAmount),
      grantAmount: formatMoney(assessment.computation.grantAmount),
    },
    { transaction },
  );
  return assessment;
}

/** Moves the file to `to`, writing its history row; the caller writes the audit event. */
export async function changeStatus(
  transaction: Transaction,
  application: Application,
  to: ApplicationStatus,
  acting: Pick<Acting, "user">,
  at: Date,
  comment: string | null = null,
): Promise<void> {
  const from = application.status;
  await application.update({ status: to, statusChangedAt: at }, { transaction });
  await ApplicationStatusChange.create(
    { applicationId: application.id, fromStatus: from, toStatus: to, actorId: acting.user.id, comment, createdAt: at },
    { transaction },
  );
}

async function mustLoad(id: string, transaction: Transaction): Promise<LoadedApplication> {
  const loaded = await loadApplication(id, { transaction, lock: true });
  if (!loaded) throw AppError.notFound();
  return loaded;
}

/** Loads the file under its row lock, if the status machine allows `transition` from its status (else 409). */
export async function lockForTransition(
  transaction: Transaction,
  id: string,
  transition: ApplicationTransition,
): Promise<LoadedApplication> {
  const loaded = await mustLoad(id, transaction);
  assertTransition(loaded.application, transition);
  return loaded;
}

/** Opens a draft for a company in a call; the company's owner or a mandated prescriber does. */
export async function createApplication(
  deps: Pick<ApplicationDeps, "sequelize" | "clock">,
  input: NewApplication,
  acting: Acting,
): Promise<string> {
  const now = deps.clock.now();
  return deps.sequelize.transaction(async (transaction) => {
    const call = await Call.findByPk(input.callId, { transaction });
    if (!call) throw AppError.validation([{ path: "callId", key: "applications.unknown-call" }]);
    if (callStatus(call, localDate(now)) === "closed") {
      throw AppError.validation([{ path: "callId", key: "applications.call-closed" }]);
    }
    const rules = await latestRules(call.id, transaction);
    if (!rules) throw AppError.validation([{ path: "callId", key: "applications.unknown-call" }]);
    await assertAnswersValid(transaction, input, input.sectorCode);

    const application = await Application.create(
      {
        companyId: input.companyId,
        callId: call.id,
        callRulesId: rules.id,
        sectorCode: input.sectorCode,
        description: input.description,
        reference: null,
        approvedAmount: null,
        createdBy: acting.user.id,
        filedViaMandateId: acting.mandate?.id ?? null,
        submittedAt: null,
        statusChangedAt: now,
      },
      { transaction },
    );
    await replaceLines(transaction, application.id, input.lines);
    await replaceSolutions(transaction, application.id, input.solutionIds);
    await ApplicationStatusChange.create(
      {
        applicationId: application.id,
        fromStatus: null,
        toStatus: "draft",
        actorId: acting.user.id,
        comment: null,
        createdAt: now,
      },
      { transaction },
    );
    const loaded = await mustLoad(application.id, transaction);
    await refreshAmounts(transaction, loaded, now);
    await recordAudit(transaction, acting.actor, {
      action: "application.created",
      entityType: "application",
      entityId: application.id,
      after: auditedApplication(loaded),
    });
    await recordMandateUse(transaction, acting, "application.created");
    return application.id;
  });
}

/** Changes the answers of a draft, or of a file the officer sent back for information. */
export async function updateApplication(
  deps: ApplicationDeps,
  id: string,
  changes: Partial<ApplicationAnswers>,
  acting: Acting,
): Promise<void> {
  const now = deps.clock.now();
  await deps.sequelize.transaction(async (transaction) => {
    const before = await mustLoad(id, transaction);
    assertEditable(before.application);
    const sectorCode = changes.sectorCode ?? before.application.sectorCode;
    await assertAnswersValid(transaction, changes, sectorCode);
    const auditedBefore = auditedApplication(before);

    const rules = before.application.status === "draft" ? await latestRules(before.call.id, transaction) : null;
    await before.application.update(
      {
        sectorCode,
        ...(changes.description !== undefined ? { description: changes.description } : {}),
        ...(rules ? { callRulesId: rules.id } : {}),
      },
      { transaction },
    );
    if (changes.lines) await replaceLines(transaction, id, changes.lines);
    if (changes.solutionIds) await replaceSolutions(transaction, id, changes.solutionIds);
    const after = await mustLoad(id, transaction);
    await refreshAmounts(transaction, after, now);
    await recordAudit(transaction, acting.actor, {
      action: "application.updated",
      entityType: "application",
      entityId: id,
      before: auditedBefore,
      after: auditedApplication(after),
    });
    await recordMandateUse(transaction, acting, "application.updated");
  });
}

export interface CheckedUpload {
  tempPath: string;
  /** Already sanitised for display and Content-Disposition. */
  originalName: string;
  size: number;
  type: DocumentType;
  mimeType: DocumentMimeType;
  sha256: string;
}

/**
 * What a file takes in its status: the application's documents while it can be edited, then,
 * once approved, the invoices, payment proofs and acceptance report of its claim.
 */
export function documentTypesAccepted(status: ApplicationStatus): readonly DocumentType[] {
  if (isEditable(status)) return APPLICATION_DOCUMENT_TYPES;
  if (status === "approved") return CLAIM_DOCUMENT_TYPES;
  return [];
}

function assertAcceptsDocumentType(application: Application, type: DocumentType): void {
  const accepted = documentTypesAccepted(application.status);
  if (accepted.length === 0) assertEditable(application);
  if (!accepted.includes(type)) throw AppError.validation([{ path: "type", key: "applications.document-type" }]);
}

/** Refuses early, before the bytes are read, when the file takes no document in its status. */
export async function assertAcceptsDocuments(id: string): Promise<void> {
  const application = await Application.findByPk(id, { attributes: ["id", "status"] });
  if (!application) throw AppError.notFound();
  if (documentTypesAccepted(application.status).length === 0) assertEditable(application);
}

/** The document type named in the upload form, if the file takes it in its status. */
export async function acceptedDocumentType(id: string, type: string | undefined): Promise<DocumentType> {
  const application = await Application.findByPk(id, { attributes: ["id", "status"] });
  if (!application) throw AppError.notFound();
  const known = DOCUMENT_TYPES.find((candidate) => candidate === type);
  if (!known) throw AppError.validation([{ path: "type", key: "applications.document-type" }]);
  assertAcceptsDocumentType(application, known);
  return known;
}

/**
 * Stores the bytes under a fresh random key, then records the document in the file's
 * transaction; if that transaction fails the bytes are removed again, so a refused upload
 * leaves nothing behind.
 */
export async function attachDocument(
  deps: ApplicationDeps,
  id: string,
  upload: CheckedUpload,
  acting: Acting,
): Promise<ApplicationDocument> {
  const storageKey = newStorageKey();
  await deps.store.putFile(storageKey, upload.tempPath, upload.mimeType);
  try {
    return await deps.sequelize.transaction(async (transaction) => {
      const application = await Application.findByPk(id, { transaction, lock: transaction.LOCK.UPDATE });
      if (!application) throw AppError.notFound();
      assertAcceptsDocumentType(application, upload.type);
      const count = await ApplicationDocument.count({ where: { applicationId: id }, transaction });
      if (count >= deps.uploads.maxDocumentsPerApplication) {
        throw AppError.validation([
          {
            path: "file",
            key: "applications.too-many-documents",
            params: { max: deps.uploads.maxDocumentsPerApplication },
          },
        ]);
      }
      const document = await ApplicationDocument.create(
        {
          applicationId: id,
          type: upload.type,
          originalName: upload.originalName,
          mimeType: upload.mimeType,
          sizeBytes: upload.size,
          sha256: upload.sha256,
          storageKey,
          uploadedBy: acting.user.id,
          verdictReason: null,
          verdictBy: null,
          verdictAt: null,
        },
        { transaction },
      );
      application.changed("updatedAt", true);
      await application.save({ transaction });
      await recordAudit(transaction, acting.actor, {
        action: "document.uploaded",
        entityType: "document",
        entityId: document.id,
        after: {
          applicationId: id,
          type: document.type,
          originalName: document.originalName,
          mimeType: document.mimeType,
          size: upload.size,
          sha256: document.sha256,
        },
      });
      await recordMandateUse(transaction, acting, "document.uploaded");
      return document;
    });
  } catch (error) {
    await deps.store.remove(storageKey);
    throw error;
  }
}

/** Removes a document from an editable file; its bytes leave the store once the row is gone. */
export async function removeDocument(
  deps: ApplicationDeps,
  id: string,
  documentId: string,
  acting: Acting,
): Promise<void> {
  const storageKey = await deps.sequelize.transaction(async (transaction) => {
    const application = await Application.findByPk(id, { transaction, lock: transaction.LOCK.UPDATE });
    if (!application) throw AppError.notFound();
    const document = await ApplicationDocument.findOne({ where: { id: documentId, applicationId: id }, transaction });
    if (!document) throw AppError.notFound();
    if (document.claimId !== null) assertEditable(application);
    assertAcceptsDocumentType(application, document.type);
    await document.destroy({ transaction });
    await recordAudit(transaction, acting.actor, {
      action: "document.deleted",
      entityType: "document",
      entityId: document.id,
      before: { applicationId: id, type: document.type, originalName: document.originalName, sha256: document.sha256 },
    });
    await recordMandateUse(transaction, acting, "document.deleted");
    return document.storageKey;
  });
  await deps.store.remove(storageKey);
}

/** "MS-2026-00042": the next number of the year, gapless because it is taken in the transaction. */
export async function nextReference(transaction: Transaction, series: string, year: number, digits: number) {
  const [row] = await modelsSequelize().query<{ last_value: number }>(
    `INSERT INTO reference_counters (series, year, last_value) VALUES (:series, :year, 1)
     ON CONFLICT (series, year) DO UPDATE SET last_value = reference_counters.last_value + 1
     RETURNING last_value`,
    { type: QueryTypes.SELECT, transaction, replacements: { series, year } },
  );
  if (!row) throw new Error("reference counter did not answer");
  return `${series}-${year}-${String(row.last_value).padStart(digits, "0")}`;
}

export interface SubmissionOutcome {
  body: Record<string, unknown>;
  replayed: boolean;
}

export interface SubmissionPresenter {
  /** The answer to store and send: the application as the submitter sees it after submission. */
  answer(loaded: LoadedApplication, assessment: Assessment, transaction: Transaction): Promise<Record<string, unknown>>;
  /** One sentence per failed criterion, in the submitter's language. */
  failures(loaded: LoadedApplication, assessment: Assessment): FieldError[];
  /** What the receipt prints, frozen at submission. */
  snapshot(
    loaded: LoadedApplication,
    assessment: Assessment,
    submissionNumber: number,
    transaction: Transaction,
  ): Promise<Record<string, unknown>>;
}

function ineligible(errors: FieldError[]): AppError {
  return new AppError("application-ineligible", 422, { errors });
}

/**
 * Submits a file. The row lock serialises every submit of one application, so of any number of
 * parallel requests exactly one submits; a retry with the same Idempotency-Key gets the stored
 * answer again, another key gets 409 because the file is no longer a draft.
 */
export async function submitApplication(
  deps: ApplicationDeps,
  id: string,
  idempotencyKey: string,
  acting: Acting,
  presenter: SubmissionPresenter,
): Promise<SubmissionOutcome> {
  const now = deps.clock.now();
  try {
    return await deps.sequelize.transaction(async (transaction) => {
      const loaded = await mustLoad(id, transaction);
      const previous = await ApplicationSubmission.findOne({
        where: { applicationId: id, idempotencyKey },
        transaction,
      });
      if (previous) return { body: previous.response, replayed: true };
      const { application } = loaded;
      assertTransition(application, "submit");

      const assessment = await assessApplication(loaded, now, transaction);
      if (!assessment.eligible) throw ineligible(presenter.failures(loaded, assessment));

      const rules = application.status === "draft" ? await latestRules(application.callId, transaction) : null;
      const reference =
        application.reference ?? (await nextReference(transaction, "MS", Number(localDate(now).slice(0, 4)), 5));
      const fromStatus = application.status;
      await application.update(
        {
          reference,
          submittedAt: now,
          ...(rules ? { callRulesId: rules.id } : {}),
          eligibleAmount: formatMoney(assessment.computation.eligibleAmount),
          vatAmount: formatMoney(assessment.computation.vatAmount),
          grantAmount: formatMoney(assessment.computation.grantAmount),
          fastTrack: await holdsValidPermis(transaction, application.companyId),
        },
        { transaction },
      );
      await changeStatus(transaction, application, APPLICATION_TRANSITIONS.submit.to, acting, now);
      const submissionNumber = (await ApplicationSubmission.count({ where: { applicationId: id }, transaction })) + 1;

      const submitted = await mustLoad(id, transaction);
      const body = await presenter.answer(submitted, assessment, transaction);
      await ApplicationSubmission.create(
        {
          applicationId: id,
          sequence: submissionNumber,
          idempotencyKey,
          submittedBy: acting.user.id,
          snapshot: await presenter.snapshot(submitted, assessment, submissionNumber, transaction),
          response: body,
        },
        { transaction },
      );
      await recordAudit(transaction, acting.actor, {
        action: "application.submitted",
        entityType: "application",
        entityId: id,
        before: { status: fromStatus },
        after: { ...auditedApplication(submitted), submission: submissionNumber },
      });
      await recordMandateUse(transaction, acting, "application.submitted");
      await queueSubmissionEmails(deps, transaction, submitted, acting, submissionNumber);
      return { body, replayed: false };
    });
  } catch (error) {
    // Two drafts of one company in one call submitted at the same instant: the database's
    // "one open file per call" index turns the second into the verdict it would have had.
    if (error instanceof UniqueConstraintError && /applications_one_open/.test(String(error.parent))) {
      throw ineligible([
        { path: "eligibility.no_other_open_application", key: "eligibility.no_other_open_application.racing" },
      ]);
    }
    throw error;
  }
}

/**
 * E-mails the people a file concerns, each in their language: the company's manager (its owner,
 * or the invited manager while the company is unclaimed) and the prescriber who filed or is
 * acting on it. `data` builds the template's values for one recipient.
 */
export async function queueCompanyEmails(
  transaction: Transaction,
  loaded: LoadedApplication,
  template: string,
  data: (locale: Locale, recipientName: string) => Record<string, string>,
  actingPrescriberId: string | null = null,
): Promise<void> {
  const { application, company } = loaded;
  const owner = company.owner ?? null;
  if (owner) {
    await queueEmail(transaction, {
      to: owner.email,
      template,
      locale: owner.locale,
      data: data(owner.locale, owner.fullName),
    });
  } else if (company.managerEmail) {
    await queueEmail(transaction, {
      to: company.managerEmail,
      template,
      locale: "fr",
      data: data("fr", company.managerName ?? ""),
    });
  }
  // The prescriber acting now, the one who filed, and every prescriber the company mandates today.
  const prescriberIds = new Set<string>();
  if (actingPrescriberId) prescriberIds.add(actingPrescriberId);
  const filer = await filingPrescriberId(transaction, application);
  if (filer) prescriberIds.add(filer);
  // The mail follows a status change: its instant (the application clock's) says which mandates live.
  const today = localDate(application.statusChangedAt);
  const mandates = await Mandate.findAll({ where: { companyId: company.id, revokedAt: null }, transaction });
  for (const mandate of mandates) if (mandate.isLiveOn(today)) prescriberIds.add(mandate.prescriberId);
  if (owner) prescriberIds.delete(owner.id);
  if (prescriberIds.size === 0) return;
  const prescribers = await User.findAll({ where: { id: [...prescriberIds], role: "prescriber" }, transaction });
  for (const prescriber of prescribers) {
    await queueEmail(transaction, {
      to: prescriber.email,
      template,
      locale: prescriber.locale,
      data: data(prescriber.locale, prescriber.fullName),
    });
  }
}

/** The values every e-mail about a file shows. */
export function applicationEmailData(
  loaded: LoadedApplication,
  publicUrl: string,
  locale: Locale,
  recipientName: string,
): Record<string, string> {
  const { application, company } = loaded;
  return {
    recipientName,
    companyName: company.name,
    reference: application.reference ?? "",
    grantAmount: displayMoney(fromDatabase(application.grantAmount), locale),
    eligibleAmount: displayMoney(fromDatabase(application.eligibleAmount), locale),
    applicationUrl: `${publicUrl}/dossiers/${application.id}`,
  };
}

async function queueSubmissionEmails(
  deps: ApplicationDeps,
  transaction: Transaction,
  loaded: LoadedApplication,
  acting: Acting,
  submissionNumber: number,
): Promise<void> {
  const submittedAt = loaded.application.submittedAt ?? deps.clock.now();
  await queueCompanyEmails(
    transaction,
    loaded,
    "application-submitted",
    (locale, recipientName) => ({
      ...applicationEmailData(loaded, deps.publicUrl, locale, recipientName),
      submittedAt: displayInstant(submittedAt, locale),
      submissionNumber: String(submissionNumber),
    }),
    acting.mandate?.prescriberId ?? null,
  );
}

async function filingPrescriberId(transaction: Transaction, application: Application): Promise<string | null> {
  if (!application.filedViaMandateId) return null;
  const mandate = await Mandate.findByPk(application.filedViaMandateId, { transaction, attributes: ["prescriberId"] });
  return mandate?.prescriberId ?? null;
}

/** The company takes its file back: from a draft, a submitted file or one awaiting information. */
export async function withdrawApplication(
  deps: ApplicationDeps,
  id: string,
  acting: Acting,
  comment: string | null,
): Promise<void> {
  const now = deps.clock.now();
  await deps.sequelize.transaction(async (transaction) => {
    const loaded = await lockForTransition(transaction, id, "withdraw");
    const fromStatus = loaded.application.status;
    await changeStatus(transaction, loaded.application, APPLICATION_TRANSITIONS.withdraw.to, acting, now, comment);
    await recordAudit(transaction, acting.actor, {
      action: "application.withdrawn",
      entityType: "application",
      entityId: id,
      before: { status: fromStatus },
      after: { status: "withdrawn", comment },
    });
    await recordMandateUse(transaction, acting, "application.withdrawn");
  });
}

/** A read through a mandate is a use of it, and is audited like a write. */
export async function auditApplicationRead(deps: ApplicationDeps, acting: Acting, purpose: string): Promise<void> {
  if (!acting.mandate) return;
  await deps.sequelize.transaction((transaction) => recordMandateUse(transaction, acting, purpose));
}
