// The programme's published reference rules, used for the explanatory texts. Each call carries its
// own versioned rules (GET /api/v1/calls); screens that judge or estimate prefer those when loaded.
import { DEFAULT_CAP_PER_COMPANY, DEFAULT_RATE } from "./money";

export const REFERENCE_RULES = {
  rate: DEFAULT_RATE,
  capPerCompany: DEFAULT_CAP_PER_COMPANY,
  minCompanyAgeYears: 2,
  maxTurnover: "100000000.00",
} as const;

export const ELIGIBLE_SECTOR_CODES = [
  "textile-habillement",
  "cuir",
  "agroalimentaire",
  "automobile",
  "commerce",
] as const;

/** Price used by the worked example on the home page. */
export const EXAMPLE_PRICE = "100000.00";
