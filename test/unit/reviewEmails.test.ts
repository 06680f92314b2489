import { expect } from "chai";
import { displayMoney } from "../../server/i18n/format.js";
import type { Locale } from "../../server/i18n/index.js";
import { escapeHtml, extractLinks, renderEmail, type RenderedEmail } from "../../server/mail/templates.js";

// The e-mails of the review, decision and payment steps: every template renders in both locales,
// shows what the recipient needs, and escapes what officers typed.

const applicationUrl = "https://moussanada.example.ma/dossiers/0b5d3b00-0000-4000-8000-000000000042";
const hostile = "Merci de joindre le devis signé.\n<script>alert(1)</script> & « la facture »";

/** Amounts reach the templates as the server formats them: "135 000,00 MAD" / "135 000,00 درهم". */
const amounts = (locale: Locale) => ({
  eligible: displayMoney(22_500_000n, locale),
  grant: displayMoney(13_500_000n, locale),
  approved: displayMoney(12_000_000n, locale),
  paid: displayMoney(7_200_000n, locale),
});

const common = (locale: Locale): Record<string, string> => ({
  publicUrl: "https://moussanada.example.ma",
  recipientName: "Samira El Idrissi",
  companyName: "Atelier Nour Textile SARL",
  reference: "MS-2026-00042",
  grantAmount: amounts(locale).grant,
  eligibleAmount: amounts(locale).eligible,
  applicationUrl,
});

interface Case {
  template: string;
  data: (locale: Locale) => Record<string, string>;
  /** Values the plain-text part must show as given. */
  shown: (locale: Locale) => string[];
  /** Whether the template quotes free text typed by an officer, which may carry markup. */
  quotesFreeText: boolean;
}

const cases: Case[] = [
  {
    template: "application-info-requested",
    data: () => ({ message: hostile }),
    shown: (locale) => [hostile, amounts(locale).eligible, amounts(locale).grant],
    quotesFreeText: true,
  },
  {
    template: "application-approved",
    data: (locale) => ({ approvedAmount: amounts(locale).approved, comment: hostile }),
    shown: (locale) => [amounts(locale).approved, amounts(locale).eligible, hostile],
    quotesFreeText: true,
  },
  {
    template: "application-rejected",
    data: () => ({ reason: hostile }),
    shown: (locale) => [hostile, amounts(locale).eligible, amounts(locale).grant],
    quotesFreeText: true,
  },
  {
    template: "application-cancelled",
    data: () => ({ reason: hostile }),
    shown: () => [hostile],
    quotesFreeText: true,
  },
  {
    template: "application-paid",
    data: (locale) => ({ paidAmount: amounts(locale).paid, paymentReference: "VIR-2026-0815" }),
    shown: (locale) => [amounts(locale).paid, "VIR-2026-0815"],
    quotesFreeText: false,
  },
];

const locales: Locale[] = ["fr", "ar"];
const ARABIC_LETTER = /[\u0600-\u06FF]/;

describe("review e-mails", () => {
  for (const { template, data, shown, quotesFreeText } of cases) {
    for (const locale of locales) {
      describe(`${locale}/${template}`, () => {
        let email: RenderedEmail;
        before(() => {
          email = renderEmail(template, locale, { ...common(locale), ...data(locale) });
        });

        it("names the file in the subject", () => {
          expect(email.subject).to.include("MS-2026-00042");
          expect(email.subject).to.include("Atelier Nour Textile SARL");
          expect(email.subject).not.to.match(/\{\{|\}\}/);
        });

        it("writes the subject in the recipient's language", () => {
          if (locale === "ar") expect(email.subject).to.match(ARABIC_LETTER);
          else expect(email.subject).not.to.match(ARABIC_LETTER);
        });

        it("shows the amounts, references and officer's text in the plain-text part", () => {
          for (const value of shown(locale)) expect(email.text).to.include(value);
          expect(email.text).to.include("Samira El Idrissi");
          expect(email.text).not.to.match(/\{\{|\}\}/);
        });

        it("links to the application page in both parts", () => {
          expect(email.text).to.include(applicationUrl);
          expect(email.html).to.include(`href="${applicationUrl}"`);
          expect(extractLinks(email)).to.include(applicationUrl);
        });

        it("escapes every value in the HTML part", () => {
          expect(email.html).not.to.include("<script>");
          expect(email.html).not.to.match(/\{\{|\}\}/);
          for (const value of shown(locale)) expect(email.html).to.include(escapeHtml(value));
          expect(email.html).to.include(`<html lang="${locale}" dir="${locale === "ar" ? "rtl" : "ltr"}">`);
          if (quotesFreeText) {
            expect(email.html).to.include("&lt;script&gt;alert(1)&lt;/script&gt; &amp; « la facture »");
            // The line break survives inside the quoted block.
            expect(email.html).to.include("Merci de joindre le devis signé.\n&lt;script&gt;");
          }
        });
      });
    }
  }

  it("reads well when the approval comes with no comment", () => {
    for (const locale of locales) {
      const email = renderEmail("application-approved", locale, {
        ...common(locale),
        approvedAmount: amounts(locale).approved,
        comment: "",
      });
      expect(email.text).to.include(amounts(locale).approved);
      // Prettier puts a line break after <pre>, which the HTML parser drops.
      expect(email.html).to.match(/<pre[^>]*>\n?<\/pre>/);
    }
  });
});
