import type { Sequelize } from "sequelize";
import { initAccountModels } from "./accounts.js";
import { initCompanyModels } from "./companies.js";
import { initReferenceModels } from "./reference.js";

export * from "./accounts.js";
export * from "./companies.js";
export * from "./reference.js";

export function initModels(sequelize: Sequelize): void {
  initReferenceModels(sequelize);
  initAccountModels(sequelize);
  initCompanyModels(sequelize);
}
