import {
  DataTypes,
  Model,
  type CreationOptional,
  type ForeignKey,
  type InferAttributes,
  type InferCreationAttributes,
  type Sequelize,
} from "sequelize";
import type { Locale } from "../i18n/index.js";

export const ROLES = ["applicant", "prescriber", "officer", "trainer", "admin"] as const;
export type Role = (typeof ROLES)[number];
/** Roles anyone may register for; the others are created by an admin. */
export const SELF_REGISTERED_ROLES = ["applicant", "prescriber"] as const satisfies readonly Role[];
export const STAFF_ROLES = ["officer", "trainer", "admin"] as const satisfies readonly Role[];

export const PRESCRIBER_KINDS = ["accountant", "association"] as const;
export type PrescriberKind = (typeof PRESCRIBER_KINDS)[number];

export class User extends Model<InferAttributes<User>, InferCreationAttributes<User>> {
  declare id: CreationOptional<string>;
  declare role: Role;
  declare fullName: string;
  declare email: string;
  declare phone: string | null;
  declare locale: Locale;
  declare passwordHash: string | null;
  declare emailVerifiedAt: Date | null;
  declare disabledAt: Date | null;
  declare prescriberKind: PrescriberKind | null;
  declare prescriberRegistrationNumber: string | null;
  declare prescriberOrganisation: string | null;
  declare nationalIdEncrypted: string | null;
  declare lastLoginAt: Date | null;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;
}

export type TokenPurpose = "verify-email" | "password-reset" | "account-setup";

export class UserToken extends Model<InferAttributes<UserToken>, InferCreationAttributes<UserToken>> {
  declare id: CreationOptional<string>;
  declare userId: ForeignKey<User["id"]>;
  declare purpose: TokenPurpose;
  declare tokenHash: string;
  declare expiresAt: Date;
  declare usedAt: Date | null;
  declare createdAt: CreationOptional<Date>;
}

export type OutboxStatus = "pending" | "sent" | "failed";

/**
 * A file sent with a mail: an object of the document store (any worker machine can read it), or
 * a local path (only for files the sending machine itself holds).
 */
export type OutboxAttachment = { filename: string; contentType: string } & ({ storageKey: string } | { path: string });

export class OutboxMessage extends Model<InferAttributes<OutboxMessage>, InferCreationAttributes<OutboxMessage>> {
  declare id: CreationOptional<string>;
  declare recipient: string;
  declare template: string;
  declare locale: Locale;
  declare data: Record<string, string>;
  declare attachments: CreationOptional<OutboxAttachment[]>;
  declare status: CreationOptional<OutboxStatus>;
  declare attempts: CreationOptional<number>;
  declare lastError: string | null;
  declare sentAt: Date | null;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;
}

export class CapturedEmail extends Model<InferAttributes<CapturedEmail>, InferCreationAttributes<CapturedEmail>> {
  declare id: CreationOptional<string>;
  declare outboxMessageId: string;
  declare recipient: string;
  declare subject: string;
  declare textBody: string;
  declare htmlBody: string;
  declare links: string[];
  declare createdAt: CreationOptional<Date>;
}

export class AuditEvent extends Model<InferAttributes<AuditEvent>, InferCreationAttributes<AuditEvent>> {
  declare id: CreationOptional<string>;
  declare position: CreationOptional<string>;
  declare occurredAt: CreationOptional<Date>;
  declare actorId: string | null;
  declare actorRole: string | null;
  declare action: string;
  declare entityType: string;
  declare entityId: string | null;
  declare before: Record<string, unknown> | null;
  declare after: Record<string, unknown> | null;
  declare ip: string | null;
  declare requestId: string | null;
  declare previousHash: CreationOptional<string>;
  declare hash: CreationOptional<string>;
}

export function initAccountModels(sequelize: Sequelize): void {
  User.init(
    {
      id: { type: DataTypes.UUID, primaryKey: true, defaultValue: DataTypes.UUIDV4 },
      role: { type: DataTypes.TEXT, allowNull: false, validate: { isIn: { args: [[...ROLES]], msg: "unknown role" } } },
      fullName: {
        type: DataTypes.TEXT,
        allowNull: false,
        validate: { len: { args: [2, 120], msg: "fullName length" } },
      },
      email: {
        type: DataTypes.TEXT,
        allowNull: false,
        unique: true,
        set(value: string) {
          this.setDataValue("email", value.trim().toLowerCase());
        },
        validate: { isEmail: { msg: "invalid e-mail" } },
      },
      phone: { type: DataTypes.TEXT, allowNull: true, validate: { is: /^\+[1-9]\d{6,14}$/ } },
      locale: { type: DataTypes.TEXT, allowNull: false, defaultValue: "fr", validate: { isIn: [["fr", "ar"]] } },
      passwordHash: { type: DataTypes.TEXT, allowNull: true },
      emailVerifiedAt: { type: DataTypes.DATE, allowNull: true },
      disabledAt: { type: DataTypes.DATE, allowNull: true },
      prescriberKind: { type: DataTypes.TEXT, allowNull: true, validate: { isIn: [[...PRESCRIBER_KINDS]] } },
      prescriberRegistrationNumber: { type: DataTypes.TEXT, allowNull: true },
      prescriberOrganisation: { type: DataTypes.TEXT, allowNull: true },
      nationalIdEncrypted: { type: DataTypes.TEXT, allowNull: true },
      lastLoginAt: { type: DataTypes.DATE, allowNull: true },
      createdAt: DataTypes.DATE,
      updatedAt: DataTypes.DATE,
    },
    {
      sequelize,
      tableName: "users",
      validate: {
        prescriberDetails(this: User) {
          const isPrescriber = this.role === "prescriber";
          const hasDetails = this.prescriberKind !== null && this.prescriberKind !== undefined;
          if (isPrescriber !== hasDetails) throw new Error("prescriber details go with the prescriber role only");
        },
      },
    },
  );

  UserToken.init(
    {
      id: { type: DataTypes.UUID, primaryKey: true, defaultValue: DataTypes.UUIDV4 },
      purpose: { type: DataTypes.TEXT, allowNull: false },
      tokenHash: { type: DataTypes.TEXT, allowNull: false, unique: true },
      expiresAt: { type: DataTypes.DATE, allowNull: false },
      usedAt: { type: DataTypes.DATE, allowNull: true },
      createdAt: DataTypes.DATE,
    },
    { sequelize, tableName: "user_tokens", updatedAt: false },
  );
  UserToken.belongsTo(User, { foreignKey: "userId", as: "user" });

  OutboxMessage.init(
    {
      id: { type: DataTypes.UUID, primaryKey: true, defaultValue: DataTypes.UUIDV4 },
      recipient: { type: DataTypes.TEXT, allowNull: false },
      template: { type: DataTypes.TEXT, allowNull: false },
      locale: { type: DataTypes.TEXT, allowNull: false },
      data: { type: DataTypes.JSONB, allowNull: false },
      attachments: { type: DataTypes.JSONB, allowNull: false, defaultValue: [] },
      status: { type: DataTypes.TEXT, allowNull: false, defaultValue: "pending" },
      attempts: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
      lastError: { type: DataTypes.TEXT, allowNull: true },
      sentAt: { type: DataTypes.DATE, allowNull: true },
      createdAt: DataTypes.DATE,
      updatedAt: DataTypes.DATE,
    },
    { sequelize, tableName: "outbox_messages" },
  );

  CapturedEmail.init(
    {
      id: { type: DataTypes.UUID, primaryKey: true, defaultValue: DataTypes.UUIDV4 },
      outboxMessageId: { type: DataTypes.UUID, allowNull: false, unique: true },
      recipient: { type: DataTypes.TEXT, allowNull: false },
      subject: { type: DataTypes.TEXT, allowNull: false },
      textBody: { type: DataTypes.TEXT, allowNull: false },
      htmlBody: { type: DataTypes.TEXT, allowNull: false },
      links: { type: DataTypes.JSONB, allowNull: false, defaultValue: [] },
      createdAt: DataTypes.DATE,
    },
    { sequelize, tableName: "captured_emails", updatedAt: false },
  );

  AuditEvent.init(
    {
      id: { type: DataTypes.BIGINT, primaryKey: true, autoIncrement: true },
      position: { type: DataTypes.BIGINT, allowNull: false },
      occurredAt: { type: DataTypes.DATE, allowNull: false },
      actorId: { type: DataTypes.UUID, allowNull: true },
      actorRole: { type: DataTypes.TEXT, allowNull: true },
      action: { type: DataTypes.TEXT, allowNull: false },
      entityType: { type: DataTypes.TEXT, allowNull: false },
      entityId: { type: DataTypes.TEXT, allowNull: true },
      before: { type: DataTypes.JSONB, allowNull: true },
      after: { type: DataTypes.JSONB, allowNull: true },
      ip: { type: DataTypes.TEXT, allowNull: true },
      requestId: { type: DataTypes.TEXT, allowNull: true },
      previousHash: { type: DataTypes.TEXT, allowNull: false },
      hash: { type: DataTypes.TEXT, allowNull: false },
    },
    { sequelize, tableName: "audit_events", timestamps: false },
  );
}
