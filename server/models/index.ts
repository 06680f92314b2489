import type { Sequelize } from "sequelize";
import { initAccountModels } from "./accounts.js";
import { initApplicationModels } from "./applications.js";
import { initCompanyModels } from "./companies.js";
import { initReferenceModels } from "./reference.js";
import { initReviewModels } from "./review.js";
import { initTrainingModels } from "./training.js";

export * from "./accounts.js";
export * from "./applications.js";
export * from "./companies.js";
export * from "./reference.js";
export * from "./review.js";
export * from "./training.js";

let bound: Sequelize | null = null;

/** The instance initModels bound the models to, for raw queries inside their transactions. */
export function modelsSequelize(): Sequelize {
  if (!bound) throw new Error("models are not initialised");
  return bound;
}

export function initModels(sequelize: Sequelize): void {
  bound = sequelize;
  initReferenceModels(sequelize);
  initAccountModels(sequelize);
  initCompanyModels(sequelize);
  initApplicationModels(sequelize);
  initReviewModels(sequelize);
  initTrainingModels(sequelize);
}
