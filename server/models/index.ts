import type { Sequelize } from "sequelize";
import { initReferenceModels } from "./reference.js";

export * from "./reference.js";

export function initModels(sequelize: Sequelize): void {
  initReferenceModels(sequelize);
}
