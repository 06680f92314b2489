import {
  DataTypes,
  Op,
  Model,
  type CreationOptional,
  type ForeignKey,
  type InferAttributes,
  type InferCreationAttributes,
  type NonAttribute,
  type Sequelize,
} from "sequelize";
import { moneyColumn } from "./columns.js";
import { checkIce } from "../domain/ice.js";
import { User } from "./accounts.js";

export const LEGAL_FORMS = ["SARL", "SARL_AU", "SA", "SNC", "PP", "AE"] as const;
export type LegalForm = (typeof LEGAL_FORMS)[number];

export class Company extends Model<InferAttributes<Company>, InferCreationAttributes<Company>> {
  declare id: CreationOptional<string>;
  declare ice: string;
  declare name: string;
  declare legalForm: LegalForm;
  declare rcNumber: string;
  declare rcCourt: string;
  declare ifNumber: string;
  declare cnssNumber: string;
  declare sectorCode: string;
  declare regionCode: string;
  declare city: string;
  declare address: string;
  declare foundedOn: string;
  declare employees: number;
  declare annualTurnover: string;
  /** Null while a company a prescriber registered waits for its manager to claim it. */
  declare ownerId: ForeignKey<User["id"]> | null;
  declare managerName: string | null;
  declare managerEmail: string | null;
  declare createdBy: ForeignKey<User["id"]>;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;
  declare mandates?: NonAttribute<Mandate[]>;
  declare owner?: NonAttribute<User | null>;
}

export type MandateSource = "owner-grant" | "prescriber-registration";

export class Mandate extends Model<InferAttributes<Mandate>, InferCreationAttributes<Mandate>> {
  declare id: CreationOptional<string>;
  declare companyId: ForeignKey<Company["id"]>;
  declare prescriberId: ForeignKey<User["id"]>;
  declare grantedBy: ForeignKey<User["id"]>;
  declare source: MandateSource;
  /** Last day the mandate is valid (inclusive, Africa/Casablanca); null for no end date. */
  declare expiresOn: string | null;
  declare revokedAt: Date | null;
  declare revokedBy: string | null;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;
  declare prescriber?: NonAttribute<User>;
  declare company?: NonAttribute<Company>;

  /** Live on `today` (YYYY-MM-DD in Casablanca): not revoked and not past its last day. */
  isLiveOn(today: string): NonAttribute<boolean> {
    return this.revokedAt === null && (this.expiresOn === null || this.expiresOn >= today);
  }

  /** The companies a prescriber acts for on `today`: the same rule as isLiveOn, in SQL. */
  static async liveCompanyIdsOf(prescriberId: string, today: string): Promise<string[]> {
    const live = await Mandate.findAll({
      where: {
        prescriberId,
        revokedAt: null,
        [Op.or]: [{ expiresOn: null }, { expiresOn: { [Op.gte]: today } }],
      },
      attributes: ["companyId"],
    });
    return live.map((mandate) => mandate.companyId);
  }
}

export class CompanyInvitation extends Model<
  InferAttributes<CompanyInvitation>,
  InferCreationAttributes<CompanyInvitation>
> {
  declare id: CreationOptional<string>;
  declare companyId: ForeignKey<Company["id"]>;
  declare email: string;
  declare tokenHash: string;
  declare expiresAt: Date;
  declare claimedAt: Date | null;
  declare claimedBy: string | null;
  declare createdAt: CreationOptional<Date>;
}

export function initCompanyModels(sequelize: Sequelize): void {
  Company.init(
    {
      id: { type: DataTypes.UUID, primaryKey: true, defaultValue: DataTypes.UUIDV4 },
      ice: {
        type: DataTypes.TEXT,
        allowNull: false,
        unique: true,
        validate: {
          validIce(value: string) {
            if (checkIce(value) !== null) throw new Error("invalid ICE");
          },
        },
      },
      name: { type: DataTypes.TEXT, allowNull: false, validate: { len: [2, 200] } },
      legalForm: { type: DataTypes.TEXT, allowNull: false, validate: { isIn: [[...LEGAL_FORMS]] } },
      rcNumber: { type: DataTypes.TEXT, allowNull: false },
      rcCourt: { type: DataTypes.TEXT, allowNull: false },
      ifNumber: { type: DataTypes.TEXT, allowNull: false },
      cnssNumber: { type: DataTypes.TEXT, allowNull: false },
      sectorCode: { type: DataTypes.TEXT, allowNull: false },
      regionCode: { type: DataTypes.TEXT, allowNull: false },
      city: { type: DataTypes.TEXT, allowNull: false },
      address: { type: DataTypes.TEXT, allowNull: false },
      foundedOn: { type: DataTypes.DATEONLY, allowNull: false },
      employees: { type: DataTypes.INTEGER, allowNull: false, validate: { min: 0 } },
      annualTurnover: moneyColumn({ name: "annualTurnover" }),
      managerName: { type: DataTypes.TEXT, allowNull: true },
      managerEmail: { type: DataTypes.TEXT, allowNull: true },
      createdAt: DataTypes.DATE,
      updatedAt: DataTypes.DATE,
    },
    { sequelize, tableName: "companies" },
  );

  Mandate.init(
    {
      id: { type: DataTypes.UUID, primaryKey: true, defaultValue: DataTypes.UUIDV4 },
      source: { type: DataTypes.TEXT, allowNull: false },
      expiresOn: { type: DataTypes.DATEONLY, allowNull: true },
      revokedAt: { type: DataTypes.DATE, allowNull: true },
      revokedBy: { type: DataTypes.UUID, allowNull: true },
      createdAt: DataTypes.DATE,
      updatedAt: DataTypes.DATE,
    },
    { sequelize, tableName: "mandates" },
  );

  CompanyInvitation.init(
    {
      id: { type: DataTypes.UUID, primaryKey: true, defaultValue: DataTypes.UUIDV4 },
      email: { type: DataTypes.TEXT, allowNull: false },
      tokenHash: { type: DataTypes.TEXT, allowNull: false, unique: true },
      expiresAt: { type: DataTypes.DATE, allowNull: false },
      claimedAt: { type: DataTypes.DATE, allowNull: true },
      claimedBy: { type: DataTypes.UUID, allowNull: true },
      createdAt: DataTypes.DATE,
    },
    { sequelize, tableName: "company_invitations", updatedAt: false },
  );

  Company.belongsTo(User, { foreignKey: "ownerId", as: "owner" });
  Company.belongsTo(User, { foreignKey: "createdBy", as: "creator" });
  Company.hasMany(Mandate, { foreignKey: "companyId", as: "mandates" });
  Mandate.belongsTo(Company, { foreignKey: "companyId", as: "company" });
  Mandate.belongsTo(User, { foreignKey: "prescriberId", as: "prescriber" });
  Mandate.belongsTo(User, { foreignKey: "grantedBy", as: "granter" });
  CompanyInvitation.belongsTo(Company, { foreignKey: "companyId", as: "company" });
}
