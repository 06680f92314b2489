import { expect } from "chai";
import {
  applyRate,
  describeMoneyInput,
  formatMoney,
  formatRate,
  fromDatabase,
  MAX_CENTIMES,
  minCentimes,
  parseMoney,
  parseRate,
  sumCentimes,
  type Centimes,
  type MoneyParseFailure,
} from "../../server/domain/money.js";

// Every amount here is a BigInt count of centimes or a decimal string: never a JavaScript number.

describe("money", () => {
  describe("parseMoney", () => {
    const valid: Array<{ input: string; expected: Centimes }> = [
      { input: "0", expected: 0n },
      { input: "0.5", expected: 50n },
      { input: "0.05", expected: 5n },
      { input: "12.50", expected: 1250n },
      { input: "12", expected: 1200n },
      { input: "400000.00", expected: 40_000_000n },
      { input: "666666.67", expected: 66_666_667n },
      { input: "999999999999.99", expected: 99_999_999_999_999n },
    ];
    for (const { input, expected } of valid) {
      it(`reads "${input}" as ${expected} centimes`, () => {
        expect(parseMoney(input)).to.equal(expected);
      });
    }

    it("accepts exactly the largest NUMERIC(14,2) amount", () => {
      expect(parseMoney("999999999999.99")).to.equal(MAX_CENTIMES);
    });

    const invalid = [
      "1e5",
      "399999.999",
      "-1",
      "-0.01",
      "12,50",
      "",
      " 12",
      "12 ",
      "12.",
      ".5",
      "0012",
      "00",
      "1000000000000.00",
      "1000000000000",
      "NaN",
      "Infinity",
      "0x10",
      "+12",
      "1 000",
      "12.5.0",
    ];
    for (const input of invalid) {
      it(`refuses ${JSON.stringify(input)}`, () => {
        expect(parseMoney(input)).to.equal(null);
      });
    }
  });

  describe("describeMoneyInput", () => {
    const cases: Array<{ input: string; expected: MoneyParseFailure | null }> = [
      { input: "12.50", expected: null },
      { input: "0", expected: null },
      { input: "999999999999.99", expected: null },
      { input: "-1", expected: "negative" },
      { input: "-12.50", expected: "negative" },
      { input: "-0.001", expected: "negative" },
      { input: "399999.999", expected: "too-many-decimals" },
      { input: "0.001", expected: "too-many-decimals" },
      { input: "1000000000000.00", expected: "too-large" },
      { input: "1000000000000", expected: "too-large" },
      { input: "99999999999999.9", expected: "too-large" },
      { input: "12,50", expected: "format" },
      { input: "", expected: "format" },
      { input: "1e5", expected: "format" },
      { input: " 12", expected: "format" },
      { input: "12.", expected: "format" },
      { input: ".5", expected: "format" },
      { input: "0012", expected: "format" },
      { input: "NaN", expected: "format" },
      { input: "Infinity", expected: "format" },
      { input: "0x10", expected: "format" },
    ];
    for (const { input, expected } of cases) {
      it(`classifies ${JSON.stringify(input)} as ${String(expected)}`, () => {
        expect(describeMoneyInput(input)).to.equal(expected);
      });
    }

    it("agrees with parseMoney: no failure exactly when parseMoney reads a value", () => {
      for (const { input } of cases) {
        expect(describeMoneyInput(input) === null, input).to.equal(parseMoney(input) !== null);
      }
    });
  });

  describe("formatMoney", () => {
    const cases: Array<{ input: Centimes; expected: string }> = [
      { input: 0n, expected: "0.00" },
      { input: 1n, expected: "0.01" },
      { input: 5n, expected: "0.05" },
      { input: 50n, expected: "0.50" },
      { input: 1250n, expected: "12.50" },
      { input: 40_000_000n, expected: "400000.00" },
      { input: 32_000_000_000n, expected: "320000000.00" },
      { input: MAX_CENTIMES, expected: "999999999999.99" },
      { input: -5n, expected: "-0.05" },
      { input: -150n, expected: "-1.50" },
      { input: -40_000_000n, expected: "-400000.00" },
    ];
    for (const { input, expected } of cases) {
      it(`writes ${input} centimes as "${expected}"`, () => {
        expect(formatMoney(input)).to.equal(expected);
      });
    }

    it("round-trips every canonical amount through parseMoney", () => {
      for (const text of ["0.00", "0.05", "12.50", "400000.00", "999999999999.99"]) {
        const centimes = parseMoney(text);
        expect(centimes, text).to.not.equal(null);
        expect(formatMoney(centimes ?? -1n)).to.equal(text);
      }
    });
  });

  describe("fromDatabase", () => {
    const valid: Array<{ input: string; expected: Centimes }> = [
      { input: "0.00", expected: 0n },
      { input: "0.05", expected: 5n },
      { input: "12.50", expected: 1250n },
      { input: "-3.00", expected: -300n },
      { input: "-0.05", expected: -5n },
      { input: "400000.00", expected: 40_000_000n },
      { input: "999999999999.99", expected: MAX_CENTIMES },
    ];
    for (const { input, expected } of valid) {
      it(`reads NUMERIC "${input}" as ${expected} centimes`, () => {
        expect(fromDatabase(input)).to.equal(expected);
      });
    }

    for (const input of ["12.5", "12", "12.500", "", "abc", "1e5", "+1.00", "1,00", " 1.00"]) {
      it(`throws a TypeError on ${JSON.stringify(input)}`, () => {
        expect(() => fromDatabase(input)).to.throw(TypeError, "Not a NUMERIC(14,2) value");
      });
    }
  });

  describe("parseRate", () => {
    const valid: Array<{ input: string; expected: bigint }> = [
      { input: "0.60", expected: 6000n },
      { input: "0.6", expected: 6000n },
      { input: "0.6000", expected: 6000n },
      { input: "1", expected: 10_000n },
      { input: "1.00", expected: 10_000n },
      { input: "1.0000", expected: 10_000n },
      { input: "0.605", expected: 6050n },
      { input: "0.0005", expected: 5n },
      { input: "0", expected: 0n },
    ];
    for (const { input, expected } of valid) {
      it(`reads "${input}" as ${expected} ten-thousandths`, () => {
        expect(parseRate(input)).to.equal(expected);
      });
    }

    const invalid = ["1.5", "1.0001", "0.60001", "-0.1", "", "2", ".6", "0,60", "60%", "0.6 "];
    for (const input of invalid) {
      it(`refuses ${JSON.stringify(input)} with a TypeError`, () => {
        expect(() => parseRate(input)).to.throw(TypeError);
      });
    }
  });

  describe("formatRate", () => {
    const cases: Array<{ input: bigint; expected: string }> = [
      { input: 6000n, expected: "0.60" },
      { input: 6500n, expected: "0.65" },
      { input: 6100n, expected: "0.61" },
      { input: 6050n, expected: "0.605" },
      { input: 6010n, expected: "0.601" },
      { input: 6005n, expected: "0.6005" },
      { input: 5n, expected: "0.0005" },
      { input: 10_000n, expected: "1.00" },
      { input: 0n, expected: "0.00" },
    ];
    for (const { input, expected } of cases) {
      it(`writes ${input} ten-thousandths as "${expected}"`, () => {
        expect(formatRate(input)).to.equal(expected);
      });
    }

    const roundTrips: Array<{ input: string; expected: string }> = [
      { input: "0.60", expected: "0.60" },
      { input: "0.6000", expected: "0.60" },
      { input: "1", expected: "1.00" },
      { input: "1.00", expected: "1.00" },
      { input: "0.605", expected: "0.605" },
      { input: "0.0005", expected: "0.0005" },
    ];
    for (const { input, expected } of roundTrips) {
      it(`normalises "${input}" to "${expected}"`, () => {
        expect(formatRate(parseRate(input))).to.equal(expected);
      });
    }
  });

  describe("applyRate (floors to the centime)", () => {
    const sixtyPercent = 6000n;
    const cases: Array<{ label: string; amount: string; rate: bigint; expected: string }> = [
      { label: "SPEC: 60 % of 100,000.00", amount: "100000.00", rate: sixtyPercent, expected: "60000.00" },
      {
        label: "SPEC: 60 % of 666,666.67 is 400,000.002",
        amount: "666666.67",
        rate: sixtyPercent,
        expected: "400000.00",
      },
      { label: "SPEC: 60 % of 0.05 is 0.03", amount: "0.05", rate: sixtyPercent, expected: "0.03" },
      { label: "60 % of 0.01 is 0.006", amount: "0.01", rate: sixtyPercent, expected: "0.00" },
      { label: "60 % of 0.99 is 0.594", amount: "0.99", rate: sixtyPercent, expected: "0.59" },
      { label: "60 % of 0.00", amount: "0.00", rate: sixtyPercent, expected: "0.00" },
      { label: "60.05 % of 1,000.01 is 600.506005", amount: "1000.01", rate: 6005n, expected: "600.50" },
      { label: "100 % of an amount is the amount", amount: "123456.78", rate: 10_000n, expected: "123456.78" },
      { label: "0 % of an amount is nothing", amount: "123456.78", rate: 0n, expected: "0.00" },
      {
        label: "60 % of the largest amount",
        amount: "999999999999.99",
        rate: sixtyPercent,
        expected: "599999999999.99",
      },
    ];
    for (const { label, amount, rate, expected } of cases) {
      it(`${label} → ${expected}`, () => {
        const centimes = parseMoney(amount);
        if (centimes === null) throw new Error(`bad fixture ${amount}`);
        expect(formatMoney(applyRate(centimes, rate))).to.equal(expected);
      });
    }

    it("SPEC: the grant of 666,666.67 at 60 % under a 400,000.00 cap is 400,000.00", () => {
      const grant = minCentimes(applyRate(66_666_667n, parseRate("0.60")), 40_000_000n);
      expect(formatMoney(grant)).to.equal("400000.00");
    });

    it("SPEC: the cap wins over 60 % of 1,000,000.00", () => {
      const grant = minCentimes(applyRate(100_000_000n, parseRate("0.60")), 40_000_000n);
      expect(formatMoney(grant)).to.equal("400000.00");
    });

    it("refuses a negative amount", () => {
      expect(() => applyRate(-1n, 6000n)).to.throw(RangeError);
    });
  });

  describe("minCentimes", () => {
    const cases: Array<{ input: [Centimes, ...Centimes[]]; expected: Centimes }> = [
      { input: [5n], expected: 5n },
      { input: [5n, 3n, 9n], expected: 3n },
      { input: [40_000_000n, 40_000_000n], expected: 40_000_000n },
      { input: [0n, 1n], expected: 0n },
      { input: [-5n, 0n, 5n], expected: -5n },
      { input: [99_999_999_999_999n, 99_999_999_999_998n], expected: 99_999_999_999_998n },
    ];
    for (const { input, expected } of cases) {
      it(`min(${input.join(", ")}) = ${expected}`, () => {
        expect(minCentimes(...input)).to.equal(expected);
      });
    }
  });

  describe("sumCentimes", () => {
    const cases: Array<{ input: Centimes[]; expected: Centimes }> = [
      { input: [], expected: 0n },
      { input: [1250n], expected: 1250n },
      { input: [1n, 2n, 3n], expected: 6n },
      { input: [10n, -10n], expected: 0n },
      // 0.1 + 0.2 is exactly 0.30 here, unlike with floats.
      { input: [10n, 20n], expected: 30n },
    ];
    for (const { input, expected } of cases) {
      it(`sum(${input.join(", ") || "nothing"}) = ${expected}`, () => {
        expect(sumCentimes(input)).to.equal(expected);
      });
    }

    it("sums any iterable, e.g. a generator", () => {
      function* amounts(): Generator<Centimes> {
        yield 1n;
        yield 99n;
      }
      expect(sumCentimes(amounts())).to.equal(100n);
    });

    it("SPEC: the Productivité PME budget lines 2009–2013 sum to exactly 320,000,000.00", () => {
      const lines = ["73000000.00", "64000000.00", "63000000.00", "61000000.00", "59000000.00"].map((line) => {
        const centimes = parseMoney(line);
        if (centimes === null) throw new Error(`bad fixture ${line}`);
        return centimes;
      });
      expect(formatMoney(sumCentimes(lines))).to.equal("320000000.00");
    });
  });
});
