import { DataTypes } from "sequelize";

const MONEY = /^\d{1,12}\.\d{2}$/;

/**
 * A NUMERIC(14,2) amount, read and written as a decimal string ("400000.00"), never through a
 * float. Nullable when `allowNull`; the message names the attribute when given.
 */
export function moneyColumn(options: { allowNull?: boolean; name?: string } = {}) {
  return {
    type: DataTypes.DECIMAL(14, 2),
    allowNull: options.allowNull ?? false,
    validate: {
      is: { args: MONEY, msg: `${options.name ?? "amount"} must be a decimal string with two decimals` },
    },
  };
}
