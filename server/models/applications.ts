import {
  DataTypes,
  Model,
  type CreationOptional,
  type ForeignKey,
  type InferAttributes,
  type InferCreationAttributes,
  type NonAttribute,
  type Sequelize,
} from "sequelize";
import { moneyColumn } from "./columns.js";
import { APPLICATION_STATUSES, type ApplicationStatus } from "../domain/applicationStatus.js";
import { LINE_CATEGORIES, VAT_RATES, type LineCategory, type VatRate } from "../domain/grant.js";
import { User } from "./accounts.js";
import { Company, Mandate } from "./companies.js";
import { Call, CallRules, Solution, Supplier } from "./reference.js";

export const DOCUMENT_TYPES = [
  "quote",
  "rc_extract",
  "tax_certificate",
  "cnss_certificate",
  "sworn_declaration",
  "statutes",
  "financial_statements",
  "invoice",
  "payment_proof",
  "acceptance_report",
  "other",
] as const;
export type DocumentType = (typeof DOCUMENT_TYPES)[number];

/** What an applicant uploads with its file; invoices, payment proofs and reports come with claims. */
export const APPLICATION_DOCUMENT_TYPES = [
  "quote",
  "rc_extract",
  "tax_certificate",
  "cnss_certificate",
  "sworn_declaration",
  "statutes",
  "financial_statements",
  "other",
] as const satisfies readonly DocumentType[];

/** What an approved company sends with its claim (demande de versement). */
export const CLAIM_DOCUMENT_TYPES = [
  "invoice",
  "payment_proof",
  "acceptance_report",
] as const satisfies readonly DocumentType[];

export const DOCUMENT_MIME_TYPES = ["application/pdf", "image/png", "image/jpeg"] as const;
export type DocumentMimeType = (typeof DOCUMENT_MIME_TYPES)[number];

export type DocumentVerdict = "pending" | "accepted" | "rejected";

export class Application extends Model<InferAttributes<Application>, InferCreationAttributes<Application>> {
  declare id: CreationOptional<string>;
  declare companyId: ForeignKey<Company["id"]>;
  declare callId: ForeignKey<Call["id"]>;
  declare callRulesId: ForeignKey<CallRules["id"]>;
  declare sectorCode: string;
  declare description: CreationOptional<string>;
  declare status: CreationOptional<ApplicationStatus>;
  declare reference: string | null;
  declare eligibleAmount: CreationOptional<string>;
  declare vatAmount: CreationOptional<string>;
  declare grantAmount: CreationOptional<string>;
  declare approvedAmount: string | null;
  declare fastTrack: CreationOptional<boolean>;
  declare createdBy: ForeignKey<User["id"]>;
  declare filedViaMandateId: ForeignKey<Mandate["id"]> | null;
  declare submittedAt: Date | null;
  declare statusChangedAt: CreationOptional<Date>;
  declare examinedBy: CreationOptional<string | null>;
  declare examinedAt: CreationOptional<Date | null>;
  declare proposal: CreationOptional<"approve" | "reject" | null>;
  declare proposedAmount: CreationOptional<string | null>;
  declare proposalComment: CreationOptional<string | null>;
  declare decidedBy: CreationOptional<string | null>;
  declare decidedAt: CreationOptional<Date | null>;
  declare paidAmount: CreationOptional<string | null>;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;
  declare company?: NonAttribute<Company>;
  declare call?: NonAttribute<Call>;
  declare callRules?: NonAttribute<CallRules>;
  declare lines?: NonAttribute<ApplicationLine[]>;
  declare solutions?: NonAttribute<Solution[]>;
  declare documents?: NonAttribute<ApplicationDocument[]>;
}

export class ApplicationLine extends Model<InferAttributes<ApplicationLine>, InferCreationAttributes<ApplicationLine>> {
  declare id: CreationOptional<string>;
  declare applicationId: ForeignKey<Application["id"]>;
  declare position: number;
  declare category: LineCategory;
  declare label: string;
  declare supplierId: ForeignKey<Supplier["id"]> | null;
  declare amountExclTax: string;
  declare vatRate: VatRate;
  declare createdAt: CreationOptional<Date>;
  declare supplier?: NonAttribute<Supplier | null>;
}

export class ApplicationDocument extends Model<
  InferAttributes<ApplicationDocument>,
  InferCreationAttributes<ApplicationDocument>
> {
  declare id: CreationOptional<string>;
  declare applicationId: ForeignKey<Application["id"]>;
  declare type: DocumentType;
  declare originalName: string;
  declare mimeType: DocumentMimeType;
  /** BIGINT comes back from pg as a string; documents are at most a few MB. */
  declare sizeBytes: string | number;
  declare sha256: string;
  declare storageKey: string;
  declare uploadedBy: ForeignKey<User["id"]>;
  declare verdict: CreationOptional<DocumentVerdict>;
  declare verdictReason: string | null;
  declare verdictBy: string | null;
  declare verdictAt: Date | null;
  /** Set for invoices, payment proofs and acceptance reports once they belong to a claim. */
  declare claimId: CreationOptional<string | null>;
  declare createdAt: CreationOptional<Date>;
}

export class ApplicationStatusChange extends Model<
  InferAttributes<ApplicationStatusChange>,
  InferCreationAttributes<ApplicationStatusChange>
> {
  declare id: CreationOptional<string>;
  declare applicationId: ForeignKey<Application["id"]>;
  declare fromStatus: ApplicationStatus | null;
  declare toStatus: ApplicationStatus;
  declare actorId: ForeignKey<User["id"]> | null;
  declare comment: string | null;
  /** Insertion order: the history's order when two changes share an instant. */
  declare position: CreationOptional<string>;
  declare createdAt: CreationOptional<Date>;
  declare actor?: NonAttribute<User | null>;
}

export class ApplicationSubmission extends Model<
  InferAttributes<ApplicationSubmission>,
  InferCreationAttributes<ApplicationSubmission>
> {
  declare id: CreationOptional<string>;
  declare applicationId: ForeignKey<Application["id"]>;
  declare sequence: number;
  declare idempotencyKey: string;
  declare submittedBy: ForeignKey<User["id"]>;
  declare snapshot: Record<string, unknown>;
  declare response: Record<string, unknown>;
  declare createdAt: CreationOptional<Date>;
}

export function initApplicationModels(sequelize: Sequelize): void {
  Application.init(
    {
      id: { type: DataTypes.UUID, primaryKey: true, defaultValue: DataTypes.UUIDV4 },
      sectorCode: { type: DataTypes.TEXT, allowNull: false },
      description: { type: DataTypes.TEXT, allowNull: false, defaultValue: "", validate: { len: [0, 4000] } },
      status: {
        type: DataTypes.TEXT,
        allowNull: false,
        defaultValue: "draft",
        validate: { isIn: [[...APPLICATION_STATUSES]] },
      },
      reference: { type: DataTypes.TEXT, allowNull: true, validate: { is: /^MS-\d{4}-\d{5,}$/ } },
      eligibleAmount: { ...moneyColumn(), defaultValue: "0.00" },
      vatAmount: { ...moneyColumn(), defaultValue: "0.00" },
      grantAmount: { ...moneyColumn(), defaultValue: "0.00" },
      approvedAmount: moneyColumn({ allowNull: true }),
      fastTrack: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
      submittedAt: { type: DataTypes.DATE, allowNull: true },
      statusChangedAt: { type: DataTypes.DATE, allowNull: false, defaultValue: DataTypes.NOW },
      examinedBy: { type: DataTypes.UUID, allowNull: true },
      examinedAt: { type: DataTypes.DATE, allowNull: true },
      proposal: { type: DataTypes.TEXT, allowNull: true, validate: { isIn: [["approve", "reject"]] } },
      proposedAmount: moneyColumn({ allowNull: true }),
      proposalComment: { type: DataTypes.TEXT, allowNull: true },
      decidedBy: { type: DataTypes.UUID, allowNull: true },
      decidedAt: { type: DataTypes.DATE, allowNull: true },
      paidAmount: moneyColumn({ allowNull: true }),
      createdAt: DataTypes.DATE,
      updatedAt: DataTypes.DATE,
    },
    { sequelize, tableName: "applications" },
  );

  ApplicationLine.init(
    {
      id: { type: DataTypes.UUID, primaryKey: true, defaultValue: DataTypes.UUIDV4 },
      position: { type: DataTypes.INTEGER, allowNull: false, validate: { min: 0 } },
      category: { type: DataTypes.TEXT, allowNull: false, validate: { isIn: [[...LINE_CATEGORIES]] } },
      label: { type: DataTypes.TEXT, allowNull: false, validate: { len: [1, 200] } },
      amountExclTax: moneyColumn(),
      vatRate: {
        type: DataTypes.DECIMAL(4, 2),
        allowNull: false,
        validate: { isIn: { args: [[...VAT_RATES]], msg: "vatRate must be a Moroccan VAT rate" } },
      },
      createdAt: DataTypes.DATE,
    },
    { sequelize, tableName: "application_lines", updatedAt: false },
  );

  ApplicationDocument.init(
    {
      id: { type: DataTypes.UUID, primaryKey: true, defaultValue: DataTypes.UUIDV4 },
      type: { type: DataTypes.TEXT, allowNull: false, validate: { isIn: [[...DOCUMENT_TYPES]] } },
      originalName: { type: DataTypes.TEXT, allowNull: false, validate: { len: [1, 255] } },
      mimeType: { type: DataTypes.TEXT, allowNull: false, validate: { isIn: [[...DOCUMENT_MIME_TYPES]] } },
      sizeBytes: { type: DataTypes.BIGINT, allowNull: false, validate: { min: 1 } },
      sha256: { type: DataTypes.TEXT, allowNull: false, validate: { is: /^[0-9a-f]{64}$/ } },
      storageKey: { type: DataTypes.TEXT, allowNull: false, unique: true },
      verdict: { type: DataTypes.TEXT, allowNull: false, defaultValue: "pending" },
      verdictReason: { type: DataTypes.TEXT, allowNull: true },
      verdictBy: { type: DataTypes.UUID, allowNull: true },
      verdictAt: { type: DataTypes.DATE, allowNull: true },
      claimId: { type: DataTypes.UUID, allowNull: true },
      createdAt: DataTypes.DATE,
    },
    { sequelize, tableName: "documents", updatedAt: false },
  );

  ApplicationStatusChange.init(
    {
      id: { type: DataTypes.UUID, primaryKey: true, defaultValue: DataTypes.UUIDV4 },
      fromStatus: { type: DataTypes.TEXT, allowNull: true },
      toStatus: { type: DataTypes.TEXT, allowNull: false, validate: { isIn: [[...APPLICATION_STATUSES]] } },
      comment: { type: DataTypes.TEXT, allowNull: true },
      position: { type: DataTypes.BIGINT, autoIncrement: true },
      createdAt: DataTypes.DATE,
    },
    { sequelize, tableName: "application_status_changes", updatedAt: false },
  );

  ApplicationSubmission.init(
    {
      id: { type: DataTypes.UUID, primaryKey: true, defaultValue: DataTypes.UUIDV4 },
      sequence: { type: DataTypes.INTEGER, allowNull: false },
      idempotencyKey: { type: DataTypes.TEXT, allowNull: false },
      snapshot: { type: DataTypes.JSONB, allowNull: false },
      response: { type: DataTypes.JSONB, allowNull: false },
      createdAt: DataTypes.DATE,
    },
    { sequelize, tableName: "application_submissions", updatedAt: false },
  );

  Application.belongsTo(Company, { foreignKey: "companyId", as: "company" });
  Company.hasMany(Application, { foreignKey: "companyId", as: "applications" });
  Application.belongsTo(Call, { foreignKey: "callId", as: "call" });
  Application.belongsTo(CallRules, { foreignKey: "callRulesId", as: "callRules" });
  Application.belongsTo(User, { foreignKey: "createdBy", as: "creator" });
  Application.belongsTo(Mandate, { foreignKey: "filedViaMandateId", as: "filedViaMandate" });
  Application.hasMany(ApplicationLine, { foreignKey: "applicationId", as: "lines" });
  ApplicationLine.belongsTo(Application, { foreignKey: "applicationId", as: "application" });
  ApplicationLine.belongsTo(Supplier, { foreignKey: "supplierId", as: "supplier" });
  Application.belongsToMany(Solution, {
    through: "application_solutions",
    foreignKey: "applicationId",
    otherKey: "solutionId",
    as: "solutions",
    timestamps: false,
  });
  Application.hasMany(ApplicationDocument, { foreignKey: "applicationId", as: "documents" });
  ApplicationDocument.belongsTo(Application, { foreignKey: "applicationId", as: "application" });
  ApplicationDocument.belongsTo(User, { foreignKey: "uploadedBy", as: "uploader" });
  Application.hasMany(ApplicationStatusChange, { foreignKey: "applicationId", as: "statusChanges" });
  ApplicationStatusChange.belongsTo(User, { foreignKey: "actorId", as: "actor" });
  Application.hasMany(ApplicationSubmission, { foreignKey: "applicationId", as: "submissions" });
  ApplicationSubmission.belongsTo(User, { foreignKey: "submittedBy", as: "submitter" });
}
