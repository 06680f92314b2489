import { expect } from "chai";
import ar from "../../server/i18n/ar.json" with { type: "json" };
import fr from "../../server/i18n/fr.json" with { type: "json" };
import type { ErrorCode } from "../../server/errors.js";
import {
  isLocale,
  isMessageKey,
  localeFromAcceptLanguage,
  translate,
  type Locale,
  type MessageKey,
} from "../../server/i18n/index.js";

const placeholdersOf = (text: string): string[] =>
  [...text.matchAll(/\{\{(\w+)\}\}/g)].map((match) => match[1] ?? "").sort();

describe("i18n", () => {
  describe("localeFromAcceptLanguage", () => {
    const cases: Array<{ input: string | undefined; expected: Locale }> = [
      { input: undefined, expected: "fr" },
      { input: "", expected: "fr" },
      { input: "ar", expected: "ar" },
      { input: "fr", expected: "fr" },
      { input: "ar-MA,ar;q=0.9", expected: "ar" },
      { input: "AR-ma", expected: "ar" },
      { input: "fr-FR,fr;q=0.9,en;q=0.8", expected: "fr" },
      { input: "en-US,fr;q=0.5", expected: "fr" },
      { input: "en-US,ar;q=0.5", expected: "ar" },
      { input: "en", expected: "fr" },
      { input: "en-GB,de;q=0.8", expected: "fr" },
      { input: "*", expected: "fr" },
      { input: "fr;q=0, ar;q=0.1", expected: "ar" },
      { input: "ar;q=0", expected: "fr" },
      { input: "fr;q=0.4, ar;q=0.8", expected: "ar" },
      { input: "fr-FR;q=0.4, ar-MA; q=0.8", expected: "ar" },
      { input: "ar;q=0.8, fr", expected: "fr" },
      { input: "ar;q=0.5, fr;q=0.5", expected: "ar" },
      { input: "ar;q=abc, fr;q=0.1", expected: "fr" },
      { input: "ar;q=abc", expected: "fr" },
      { input: "en;q=1, ar;q=0.2, fr;q=0.1", expected: "ar" },
    ];
    for (const { input, expected } of cases) {
      it(`${JSON.stringify(input)} → ${expected}`, () => {
        expect(localeFromAcceptLanguage(input)).to.equal(expected);
      });
    }
  });

  describe("isLocale and isMessageKey", () => {
    it("knows exactly fr and ar", () => {
      expect(["fr", "ar", "en", "FR", "", null, 1].map((value) => isLocale(value))).to.deep.equal([
        true,
        true,
        false,
        false,
        false,
        false,
        false,
      ]);
    });

    it("knows the keys of the French catalogue", () => {
      expect(isMessageKey("problem.not-found.title")).to.equal(true);
      expect(isMessageKey("problem.nope.title")).to.equal(false);
      expect(isMessageKey("toString")).to.equal(false);
    });
  });

  describe("translate", () => {
    const cases: Array<{
      locale: Locale;
      key: MessageKey;
      params?: Record<string, string | number>;
      expected: string;
    }> = [
      { locale: "fr", key: "problem.not-found.title", expected: "Introuvable" },
      { locale: "ar", key: "problem.not-found.title", expected: "غير موجود" },
      {
        locale: "fr",
        key: "problem.route-not-found.detail",
        params: { path: "/api/v1/nope" },
        expected: "Aucune page ni aucun service ne correspond à l'adresse /api/v1/nope.",
      },
      {
        locale: "ar",
        key: "problem.route-not-found.detail",
        params: { path: "/api/v1/nope" },
        expected: "لا توجد صفحة ولا خدمة تطابق العنوان /api/v1/nope.",
      },
      {
        locale: "fr",
        key: "readiness.migrations-pending",
        params: { count: 3 },
        expected: "La base de données n'est pas à jour : 3 migration(s) en attente.",
      },
      { locale: "fr", key: "field.string.min", params: { limit: 8 }, expected: "Au moins 8 caractères." },
      {
        locale: "fr",
        key: "field.any.only",
        params: { valids: "fr, ar" },
        expected: "Valeur non reconnue. Valeurs possibles : fr, ar.",
      },
      // A missing parameter stays visible rather than becoming "undefined".
      {
        locale: "fr",
        key: "problem.route-not-found.detail",
        expected: "Aucune page ni aucun service ne correspond à l'adresse {{path}}.",
      },
      // Unknown parameters are ignored; values that look like placeholders are not expanded again.
      {
        locale: "fr",
        key: "problem.route-not-found.detail",
        params: { path: "{{path}}", other: "x" },
        expected: "Aucune page ni aucun service ne correspond à l'adresse {{path}}.",
      },
      // "$&" in a value is inserted literally, not as a replacement pattern.
      { locale: "fr", key: "field.string.max", params: { limit: "$&" }, expected: "Au plus $& caractères." },
    ];
    for (const { locale, key, params, expected } of cases) {
      it(`${locale} ${key} ${params ? JSON.stringify(params) : ""}`, () => {
        expect(translate(locale, key, params)).to.equal(expected);
      });
    }

    it("falls back to French when an Arabic message is missing, never to the key", () => {
      const arabic: Record<string, string> = ar;
      const key: MessageKey = "problem.conflict.title";
      const saved = arabic[key];
      if (saved === undefined) throw new Error("fixture: the key exists in ar.json");
      delete arabic[key];
      try {
        expect(translate("ar", key)).to.equal("Action impossible en l'état");
      } finally {
        arabic[key] = saved;
      }
      expect(translate("ar", key)).to.equal("إجراء غير ممكن في الوضع الحالي");
    });
  });

  describe("catalogues", () => {
    const french: Record<string, string> = fr;
    const arabic: Record<string, string> = ar;

    it("fr.json and ar.json have exactly the same keys", () => {
      expect(Object.keys(arabic).sort()).to.deep.equal(Object.keys(french).sort());
    });

    it("no message is empty", () => {
      const empty = [
        ...Object.entries(french).map(([key, value]) => ["fr", key, value] as const),
        ...Object.entries(arabic).map(([key, value]) => ["ar", key, value] as const),
      ]
        .filter(([, , value]) => typeof value !== "string" || value.trim() === "")
        .map(([locale, key]) => `${locale}:${key}`);
      expect(empty).to.deep.equal([]);
    });

    it("each Arabic message uses the same placeholders as its French original", () => {
      const mismatches = Object.keys(french)
        .filter((key) => placeholdersOf(french[key] ?? "").join() !== placeholdersOf(arabic[key] ?? "").join())
        .map(
          (key) =>
            `${key}: fr {${placeholdersOf(french[key] ?? "").join()}} ar {${placeholdersOf(arabic[key] ?? "").join()}}`,
        );
      expect(mismatches).to.deep.equal([]);
    });

    it("the Arabic catalogue is written in Arabic", () => {
      const notArabic = Object.entries(arabic)
        .filter(([, value]) => !/[\u0600-\u06FF]/.test(value))
        .map(([key]) => key);
      expect(notArabic).to.deep.equal([]);
    });

    it("every problem code has a title and a detail in both languages", () => {
      // A Record over ErrorCode: the compiler refuses this list when a code is added to errors.ts.
      const allCodes: Record<ErrorCode, true> = {
        "validation-failed": true,
        "nothing-to-issue": true,
        "not-found": true,
        "route-not-found": true,
        unauthenticated: true,
        forbidden: true,
        conflict: true,
        "payload-too-large": true,
        "malformed-request": true,
        "too-many-requests": true,
        "service-unavailable": true,
        "internal-error": true,
        "csrf-invalid": true,
        "invalid-credentials": true,
        "email-not-verified": true,
        "account-disabled": true,
        "account-locked": true,
        "token-invalid": true,
        "application-ineligible": true,
      };
      const codes = Object.keys(allCodes);
      expect(codes).to.have.length(19);
      for (const code of codes) {
        for (const part of ["title", "detail"]) {
          expect(french, `fr ${code}.${part}`).to.have.property(`problem.${code}.${part}`);
          expect(arabic, `ar ${code}.${part}`).to.have.property(`problem.${code}.${part}`);
        }
      }
    });
  });
});
