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
import { User } from "./accounts.js";
import { Application, ApplicationDocument } from "./applications.js";
import { Company } from "./companies.js";
import { Envelope } from "./reference.js";

/** An officer's declared link to a company: it may then never act on the company's files. */
export class ConflictOfInterest extends Model<
  InferAttributes<ConflictOfInterest>,
  InferCreationAttributes<ConflictOfInterest>
> {
  declare id: CreationOptional<string>;
  declare officerId: ForeignKey<User["id"]>;
  declare companyId: ForeignKey<Company["id"]>;
  declare reason: string;
  declare createdAt: CreationOptional<Date>;
  declare company?: NonAttribute<Company>;
}

export type LedgerKind = "commitment" | "release" | "payment";

/** One movement of money on one envelope; append-only (the application role cannot update it). */
export class LedgerEntry extends Model<InferAttributes<LedgerEntry>, InferCreationAttributes<LedgerEntry>> {
  declare id: CreationOptional<string>;
  declare envelopeId: ForeignKey<Envelope["id"]>;
  declare applicationId: ForeignKey<Application["id"]>;
  declare kind: LedgerKind;
  declare amount: string;
  declare actorId: ForeignKey<User["id"]> | null;
  declare createdAt: CreationOptional<Date>;
}

export type ClaimStatus = "submitted" | "verified" | "paid";

export class Claim extends Model<InferAttributes<Claim>, InferCreationAttributes<Claim>> {
  declare id: CreationOptional<string>;
  declare applicationId: ForeignKey<Application["id"]>;
  declare status: CreationOptional<ClaimStatus>;
  declare submittedBy: ForeignKey<User["id"]>;
  declare submittedAt: Date;
  declare verifiedBy: string | null;
  declare verifiedAt: Date | null;
  declare verifiedAmount: string | null;
  declare paymentAmount: string | null;
  declare paymentReference: string | null;
  declare paidBy: string | null;
  declare paidAt: Date | null;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;
  declare invoices?: NonAttribute<ClaimInvoice[]>;
  declare application?: NonAttribute<Application>;
}

export type InvoiceVerdict = "pending" | "accepted" | "rejected";

export class ClaimInvoice extends Model<InferAttributes<ClaimInvoice>, InferCreationAttributes<ClaimInvoice>> {
  declare id: CreationOptional<string>;
  declare claimId: ForeignKey<Claim["id"]>;
  declare documentId: ForeignKey<ApplicationDocument["id"]>;
  declare invoiceNumber: string;
  declare supplierName: string;
  declare invoiceDate: string;
  declare amountExclTax: string;
  declare verdict: CreationOptional<InvoiceVerdict>;
  declare verifiedAmount: string | null;
  declare verdictReason: string | null;
  declare createdAt: CreationOptional<Date>;
  declare document?: NonAttribute<ApplicationDocument>;
}

export function initReviewModels(sequelize: Sequelize): void {
  ConflictOfInterest.init(
    {
      id: { type: DataTypes.UUID, primaryKey: true, defaultValue: DataTypes.UUIDV4 },
      reason: { type: DataTypes.TEXT, allowNull: false, validate: { len: [3, 1000] } },
      createdAt: DataTypes.DATE,
    },
    { sequelize, tableName: "conflicts_of_interest", updatedAt: false },
  );

  LedgerEntry.init(
    {
      id: { type: DataTypes.UUID, primaryKey: true, defaultValue: DataTypes.UUIDV4 },
      kind: { type: DataTypes.TEXT, allowNull: false, validate: { isIn: [["commitment", "release", "payment"]] } },
      amount: moneyColumn(),
      createdAt: DataTypes.DATE,
    },
    { sequelize, tableName: "budget_ledger", updatedAt: false },
  );

  Claim.init(
    {
      id: { type: DataTypes.UUID, primaryKey: true, defaultValue: DataTypes.UUIDV4 },
      status: {
        type: DataTypes.TEXT,
        allowNull: false,
        defaultValue: "submitted",
        validate: { isIn: [["submitted", "verified", "paid"]] },
      },
      submittedAt: { type: DataTypes.DATE, allowNull: false },
      verifiedBy: { type: DataTypes.UUID, allowNull: true },
      verifiedAt: { type: DataTypes.DATE, allowNull: true },
      verifiedAmount: moneyColumn({ allowNull: true }),
      paymentAmount: moneyColumn({ allowNull: true }),
      paymentReference: { type: DataTypes.TEXT, allowNull: true },
      paidBy: { type: DataTypes.UUID, allowNull: true },
      paidAt: { type: DataTypes.DATE, allowNull: true },
      createdAt: DataTypes.DATE,
      updatedAt: DataTypes.DATE,
    },
    { sequelize, tableName: "claims" },
  );

  ClaimInvoice.init(
    {
      id: { type: DataTypes.UUID, primaryKey: true, defaultValue: DataTypes.UUIDV4 },
      invoiceNumber: { type: DataTypes.TEXT, allowNull: false, validate: { len: [1, 60] } },
      supplierName: { type: DataTypes.TEXT, allowNull: false, validate: { len: [2, 200] } },
      invoiceDate: { type: DataTypes.DATEONLY, allowNull: false },
      amountExclTax: moneyColumn(),
      verdict: { type: DataTypes.TEXT, allowNull: false, defaultValue: "pending" },
      verifiedAmount: moneyColumn({ allowNull: true }),
      verdictReason: { type: DataTypes.TEXT, allowNull: true },
      createdAt: DataTypes.DATE,
    },
    { sequelize, tableName: "claim_invoices", updatedAt: false },
  );

  ConflictOfInterest.belongsTo(User, { foreignKey: "officerId", as: "officer" });
  ConflictOfInterest.belongsTo(Company, { foreignKey: "companyId", as: "company" });
  LedgerEntry.belongsTo(Envelope, { foreignKey: "envelopeId", as: "envelope" });
  LedgerEntry.belongsTo(Application, { foreignKey: "applicationId", as: "application" });
  LedgerEntry.belongsTo(User, { foreignKey: "actorId", as: "actor" });
  Claim.belongsTo(Application, { foreignKey: "applicationId", as: "application" });
  Application.hasOne(Claim, { foreignKey: "applicationId", as: "claim" });
  Claim.belongsTo(User, { foreignKey: "submittedBy", as: "submitter" });
  Claim.hasMany(ClaimInvoice, { foreignKey: "claimId", as: "invoices" });
  ClaimInvoice.belongsTo(Claim, { foreignKey: "claimId", as: "claim" });
  ClaimInvoice.belongsTo(ApplicationDocument, { foreignKey: "documentId", as: "document" });
}
