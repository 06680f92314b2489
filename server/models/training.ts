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
import { User } from "./accounts.js";
import { Company } from "./companies.js";

export type SessionStatus = "scheduled" | "cancelled";

/** One session of the free initiation course that leads to the Permis Numérique. */
export class TrainingSession extends Model<InferAttributes<TrainingSession>, InferCreationAttributes<TrainingSession>> {
  declare id: CreationOptional<string>;
  declare title: string;
  declare description: CreationOptional<string>;
  declare city: string;
  declare venue: string | null;
  declare onlineUrl: string | null;
  declare startsAt: Date;
  declare endsAt: Date;
  declare capacity: number;
  declare passMark: CreationOptional<number>;
  declare trainerId: ForeignKey<User["id"]>;
  declare status: CreationOptional<SessionStatus>;
  declare createdBy: ForeignKey<User["id"]>;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;
  declare trainer?: NonAttribute<User>;

  hasStarted(now: Date): boolean {
    return this.startsAt.getTime() <= now.getTime();
  }
}

export const ENROLMENT_STATUSES = ["enrolled", "waitlisted", "cancelled", "attended", "passed", "failed"] as const;
export type EnrolmentStatus = (typeof ENROLMENT_STATUSES)[number];
/** Holding a seat: counted against the capacity. */
export const SEATED_STATUSES: readonly EnrolmentStatus[] = ["enrolled", "attended", "passed", "failed"];

export class Enrolment extends Model<InferAttributes<Enrolment>, InferCreationAttributes<Enrolment>> {
  declare id: CreationOptional<string>;
  declare sessionId: ForeignKey<TrainingSession["id"]>;
  declare userId: ForeignKey<User["id"]> | null;
  declare companyId: ForeignKey<Company["id"]> | null;
  declare holderName: string;
  declare holderEmail: string;
  declare enrolledBy: ForeignKey<User["id"]>;
  declare status: EnrolmentStatus;
  declare position: CreationOptional<string>;
  declare attended: boolean | null;
  declare score: number | null;
  declare resultRecordedBy: string | null;
  declare resultRecordedAt: Date | null;
  declare reminderSentAt: Date | null;
  declare cancelledAt: Date | null;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;
  declare session?: NonAttribute<TrainingSession>;
  declare company?: NonAttribute<Company | null>;
  declare enroller?: NonAttribute<User>;
  declare certificate?: NonAttribute<Certificate | null>;
}

export type JobStatus = "queued" | "running" | "succeeded" | "failed";

/** A batch of certificates for one session, issued in the background with its progress. */
export class CertificateJob extends Model<InferAttributes<CertificateJob>, InferCreationAttributes<CertificateJob>> {
  declare id: CreationOptional<string>;
  declare kind: CreationOptional<"certificate_batch">;
  declare sessionId: ForeignKey<TrainingSession["id"]>;
  declare requestedBy: ForeignKey<User["id"]>;
  declare status: CreationOptional<JobStatus>;
  declare total: number;
  declare done: CreationOptional<number>;
  declare error: string | null;
  declare workerId: string | null;
  declare heartbeatAt: Date | null;
  declare requestId: string | null;
  declare createdAt: CreationOptional<Date>;
  declare startedAt: Date | null;
  declare finishedAt: Date | null;
}

export type CertificateStatus = "valid" | "revoked";

export class Certificate extends Model<InferAttributes<Certificate>, InferCreationAttributes<Certificate>> {
  declare id: CreationOptional<string>;
  declare enrolmentId: ForeignKey<Enrolment["id"]>;
  declare sessionId: ForeignKey<TrainingSession["id"]>;
  declare number: string;
  declare verificationCode: string;
  declare holderUserId: string | null;
  declare holderName: string;
  declare holderEmail: string;
  declare companyId: string | null;
  declare companyName: string | null;
  declare courseTitle: string;
  declare issuedAt: Date;
  declare issuedOn: string;
  declare keyId: string;
  declare credential: Record<string, unknown>;
  declare pdfKey: string | null;
  declare pdfSha256: string | null;
  declare pdfSize: number | null;
  declare jobId: string | null;
  declare status: CreationOptional<CertificateStatus>;
  declare revokedAt: Date | null;
  declare revokedBy: string | null;
  declare revocationReason: string | null;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;
  declare session?: NonAttribute<TrainingSession>;
}

export function initTrainingModels(sequelize: Sequelize): void {
  TrainingSession.init(
    {
      id: { type: DataTypes.UUID, primaryKey: true, defaultValue: DataTypes.UUIDV4 },
      title: { type: DataTypes.TEXT, allowNull: false, validate: { len: [3, 200] } },
      description: { type: DataTypes.TEXT, allowNull: false, defaultValue: "" },
      city: { type: DataTypes.TEXT, allowNull: false, validate: { len: [2, 100] } },
      venue: { type: DataTypes.TEXT, allowNull: true },
      onlineUrl: { type: DataTypes.TEXT, allowNull: true },
      startsAt: { type: DataTypes.DATE, allowNull: false },
      endsAt: { type: DataTypes.DATE, allowNull: false },
      capacity: { type: DataTypes.INTEGER, allowNull: false, validate: { min: 1, max: 1000 } },
      passMark: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 70, validate: { min: 0, max: 100 } },
      status: { type: DataTypes.TEXT, allowNull: false, defaultValue: "scheduled" },
      createdAt: DataTypes.DATE,
      updatedAt: DataTypes.DATE,
    },
    { sequelize, tableName: "training_sessions" },
  );

  Enrolment.init(
    {
      id: { type: DataTypes.UUID, primaryKey: true, defaultValue: DataTypes.UUIDV4 },
      holderName: { type: DataTypes.TEXT, allowNull: false },
      holderEmail: { type: DataTypes.TEXT, allowNull: false },
      status: { type: DataTypes.TEXT, allowNull: false, validate: { isIn: [ENROLMENT_STATUSES] } },
      position: { type: DataTypes.BIGINT, autoIncrement: true },
      attended: { type: DataTypes.BOOLEAN, allowNull: true },
      score: { type: DataTypes.INTEGER, allowNull: true, validate: { min: 0, max: 100 } },
      resultRecordedBy: { type: DataTypes.UUID, allowNull: true },
      resultRecordedAt: { type: DataTypes.DATE, allowNull: true },
      reminderSentAt: { type: DataTypes.DATE, allowNull: true },
      cancelledAt: { type: DataTypes.DATE, allowNull: true },
      createdAt: DataTypes.DATE,
      updatedAt: DataTypes.DATE,
    },
    { sequelize, tableName: "enrolments" },
  );

  CertificateJob.init(
    {
      id: { type: DataTypes.UUID, primaryKey: true, defaultValue: DataTypes.UUIDV4 },
      kind: { type: DataTypes.TEXT, allowNull: false, defaultValue: "certificate_batch" },
      status: { type: DataTypes.TEXT, allowNull: false, defaultValue: "queued" },
      total: { type: DataTypes.INTEGER, allowNull: false },
      done: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
      error: { type: DataTypes.TEXT, allowNull: true },
      workerId: { type: DataTypes.TEXT, allowNull: true },
      heartbeatAt: { type: DataTypes.DATE, allowNull: true },
      requestId: { type: DataTypes.TEXT, allowNull: true },
      createdAt: DataTypes.DATE,
      startedAt: { type: DataTypes.DATE, allowNull: true },
      finishedAt: { type: DataTypes.DATE, allowNull: true },
    },
    { sequelize, tableName: "certificate_jobs", updatedAt: false },
  );

  Certificate.init(
    {
      id: { type: DataTypes.UUID, primaryKey: true, defaultValue: DataTypes.UUIDV4 },
      number: { type: DataTypes.TEXT, allowNull: false },
      verificationCode: { type: DataTypes.TEXT, allowNull: false },
      holderUserId: { type: DataTypes.UUID, allowNull: true },
      holderName: { type: DataTypes.TEXT, allowNull: false },
      holderEmail: { type: DataTypes.TEXT, allowNull: false },
      companyId: { type: DataTypes.UUID, allowNull: true },
      companyName: { type: DataTypes.TEXT, allowNull: true },
      courseTitle: { type: DataTypes.TEXT, allowNull: false },
      issuedAt: { type: DataTypes.DATE, allowNull: false },
      issuedOn: { type: DataTypes.DATEONLY, allowNull: false },
      keyId: { type: DataTypes.TEXT, allowNull: false },
      credential: { type: DataTypes.JSONB, allowNull: false },
      pdfKey: { type: DataTypes.TEXT, allowNull: true },
      pdfSha256: { type: DataTypes.TEXT, allowNull: true },
      pdfSize: { type: DataTypes.INTEGER, allowNull: true },
      jobId: { type: DataTypes.UUID, allowNull: true },
      status: { type: DataTypes.TEXT, allowNull: false, defaultValue: "valid" },
      revokedAt: { type: DataTypes.DATE, allowNull: true },
      revokedBy: { type: DataTypes.UUID, allowNull: true },
      revocationReason: { type: DataTypes.TEXT, allowNull: true },
      createdAt: DataTypes.DATE,
      updatedAt: DataTypes.DATE,
    },
    { sequelize, tableName: "certificates" },
  );

  TrainingSession.belongsTo(User, { foreignKey: "trainerId", as: "trainer" });
  TrainingSession.belongsTo(User, { foreignKey: "createdBy", as: "creator" });
  TrainingSession.hasMany(Enrolment, { foreignKey: "sessionId", as: "enrolments" });
  Enrolment.belongsTo(TrainingSession, { foreignKey: "sessionId", as: "session" });
  Enrolment.belongsTo(Company, { foreignKey: "companyId", as: "company" });
  Enrolment.belongsTo(User, { foreignKey: "enrolledBy", as: "enroller" });
  Enrolment.belongsTo(User, { foreignKey: "userId", as: "holder" });
  Enrolment.hasOne(Certificate, { foreignKey: "enrolmentId", as: "certificate" });
  Certificate.belongsTo(Enrolment, { foreignKey: "enrolmentId", as: "enrolment" });
  Certificate.belongsTo(TrainingSession, { foreignKey: "sessionId", as: "session" });
  CertificateJob.belongsTo(TrainingSession, { foreignKey: "sessionId", as: "session" });
  CertificateJob.belongsTo(User, { foreignKey: "requestedBy", as: "requester" });
}
