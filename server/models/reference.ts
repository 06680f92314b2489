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

const SLUG = /^[a-z0-9]+(-[a-z0-9]+)*$/;

const slug = (field: string) => ({
  type: DataTypes.TEXT,
  allowNull: false,
  validate: { is: { args: SLUG, msg: `${field} must be a lowercase slug (a-z, 0-9, -)` } },
});

export class Region extends Model<InferAttributes<Region>, InferCreationAttributes<Region>> {
  declare code: string;
  declare nameFr: string;
  declare nameAr: string;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;
}

export class Sector extends Model<InferAttributes<Sector>, InferCreationAttributes<Sector>> {
  declare code: string;
  declare nameFr: string;
  declare nameAr: string;
  declare descriptionFr: CreationOptional<string>;
  declare descriptionAr: CreationOptional<string>;
  declare active: CreationOptional<boolean>;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;
}

export class Supplier extends Model<InferAttributes<Supplier>, InferCreationAttributes<Supplier>> {
  declare id: CreationOptional<string>;
  declare code: string;
  declare name: string;
  declare city: string;
  declare website: string | null;
  declare email: string | null;
  declare phone: string | null;
  declare active: CreationOptional<boolean>;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;
}

export class Solution extends Model<InferAttributes<Solution>, InferCreationAttributes<Solution>> {
  declare id: CreationOptional<string>;
  declare code: string;
  declare sectorCode: ForeignKey<Sector["code"]>;
  declare supplierId: ForeignKey<Supplier["id"]>;
  declare nameFr: string;
  declare nameAr: string;
  declare summaryFr: CreationOptional<string>;
  declare summaryAr: CreationOptional<string>;
  declare costsFr: CreationOptional<string>;
  declare costsAr: CreationOptional<string>;
  declare benefitsFr: CreationOptional<string>;
  declare benefitsAr: CreationOptional<string>;
  declare priceMin: string;
  declare priceMax: string;
  declare active: CreationOptional<boolean>;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;
  declare supplier?: NonAttribute<Supplier>;
}

export class Programme extends Model<InferAttributes<Programme>, InferCreationAttributes<Programme>> {
  declare id: CreationOptional<string>;
  declare code: string;
  declare nameFr: string;
  declare nameAr: string;
  declare startsOn: string;
  declare endsOn: string;
  declare targetEquippedSmes: CreationOptional<number>;
  declare targetPermits: CreationOptional<number>;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;
}

export class ProgrammeBudgetLine extends Model<
  InferAttributes<ProgrammeBudgetLine>,
  InferCreationAttributes<ProgrammeBudgetLine>
> {
  declare id: CreationOptional<string>;
  declare programmeId: ForeignKey<Programme["id"]>;
  declare code: string;
  declare nameFr: string;
  declare nameAr: string;
  declare year: number;
  declare amount: string;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;
}

export class Call extends Model<InferAttributes<Call>, InferCreationAttributes<Call>> {
  declare id: CreationOptional<string>;
  declare programmeId: ForeignKey<Programme["id"]>;
  declare code: string;
  declare titleFr: string;
  declare titleAr: string;
  declare opensOn: string;
  declare closesOn: string;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;
  declare programme?: NonAttribute<Programme>;
  declare rules?: NonAttribute<CallRules[]>;
  declare envelopes?: NonAttribute<Envelope[]>;
}

/** One immutable version of a call's rules. */
export class CallRules extends Model<InferAttributes<CallRules>, InferCreationAttributes<CallRules>> {
  declare id: CreationOptional<string>;
  declare callId: ForeignKey<Call["id"]>;
  declare version: number;
  declare rate: string;
  declare capPerCompany: string;
  declare minCompanyAgeYears: number;
  declare maxTurnover: string;
  declare createdAt: CreationOptional<Date>;
  declare sectors?: NonAttribute<Sector[]>;
}

export class Envelope extends Model<InferAttributes<Envelope>, InferCreationAttributes<Envelope>> {
  declare id: CreationOptional<string>;
  declare callId: ForeignKey<Call["id"]>;
  /** Null for the call's overall envelope. */
  declare sectorCode: ForeignKey<Sector["code"]> | null;
  declare amount: string;
  /** Approved grants not yet paid nor released; kept with the ledger, in its transaction. */
  declare committed: CreationOptional<string>;
  declare paid: CreationOptional<string>;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;
}

const timestamps = {
  createdAt: DataTypes.DATE,
  updatedAt: DataTypes.DATE,
};

export function initReferenceModels(sequelize: Sequelize): void {
  Region.init(
    {
      code: { ...slug("code"), primaryKey: true },
      nameFr: { type: DataTypes.TEXT, allowNull: false, validate: { notEmpty: true } },
      nameAr: { type: DataTypes.TEXT, allowNull: false, validate: { notEmpty: true } },
      ...timestamps,
    },
    { sequelize, tableName: "regions" },
  );

  Sector.init(
    {
      code: { ...slug("code"), primaryKey: true },
      nameFr: { type: DataTypes.TEXT, allowNull: false, validate: { notEmpty: true } },
      nameAr: { type: DataTypes.TEXT, allowNull: false, validate: { notEmpty: true } },
      descriptionFr: { type: DataTypes.TEXT, allowNull: false, defaultValue: "" },
      descriptionAr: { type: DataTypes.TEXT, allowNull: false, defaultValue: "" },
      active: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: true },
      ...timestamps,
    },
    { sequelize, tableName: "sectors" },
  );

  Supplier.init(
    {
      id: { type: DataTypes.UUID, primaryKey: true, defaultValue: DataTypes.UUIDV4 },
      code: { ...slug("code"), unique: true },
      name: { type: DataTypes.TEXT, allowNull: false, validate: { notEmpty: true } },
      city: { type: DataTypes.TEXT, allowNull: false },
      website: { type: DataTypes.TEXT, allowNull: true },
      email: { type: DataTypes.TEXT, allowNull: true },
      phone: { type: DataTypes.TEXT, allowNull: true },
      active: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: true },
      ...timestamps,
    },
    { sequelize, tableName: "suppliers" },
  );

  Solution.init(
    {
      id: { type: DataTypes.UUID, primaryKey: true, defaultValue: DataTypes.UUIDV4 },
      code: { ...slug("code"), unique: true },
      nameFr: { type: DataTypes.TEXT, allowNull: false, validate: { notEmpty: true } },
      nameAr: { type: DataTypes.TEXT, allowNull: false, validate: { notEmpty: true } },
      summaryFr: { type: DataTypes.TEXT, allowNull: false, defaultValue: "" },
      summaryAr: { type: DataTypes.TEXT, allowNull: false, defaultValue: "" },
      costsFr: { type: DataTypes.TEXT, allowNull: false, defaultValue: "" },
      costsAr: { type: DataTypes.TEXT, allowNull: false, defaultValue: "" },
      benefitsFr: { type: DataTypes.TEXT, allowNull: false, defaultValue: "" },
      benefitsAr: { type: DataTypes.TEXT, allowNull: false, defaultValue: "" },
      priceMin: moneyColumn({ name: "priceMin" }),
      priceMax: moneyColumn({ name: "priceMax" }),
      active: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: true },
      ...timestamps,
    },
    {
      sequelize,
      tableName: "solutions",
      validate: {
        priceRange(this: Solution) {
          if (BigInt(this.priceMax.replace(".", "")) < BigInt(this.priceMin.replace(".", ""))) {
            throw new Error("priceMax must not be below priceMin");
          }
        },
      },
    },
  );

  Programme.init(
    {
      id: { type: DataTypes.UUID, primaryKey: true, defaultValue: DataTypes.UUIDV4 },
      code: { ...slug("code"), unique: true },
      nameFr: { type: DataTypes.TEXT, allowNull: false },
      nameAr: { type: DataTypes.TEXT, allowNull: false },
      startsOn: { type: DataTypes.DATEONLY, allowNull: false },
      endsOn: { type: DataTypes.DATEONLY, allowNull: false },
      targetEquippedSmes: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 3000 },
      targetPermits: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 10000 },
      ...timestamps,
    },
    { sequelize, tableName: "programmes" },
  );

  ProgrammeBudgetLine.init(
    {
      id: { type: DataTypes.UUID, primaryKey: true, defaultValue: DataTypes.UUIDV4 },
      code: { type: DataTypes.TEXT, allowNull: false },
      nameFr: { type: DataTypes.TEXT, allowNull: false },
      nameAr: { type: DataTypes.TEXT, allowNull: false },
      year: { type: DataTypes.INTEGER, allowNull: false },
      amount: moneyColumn({ name: "amount" }),
      ...timestamps,
    },
    { sequelize, tableName: "programme_budget_lines" },
  );

  Call.init(
    {
      id: { type: DataTypes.UUID, primaryKey: true, defaultValue: DataTypes.UUIDV4 },
      code: { ...slug("code"), unique: true },
      titleFr: { type: DataTypes.TEXT, allowNull: false, validate: { notEmpty: true } },
      titleAr: { type: DataTypes.TEXT, allowNull: false, validate: { notEmpty: true } },
      opensOn: { type: DataTypes.DATEONLY, allowNull: false },
      closesOn: { type: DataTypes.DATEONLY, allowNull: false },
      ...timestamps,
    },
    {
      sequelize,
      tableName: "calls",
      validate: {
        window(this: Call) {
          if (this.closesOn < this.opensOn) throw new Error("closesOn must not be before opensOn");
        },
      },
    },
  );

  CallRules.init(
    {
      id: { type: DataTypes.UUID, primaryKey: true, defaultValue: DataTypes.UUIDV4 },
      version: { type: DataTypes.INTEGER, allowNull: false, validate: { min: 1 } },
      rate: {
        type: DataTypes.DECIMAL(5, 4),
        allowNull: false,
        validate: { is: { args: /^(0\.\d{1,4}|1\.0{1,4})$/, msg: "rate must be a decimal between 0 and 1" } },
      },
      capPerCompany: moneyColumn({ name: "capPerCompany" }),
      minCompanyAgeYears: { type: DataTypes.INTEGER, allowNull: false, validate: { min: 0 } },
      maxTurnover: moneyColumn({ name: "maxTurnover" }),
      createdAt: DataTypes.DATE,
    },
    { sequelize, tableName: "call_rules", updatedAt: false },
  );

  Envelope.init(
    {
      id: { type: DataTypes.UUID, primaryKey: true, defaultValue: DataTypes.UUIDV4 },
      amount: moneyColumn({ name: "amount" }),
      committed: { ...moneyColumn({ name: "committed" }), defaultValue: "0.00" },
      paid: { ...moneyColumn({ name: "paid" }), defaultValue: "0.00" },
      ...timestamps,
    },
    { sequelize, tableName: "envelopes" },
  );

  Solution.belongsTo(Sector, { foreignKey: "sectorCode", targetKey: "code", as: "sector" });
  Solution.belongsTo(Supplier, { foreignKey: "supplierId", as: "supplier" });
  Sector.hasMany(Solution, { foreignKey: "sectorCode", sourceKey: "code", as: "solutions" });
  ProgrammeBudgetLine.belongsTo(Programme, { foreignKey: "programmeId", as: "programme" });
  Programme.hasMany(ProgrammeBudgetLine, { foreignKey: "programmeId", as: "budgetLines" });
  Call.belongsTo(Programme, { foreignKey: "programmeId", as: "programme" });
  Programme.hasMany(Call, { foreignKey: "programmeId", as: "calls" });
  Call.hasMany(CallRules, { foreignKey: "callId", as: "rules" });
  CallRules.belongsTo(Call, { foreignKey: "callId", as: "call" });
  CallRules.belongsToMany(Sector, {
    through: "call_rule_sectors",
    foreignKey: "callRulesId",
    otherKey: "sectorCode",
    as: "sectors",
    timestamps: false,
  });
  Call.hasMany(Envelope, { foreignKey: "callId", as: "envelopes" });
  Envelope.belongsTo(Call, { foreignKey: "callId", as: "call" });
  Envelope.belongsTo(Sector, { foreignKey: "sectorCode", targetKey: "code", as: "sector" });
}
