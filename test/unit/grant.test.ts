import { expect } from "chai";
import { computeGrant, lineVat, VAT_RATES, type CostLine } from "../../server/domain/grant.js";
import {
  describeMoneyInput,
  formatMoney,
  MAX_CENTIMES,
  parseMoney,
  parseRate,
  type Centimes,
} from "../../server/domain/money.js";

// Every expected amount below was worked out by hand (and checked with Python's Decimal, never
// with JavaScript numbers): grant = min(floor(rate × Σ amounts), cap − approved) ≥ 0, VAT half-up
// per line, own share = eligible + VAT − grant.

function money(text: string): Centimes {
  const centimes = parseMoney(text);
  if (centimes === null) throw new Error(`bad fixture amount ${text}`);
  return centimes;
}

function line(amountExclTax: string, vatRate = "0.20"): CostLine {
  return { amountExclTax: money(amountExclTax), vatRate: parseRate(vatRate) };
}

interface GrantCase {
  rule: string;
  lines: CostLine[];
  rate?: string;
  cap?: string;
  approved?: string;
  eligible: string;
  vat: string;
  grant: string;
  ownShare: string;
  capRemaining?: string;
}

const fiftyLines = (amount: string, vatRate: string) => Array.from({ length: 50 }, () => line(amount, vatRate));

const GRANT_CASES: GrantCase[] = [
  // SPEC.md examples (rate 60 %, cap 400,000.00, nothing granted before)
  {
    rule: "SPEC: 60 % of 100,000.00 is 60,000.00",
    lines: [line("100000.00")],
    eligible: "100000.00",
    vat: "20000.00",
    grant: "60000.00",
    ownShare: "60000.00",
  },
  {
    rule: "SPEC: 60 % of 666,666.67 is 400,000.002, floored then capped to 400,000.00",
    lines: [line("666666.67")],
    eligible: "666666.67",
    vat: "133333.33",
    grant: "400000.00",
    ownShare: "400000.00",
  },
  {
    rule: "SPEC: 60 % of 0.05 is 0.03",
    lines: [line("0.05")],
    eligible: "0.05",
    vat: "0.01",
    grant: "0.03",
    ownShare: "0.03",
  },
  // nothing to subsidise
  {
    rule: "no line: everything is 0.00",
    lines: [],
    eligible: "0.00",
    vat: "0.00",
    grant: "0.00",
    ownShare: "0.00",
    capRemaining: "400000.00",
  },
  {
    rule: "one line of 0.00: everything is 0.00",
    lines: [line("0.00")],
    eligible: "0.00",
    vat: "0.00",
    grant: "0.00",
    ownShare: "0.00",
  },
  {
    rule: "three lines of 0.00: everything is 0.00",
    lines: [line("0.00"), line("0.00", "0.07"), line("0.00", "0.00")],
    eligible: "0.00",
    vat: "0.00",
    grant: "0.00",
    ownShare: "0.00",
  },
  // floor at the centime, never rounded up
  {
    rule: "0.01 → 0.006 floors to 0.00",
    lines: [line("0.01")],
    eligible: "0.01",
    vat: "0.00",
    grant: "0.00",
    ownShare: "0.01",
  },
  {
    rule: "0.02 → 0.012 floors to 0.01",
    lines: [line("0.02")],
    eligible: "0.02",
    vat: "0.00",
    grant: "0.01",
    ownShare: "0.01",
  },
  {
    rule: "0.03 → 0.018 floors to 0.01",
    lines: [line("0.03")],
    eligible: "0.03",
    vat: "0.01",
    grant: "0.01",
    ownShare: "0.03",
  },
  {
    rule: "0.04 → 0.024 floors to 0.02",
    lines: [line("0.04")],
    eligible: "0.04",
    vat: "0.01",
    grant: "0.02",
    ownShare: "0.03",
  },
  {
    rule: "0.99 → 0.594 floors to 0.59",
    lines: [line("0.99")],
    eligible: "0.99",
    vat: "0.20",
    grant: "0.59",
    ownShare: "0.60",
  },
  {
    rule: "1.01 → 0.606 floors to 0.60",
    lines: [line("1.01")],
    eligible: "1.01",
    vat: "0.20",
    grant: "0.60",
    ownShare: "0.61",
  },
  {
    rule: "33.33 → 19.998 floors to 19.99",
    lines: [line("33.33")],
    eligible: "33.33",
    vat: "6.67",
    grant: "19.99",
    ownShare: "20.01",
  },
  {
    rule: "12,345.67 → 7,407.402 floors to 7,407.40",
    lines: [line("12345.67", "0.10")],
    eligible: "12345.67",
    vat: "1234.57",
    grant: "7407.40",
    ownShare: "6172.84",
  },
  {
    rule: "the floor applies to the total, not per line: 3 × 0.01 → 0.018 → 0.01",
    lines: [line("0.01"), line("0.01"), line("0.01")],
    eligible: "0.03",
    vat: "0.00",
    grant: "0.01",
    ownShare: "0.02",
  },
  {
    rule: "the floor applies to the total: 50 × 0.01 = 0.50 → 0.30 (not 50 × 0.00)",
    lines: fiftyLines("0.01", "0.00"),
    eligible: "0.50",
    vat: "0.00",
    grant: "0.30",
    ownShare: "0.20",
  },
  // at the cap
  {
    rule: "just under the cap: 666,666.66 → 399,999.996 floors to 399,999.99",
    lines: [line("666666.66", "0.00")],
    eligible: "666666.66",
    vat: "0.00",
    grant: "399999.99",
    ownShare: "266666.67",
  },
  {
    rule: "one centime over: 666,666.68 → 400,000.008 is capped to 400,000.00",
    lines: [line("666666.68", "0.00")],
    eligible: "666666.68",
    vat: "0.00",
    grant: "400000.00",
    ownShare: "266666.68",
  },
  {
    rule: "exactly 60 % of the cap: 666,666.65 and 0.01 on two lines → 399,999.996 → 399,999.99",
    lines: [line("666666.65", "0.00"), line("0.01", "0.00")],
    eligible: "666666.66",
    vat: "0.00",
    grant: "399999.99",
    ownShare: "266666.67",
  },
  {
    rule: "well above: 1,000,000.00 → 400,000.00",
    lines: [line("1000000.00")],
    eligible: "1000000.00",
    vat: "200000.00",
    grant: "400000.00",
    ownShare: "800000.00",
  },
  // cumulative cap
  {
    rule: "cap partly used (350,000.00 approved): 60 % of 100,000.00 is limited to the 50,000.00 left",
    lines: [line("100000.00")],
    approved: "350000.00",
    eligible: "100000.00",
    vat: "20000.00",
    grant: "50000.00",
    ownShare: "70000.00",
    capRemaining: "50000.00",
  },
  {
    rule: "cap partly used: 60 % of 50,000.00 (30,000.00) fits in the 50,000.00 left",
    lines: [line("50000.00")],
    approved: "350000.00",
    eligible: "50000.00",
    vat: "10000.00",
    grant: "30000.00",
    ownShare: "30000.00",
    capRemaining: "50000.00",
  },
  {
    rule: "cap partly used: 60 % of 83,333.34 is 50,000.004, floored to exactly the 50,000.00 left",
    lines: [line("83333.34", "0.00")],
    approved: "350000.00",
    eligible: "83333.34",
    vat: "0.00",
    grant: "50000.00",
    ownShare: "33333.34",
    capRemaining: "50000.00",
  },
  {
    rule: "cap partly used to the centime: 399,999.99 approved leaves 0.01",
    lines: [line("1000.00", "0.00")],
    approved: "399999.99",
    eligible: "1000.00",
    vat: "0.00",
    grant: "0.01",
    ownShare: "999.99",
    capRemaining: "0.01",
  },
  {
    rule: "cap fully used (400,000.00 approved): grant 0.00, the company pays everything",
    lines: [line("100000.00")],
    approved: "400000.00",
    eligible: "100000.00",
    vat: "20000.00",
    grant: "0.00",
    ownShare: "120000.00",
    capRemaining: "0.00",
  },
  {
    rule: "more than the cap approved (450,000.00 after a rule change): 0.00, never negative",
    lines: [line("100000.00")],
    approved: "450000.00",
    eligible: "100000.00",
    vat: "20000.00",
    grant: "0.00",
    ownShare: "120000.00",
    capRemaining: "0.00",
  },
  // huge amounts: BigInt never loses a centime
  {
    rule: "the largest NUMERIC(14,2) amount, capped: VAT 199,999,999,999.998 rounds half up to 200,000,000,000.00",
    lines: [line("999999999999.99")],
    eligible: "999999999999.99",
    vat: "200000000000.00",
    grant: "400000.00",
    ownShare: "1199999599999.99",
  },
  {
    rule: "the largest amount at 100 % under an unlimited cap keeps its last centime",
    lines: [line("999999999999.99")],
    rate: "1.00",
    cap: "999999999999.99",
    eligible: "999999999999.99",
    vat: "200000000000.00",
    grant: "999999999999.99",
    ownShare: "200000000000.00",
  },
  {
    rule: "50 lines of 19,999,999,999.99 sum to 999,999,999,999.50; 60 % is 599,999,999,999.70",
    lines: fiftyLines("19999999999.99", "0.07"),
    cap: "999999999999.99",
    eligible: "999999999999.50",
    vat: "70000000000.00",
    grant: "599999999999.70",
    ownShare: "469999999999.80",
  },
  {
    rule: "50 lines of 19,999,999,999.99 under the usual cap: 400,000.00",
    lines: fiftyLines("19999999999.99", "0.07"),
    eligible: "999999999999.50",
    vat: "70000000000.00",
    grant: "400000.00",
    ownShare: "1069999599999.50",
  },
  {
    rule: "50 lines of 0.07 at 7 %: each VAT 0.0049 rounds to 0.00, the sum is 3.50 → 2.10",
    lines: fiftyLines("0.07", "0.07"),
    eligible: "3.50",
    vat: "0.00",
    grant: "2.10",
    ownShare: "1.40",
  },
  // other rates
  {
    rule: "rate 0.5: 0.01 → 0.005 floors to 0.00",
    lines: [line("0.01", "0.00")],
    rate: "0.5",
    eligible: "0.01",
    vat: "0.00",
    grant: "0.00",
    ownShare: "0.01",
  },
  {
    rule: "rate 0.5: 0.03 → 0.015 floors to 0.01",
    lines: [line("0.03", "0.00")],
    rate: "0.5",
    eligible: "0.03",
    vat: "0.00",
    grant: "0.01",
    ownShare: "0.02",
  },
  {
    rule: "rate 0.5: 100.01 → 50.005 floors to 50.00",
    lines: [line("100.01", "0.00")],
    rate: "0.5",
    eligible: "100.01",
    vat: "0.00",
    grant: "50.00",
    ownShare: "50.01",
  },
  {
    rule: "rate 0.3333: 100.00 → 33.33",
    lines: [line("100.00", "0.00")],
    rate: "0.3333",
    eligible: "100.00",
    vat: "0.00",
    grant: "33.33",
    ownShare: "66.67",
  },
  {
    rule: "rate 0.3333: 3.00 → 0.9999 floors to 0.99",
    lines: [line("3.00", "0.00")],
    rate: "0.3333",
    eligible: "3.00",
    vat: "0.00",
    grant: "0.99",
    ownShare: "2.01",
  },
  {
    rule: "rate 0.3333: 12,345.67 → 4,114.811811 floors to 4,114.81",
    lines: [line("12345.67", "0.10")],
    rate: "0.3333",
    eligible: "12345.67",
    vat: "1234.57",
    grant: "4114.81",
    ownShare: "9465.43",
  },
  {
    rule: "rate 1.0: the grant is the whole amount, 123.45",
    lines: [line("123.45", "0.00")],
    rate: "1.0",
    eligible: "123.45",
    vat: "0.00",
    grant: "123.45",
    ownShare: "0.00",
  },
  {
    rule: "rate 1.0: still capped at 400,000.00",
    lines: [line("500000.00", "0.00")],
    rate: "1.0",
    eligible: "500000.00",
    vat: "0.00",
    grant: "400000.00",
    ownShare: "100000.00",
  },
  {
    rule: "rate 0.0001: 100.00 → 0.01",
    lines: [line("100.00", "0.00")],
    rate: "0.0001",
    eligible: "100.00",
    vat: "0.00",
    grant: "0.01",
    ownShare: "99.99",
  },
  {
    rule: "rate 0.0001: 99.99 → 0.009999 floors to 0.00",
    lines: [line("99.99", "0.00")],
    rate: "0.0001",
    eligible: "99.99",
    vat: "0.00",
    grant: "0.00",
    ownShare: "99.99",
  },
  {
    rule: "rate 0.0001 of the largest amount: 99,999,999.9999999 floors to 99,999,999.99",
    lines: [line("999999999999.99", "0.14")],
    rate: "0.0001",
    cap: "999999999999.99",
    eligible: "999999999999.99",
    vat: "140000000000.00",
    grant: "99999999.99",
    ownShare: "1139900000000.00",
  },
  {
    rule: "rate 0: no grant at all",
    lines: [line("100000.00", "0.00")],
    rate: "0",
    eligible: "100000.00",
    vat: "0.00",
    grant: "0.00",
    ownShare: "100000.00",
  },
  // caps
  {
    rule: "cap 0.00: no grant whatever the amount",
    lines: [line("100000.00", "0.00")],
    cap: "0.00",
    eligible: "100000.00",
    vat: "0.00",
    grant: "0.00",
    ownShare: "100000.00",
    capRemaining: "0.00",
  },
  {
    rule: "cap 0.00 with something approved: still 0.00, never negative",
    lines: [line("100.00", "0.00")],
    cap: "0.00",
    approved: "10.00",
    eligible: "100.00",
    vat: "0.00",
    grant: "0.00",
    ownShare: "100.00",
    capRemaining: "0.00",
  },
  {
    rule: "cap 0.01: the grant is one centime",
    lines: [line("1000.00", "0.00")],
    cap: "0.01",
    eligible: "1000.00",
    vat: "0.00",
    grant: "0.01",
    ownShare: "999.99",
    capRemaining: "0.01",
  },
  // VAT per line, half up; the grant ignores it
  {
    rule: "VAT is rounded per line: two lines of 0.05 at 10 % → 0.01 + 0.01 = 0.02 (not round(0.01) = 0.01)",
    lines: [line("0.05", "0.10"), line("0.05", "0.10")],
    eligible: "0.10",
    vat: "0.02",
    grant: "0.06",
    ownShare: "0.06",
  },
  {
    rule: "mixed Moroccan VAT rates 0/7/10/14/20 % on 1,000.00 each: 0 + 70 + 100 + 140 + 200",
    lines: [
      line("1000.00", "0.00"),
      line("1000.00", "0.07"),
      line("1000.00", "0.10"),
      line("1000.00", "0.14"),
      line("1000.00", "0.20"),
    ],
    eligible: "5000.00",
    vat: "510.00",
    grant: "3000.00",
    ownShare: "2510.00",
  },
  {
    rule: "the grant is computed on amounts excl. VAT: 20 % VAT does not change a 60,000.00 grant",
    lines: [line("50000.00", "0.20"), line("50000.00", "0.00")],
    eligible: "100000.00",
    vat: "10000.00",
    grant: "60000.00",
    ownShare: "50000.00",
  },
];

describe("grant arithmetic (SPEC.md Rules)", () => {
  describe("computeGrant", () => {
    for (const testCase of GRANT_CASES) {
      it(testCase.rule, () => {
        const rules = {
          rate: parseRate(testCase.rate ?? "0.60"),
          capPerCompany: money(testCase.cap ?? "400000.00"),
        };
        const result = computeGrant(testCase.lines, rules, money(testCase.approved ?? "0.00"));
        expect({
          eligible: formatMoney(result.eligibleAmount),
          vat: formatMoney(result.vatAmount),
          grant: formatMoney(result.grantAmount),
          ownShare: formatMoney(result.ownShare),
        }).to.deep.equal({
          eligible: testCase.eligible,
          vat: testCase.vat,
          grant: testCase.grant,
          ownShare: testCase.ownShare,
        });
        if (testCase.capRemaining !== undefined) {
          expect(formatMoney(result.capRemaining)).to.equal(testCase.capRemaining);
        }
        // Invariants every case must hold.
        expect(result.grantAmount >= 0n, "grant never negative").to.equal(true);
        expect(result.grantAmount <= result.eligibleAmount, "grant never above the eligible amount").to.equal(true);
        expect(result.ownShare).to.equal(result.eligibleAmount + result.vatAmount - result.grantAmount);
        expect(result.lineVats).to.have.length(testCase.lines.length);
        expect(result.lineVats.reduce((sum, vat) => sum + vat, 0n)).to.equal(result.vatAmount);
      });
    }

    it(`has at least 30 grant cases in its table (${GRANT_CASES.length})`, () => {
      expect(GRANT_CASES.length).to.be.at.least(30);
    });

    it("returns the VAT of each line in the lines' order", () => {
      const result = computeGrant(
        [line("1000.00", "0.20"), line("1000.00", "0.07"), line("0.05", "0.10")],
        { rate: parseRate("0.60"), capPerCompany: money("400000.00") },
        0n,
      );
      expect(result.lineVats.map(formatMoney)).to.deep.equal(["200.00", "70.00", "0.01"]);
    });

    it("reports the cap left before this application: cap − approved", () => {
      const result = computeGrant([], { rate: 6000n, capPerCompany: money("400000.00") }, money("123456.78"));
      expect(formatMoney(result.capRemaining)).to.equal("276543.22");
    });

    it("never mutates the lines it is given", () => {
      const lines = [line("100.00", "0.20")];
      const copy = lines.map((entry) => ({ ...entry }));
      computeGrant(lines, { rate: 6000n, capPerCompany: 40_000_000n }, 0n);
      expect(lines).to.deep.equal(copy);
    });

    it("keeps every centime on the largest sum a NUMERIC(14,2) can hold, split over 50 lines", () => {
      // 49 lines of 20,000,000,000.00 and one of 19,999,999,999.99: exactly MAX_CENTIMES.
      const lines = [
        ...Array.from({ length: 49 }, () => line("20000000000.00", "0.00")),
        line("19999999999.99", "0.00"),
      ];
      const result = computeGrant(lines, { rate: parseRate("1"), capPerCompany: MAX_CENTIMES }, 0n);
      expect(result.eligibleAmount).to.equal(MAX_CENTIMES);
      expect(result.grantAmount).to.equal(MAX_CENTIMES);
      expect(formatMoney(result.grantAmount)).to.equal("999999999999.99");
    });
  });

  describe("lineVat (half up to the centime)", () => {
    const VAT_CASES: Array<{ amount: string; rate: string; vat: string; why: string }> = [
      { amount: "0.05", rate: "0.07", vat: "0.00", why: "0.0035 rounds down" },
      { amount: "0.07", rate: "0.07", vat: "0.00", why: "0.0049 rounds down" },
      { amount: "0.08", rate: "0.07", vat: "0.01", why: "0.0056 rounds up" },
      { amount: "0.05", rate: "0.10", vat: "0.01", why: "0.005 is a half: up" },
      { amount: "0.04", rate: "0.10", vat: "0.00", why: "0.004 rounds down" },
      { amount: "0.15", rate: "0.10", vat: "0.02", why: "0.015 is a half: up (not to even)" },
      { amount: "0.25", rate: "0.10", vat: "0.03", why: "0.025 is a half: up (not to even)" },
      { amount: "0.35", rate: "0.10", vat: "0.04", why: "0.035 is a half: up" },
      { amount: "0.03", rate: "0.14", vat: "0.00", why: "0.0042 rounds down" },
      { amount: "0.04", rate: "0.14", vat: "0.01", why: "0.0056 rounds up" },
      { amount: "0.25", rate: "0.14", vat: "0.04", why: "0.035 is a half: up" },
      { amount: "1.25", rate: "0.14", vat: "0.18", why: "0.175 is a half: up" },
      { amount: "0.02", rate: "0.20", vat: "0.00", why: "0.004 rounds down" },
      { amount: "0.03", rate: "0.20", vat: "0.01", why: "0.006 rounds up" },
      { amount: "0.25", rate: "0.20", vat: "0.05", why: "exact" },
      { amount: "12500.00", rate: "0.20", vat: "2500.00", why: "exact" },
      { amount: "100.00", rate: "0.00", vat: "0.00", why: "exempt" },
      { amount: "999999999999.99", rate: "0.00", vat: "0.00", why: "exempt, however large" },
      { amount: "999999999999.99", rate: "0.07", vat: "70000000000.00", why: "69,999,999,999.9993 rounds up" },
      { amount: "999999999999.99", rate: "0.20", vat: "200000000000.00", why: "199,999,999,999.998 rounds up" },
      { amount: "0.00", rate: "0.20", vat: "0.00", why: "nothing" },
    ];
    for (const { amount, rate, vat, why } of VAT_CASES) {
      it(`${amount} at ${rate} → ${vat} (${why})`, () => {
        expect(formatMoney(lineVat(line(amount, rate)))).to.equal(vat);
      });
    }

    it("knows exactly the Moroccan rates 0, 7, 10, 14 and 20 %", () => {
      expect([...VAT_RATES]).to.deep.equal(["0.00", "0.07", "0.10", "0.14", "0.20"]);
    });
  });

  describe("money inputs the API refuses (complements money.test.ts)", () => {
    const REFUSED: Array<{ input: string; failure: string }> = [
      { input: "12.345", failure: "too-many-decimals" },
      { input: "1 000", failure: "format" },
      { input: "12 ", failure: "format" },
      { input: "+12", failure: "format" },
      { input: "12.5.0", failure: "format" },
      { input: "-0.01", failure: "negative" },
      { input: "1e-2", failure: "format" },
      { input: "1E5", failure: "format" },
      { input: "１２", failure: "format" },
      { input: "١٢", failure: "format" },
      { input: "12.50\n", failure: "format" },
      { input: "0.1e1", failure: "format" },
    ];
    for (const { input, failure } of REFUSED) {
      it(`refuses ${JSON.stringify(input)} as ${failure}`, () => {
        expect(parseMoney(input)).to.equal(null);
        expect(describeMoneyInput(input)).to.equal(failure);
      });
    }
  });
});
