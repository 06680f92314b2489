import { expect } from "chai";
import {
  ELIGIBILITY_RULES,
  fullYearsBetween,
  judgeEligibility,
  type CriterionVerdict,
  type EligibilityFacts,
  type EligibilityRule,
} from "../../server/domain/eligibility.js";

/** A file that meets every criterion on 15 June 2026 under SPEC.md's default rules. */
function facts(overrides: Partial<EligibilityFacts> = {}): EligibilityFacts {
  return {
    onDate: "2026-06-15",
    call: { opensOn: "2026-01-01", closesOn: "2026-12-31" },
    rules: {
      minCompanyAgeYears: 2,
      maxTurnover: 10_000_000_000n,
      sectorCodes: ["textile-habillement", "cuir", "agroalimentaire", "automobile", "commerce"],
    },
    company: { foundedOn: "2015-03-01", annualTurnover: 450_000_050n },
    sectorCode: "textile-habillement",
    eligibleAmount: 10_000_000n,
    documentTypes: ["quote", "sworn_declaration"],
    otherOpenApplication: null,
    ...overrides,
  };
}

function verdictOf(all: CriterionVerdict[], rule: EligibilityRule): CriterionVerdict {
  const verdict = all.find((candidate) => candidate.rule === rule);
  if (!verdict) throw new Error(`no verdict for ${rule}`);
  return verdict;
}

interface CriterionCase {
  rule: string;
  criterion: EligibilityRule;
  facts: Partial<EligibilityFacts>;
  ok: boolean;
  reason: string;
  values?: CriterionVerdict["values"];
}

const company = (foundedOn: string, annualTurnover = 450_000_050n) => ({ foundedOn, annualTurnover });

const CASES: CriterionCase[] = [
  // call_open: dates inclusive
  {
    rule: "the call is open on an ordinary day inside its window",
    criterion: "call_open",
    facts: {},
    ok: true,
    reason: "open",
    values: { opensOn: "2026-01-01", closesOn: "2026-12-31" },
  },
  {
    rule: "the call is open on its first day",
    criterion: "call_open",
    facts: { onDate: "2026-01-01" },
    ok: true,
    reason: "open",
  },
  {
    rule: "the call is open on its last day",
    criterion: "call_open",
    facts: { onDate: "2026-12-31", company: company("2015-03-01") },
    ok: true,
    reason: "open",
  },
  {
    rule: "the day before opening the call is upcoming",
    criterion: "call_open",
    facts: { onDate: "2025-12-31" },
    ok: false,
    reason: "upcoming",
  },
  {
    rule: "the day after closing the call is closed",
    criterion: "call_open",
    facts: { onDate: "2027-01-01" },
    ok: false,
    reason: "closed",
  },
  {
    rule: "a one-day call is open on that day",
    criterion: "call_open",
    facts: { call: { opensOn: "2026-06-15", closesOn: "2026-06-15" } },
    ok: true,
    reason: "open",
  },
  // sector
  {
    rule: "a sector listed in the call's rules is eligible",
    criterion: "sector",
    facts: { sectorCode: "commerce" },
    ok: true,
    reason: "eligible",
    values: { sectorCode: "commerce" },
  },
  {
    rule: "a sector outside the call's rules is not",
    criterion: "sector",
    facts: { sectorCode: "tourisme" },
    ok: false,
    reason: "not-eligible",
    values: { sectorCode: "tourisme" },
  },
  {
    rule: "a call that lists no sector admits none",
    criterion: "sector",
    facts: { rules: { minCompanyAgeYears: 2, maxTurnover: 10_000_000_000n, sectorCodes: [] } },
    ok: false,
    reason: "not-eligible",
  },
  {
    rule: "the sector code must match exactly (no case folding)",
    criterion: "sector",
    facts: { sectorCode: "Commerce" },
    ok: false,
    reason: "not-eligible",
  },
  // company_age
  {
    rule: "a company exactly 2 years old on the submission date is old enough",
    criterion: "company_age",
    facts: { company: company("2024-06-15") },
    ok: true,
    reason: "old-enough",
    values: { years: 2, minimum: 2, foundedOn: "2024-06-15" },
  },
  {
    rule: "a company one day short of 2 years is too young",
    criterion: "company_age",
    facts: { company: company("2024-06-16") },
    ok: false,
    reason: "too-young",
    values: { years: 1, minimum: 2, foundedOn: "2024-06-16" },
  },
  {
    rule: "a company founded on 29 February 2024 is not yet 2 on 28 February 2026",
    criterion: "company_age",
    facts: { onDate: "2026-02-28", company: company("2024-02-29") },
    ok: false,
    reason: "too-young",
    values: { years: 1, minimum: 2, foundedOn: "2024-02-29" },
  },
  {
    rule: "a company founded on 29 February 2024 is 2 on 1 March 2026",
    criterion: "company_age",
    facts: { onDate: "2026-03-01", company: company("2024-02-29") },
    ok: true,
    reason: "old-enough",
  },
  {
    rule: "a company founded on 29 February 2024 is 4 on 29 February 2028",
    criterion: "company_age",
    facts: {
      onDate: "2028-02-29",
      call: { opensOn: "2028-01-01", closesOn: "2028-12-31" },
      company: company("2024-02-29"),
    },
    ok: true,
    reason: "old-enough",
    values: { years: 4, minimum: 2, foundedOn: "2024-02-29" },
  },
  {
    rule: "a company founded on 28 February 2024 is 2 on 28 February 2026",
    criterion: "company_age",
    facts: { onDate: "2026-02-28", company: company("2024-02-28") },
    ok: true,
    reason: "old-enough",
  },
  {
    rule: "a company founded today is 0 years old and too young",
    criterion: "company_age",
    facts: { company: company("2026-06-15") },
    ok: false,
    reason: "too-young",
    values: { years: 0, minimum: 2, foundedOn: "2026-06-15" },
  },
  {
    rule: "a founding date after the submission date reads as 0 years, never negative",
    criterion: "company_age",
    facts: { company: company("2027-01-01") },
    ok: false,
    reason: "too-young",
    values: { years: 0, minimum: 2, foundedOn: "2027-01-01" },
  },
  {
    rule: "a minimum of 0 years admits a company founded today",
    criterion: "company_age",
    facts: {
      company: company("2026-06-15"),
      rules: { minCompanyAgeYears: 0, maxTurnover: 10_000_000_000n, sectorCodes: ["textile-habillement"] },
    },
    ok: true,
    reason: "old-enough",
  },
  // turnover
  {
    rule: "a turnover equal to the maximum is within",
    criterion: "turnover",
    facts: { company: company("2015-03-01", 10_000_000_000n) },
    ok: true,
    reason: "within",
    values: { turnover: 10_000_000_000n, maximum: 10_000_000_000n },
  },
  {
    rule: "a turnover of the maximum + 0.01 is above",
    criterion: "turnover",
    facts: { company: company("2015-03-01", 10_000_000_001n) },
    ok: false,
    reason: "above",
    values: { turnover: 10_000_000_001n, maximum: 10_000_000_000n },
  },
  {
    rule: "a turnover of 0.00 is within",
    criterion: "turnover",
    facts: { company: company("2015-03-01", 0n) },
    ok: true,
    reason: "within",
  },
  // investment
  {
    rule: "an investment of 0.00 is missing",
    criterion: "investment",
    facts: { eligibleAmount: 0n },
    ok: false,
    reason: "missing",
    values: { amount: 0n },
  },
  {
    rule: "an investment of 0.01 is present",
    criterion: "investment",
    facts: { eligibleAmount: 1n },
    ok: true,
    reason: "present",
    values: { amount: 1n },
  },
  // quote
  {
    rule: "one quote is enough",
    criterion: "quote",
    facts: { documentTypes: ["quote", "sworn_declaration"] },
    ok: true,
    reason: "present",
    values: { count: 1 },
  },
  {
    rule: "several quotes are counted",
    criterion: "quote",
    facts: { documentTypes: ["quote", "quote", "quote"] },
    ok: true,
    reason: "present",
    values: { count: 3 },
  },
  {
    rule: "no quote: missing",
    criterion: "quote",
    facts: { documentTypes: ["sworn_declaration", "invoice", "other"] },
    ok: false,
    reason: "missing",
    values: { count: 0 },
  },
  {
    rule: "no document at all: quote missing",
    criterion: "quote",
    facts: { documentTypes: [] },
    ok: false,
    reason: "missing",
  },
  // tax_and_cnss
  {
    rule: "tax and CNSS certificates together are enough",
    criterion: "tax_and_cnss",
    facts: { documentTypes: ["tax_certificate", "cnss_certificate"] },
    ok: true,
    reason: "certificates",
  },
  {
    rule: "only the tax certificate: the CNSS one is missing",
    criterion: "tax_and_cnss",
    facts: { documentTypes: ["tax_certificate"] },
    ok: false,
    reason: "cnss-missing",
  },
  {
    rule: "only the CNSS certificate: the tax one is missing",
    criterion: "tax_and_cnss",
    facts: { documentTypes: ["cnss_certificate"] },
    ok: false,
    reason: "tax-missing",
  },
  {
    rule: "a sworn declaration alone replaces both certificates",
    criterion: "tax_and_cnss",
    facts: { documentTypes: ["sworn_declaration"] },
    ok: true,
    reason: "sworn-declaration",
  },
  {
    rule: "a sworn declaration beside one certificate is still enough",
    criterion: "tax_and_cnss",
    facts: { documentTypes: ["tax_certificate", "sworn_declaration"] },
    ok: true,
    reason: "sworn-declaration",
  },
  {
    rule: "none of them: missing",
    criterion: "tax_and_cnss",
    facts: { documentTypes: ["quote", "rc_extract", "statutes"] },
    ok: false,
    reason: "missing",
  },
  // no_other_open_application
  {
    rule: "no other open application: ok",
    criterion: "no_other_open_application",
    facts: { otherOpenApplication: null },
    ok: true,
    reason: "none",
  },
  {
    rule: "another open application with a reference: refused, naming it",
    criterion: "no_other_open_application",
    facts: { otherOpenApplication: { reference: "MS-2026-00007" } },
    ok: false,
    reason: "open",
    values: { reference: "MS-2026-00007" },
  },
  {
    rule: "another open application without a reference: refused, with an empty reference",
    criterion: "no_other_open_application",
    facts: { otherOpenApplication: { reference: null } },
    ok: false,
    reason: "open",
    values: { reference: "" },
  },
];

describe("eligibility (SPEC.md Rules)", () => {
  describe("fullYearsBetween", () => {
    const YEARS: Array<[string, string, number]> = [
      ["2024-06-15", "2026-06-15", 2],
      ["2024-06-16", "2026-06-15", 1],
      ["2024-06-14", "2026-06-15", 2],
      ["2024-07-01", "2026-06-30", 1],
      ["2023-12-31", "2025-12-31", 2],
      ["2024-01-01", "2025-12-31", 1],
      ["2024-02-29", "2026-02-28", 1],
      ["2024-02-29", "2026-03-01", 2],
      ["2024-02-29", "2028-02-28", 3],
      ["2024-02-29", "2028-02-29", 4],
      ["2023-03-01", "2024-02-29", 0],
      ["2026-06-15", "2026-06-15", 0],
      ["1999-01-01", "2026-06-15", 27],
      ["2026-06-16", "2026-06-15", -1],
    ];
    for (const [from, to, expected] of YEARS) {
      it(`${from} → ${to} is ${expected} full year(s)`, () => {
        expect(fullYearsBetween(from, to)).to.equal(expected);
      });
    }
  });

  describe("judgeEligibility, criterion by criterion", () => {
    for (const testCase of CASES) {
      it(`${testCase.criterion}: ${testCase.rule}`, () => {
        const verdict = verdictOf(judgeEligibility(facts(testCase.facts)), testCase.criterion);
        expect(verdict.ok).to.equal(testCase.ok);
        expect(verdict.reason).to.equal(testCase.reason);
        if (testCase.values) expect(verdict.values).to.deep.equal(testCase.values);
      });
    }
  });

  describe("the verdict as a whole", () => {
    it("answers every rule exactly once, in the contract's order", () => {
      const rules = judgeEligibility(facts()).map((verdict) => verdict.rule);
      expect(rules).to.deep.equal([
        "call_open",
        "sector",
        "company_age",
        "turnover",
        "investment",
        "quote",
        "tax_and_cnss",
        "no_other_open_application",
      ]);
      expect(rules).to.deep.equal([...ELIGIBILITY_RULES]);
    });

    it("passes every criterion for a complete file", () => {
      expect(judgeEligibility(facts()).every((verdict) => verdict.ok)).to.equal(true);
    });

    it("keeps the same order when everything fails, and reports every failure (not only the first)", () => {
      const verdicts = judgeEligibility(
        facts({
          onDate: "2027-02-01",
          sectorCode: "tourisme",
          company: { foundedOn: "2026-01-01", annualTurnover: 10_000_000_001n },
          eligibleAmount: 0n,
          documentTypes: [],
          otherOpenApplication: { reference: "MS-2026-00001" },
        }),
      );
      expect(verdicts.map((verdict) => [verdict.rule, verdict.ok, verdict.reason])).to.deep.equal([
        ["call_open", false, "closed"],
        ["sector", false, "not-eligible"],
        ["company_age", false, "too-young"],
        ["turnover", false, "above"],
        ["investment", false, "missing"],
        ["quote", false, "missing"],
        ["tax_and_cnss", false, "missing"],
        ["no_other_open_application", false, "open"],
      ]);
    });

    it("judges one failure without touching the other criteria", () => {
      const verdicts = judgeEligibility(facts({ documentTypes: ["sworn_declaration"] }));
      expect(verdicts.filter((verdict) => !verdict.ok).map((verdict) => verdict.rule)).to.deep.equal(["quote"]);
    });

    it("measures the company's age on the submission date, not on the call's opening", () => {
      // Two years old on 2026-06-15, not yet on 2026-01-01 when the call opened.
      const young = { foundedOn: "2024-03-01", annualTurnover: 0n };
      expect(verdictOf(judgeEligibility(facts({ company: young })), "company_age").ok).to.equal(true);
      expect(verdictOf(judgeEligibility(facts({ company: young, onDate: "2026-02-28" })), "company_age").ok).to.equal(
        false,
      );
    });
  });
});
