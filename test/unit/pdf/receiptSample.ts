import type { ReceiptData } from "../../../server/pdf/receipt.js";

/**
 * A deliberately heavy receipt: 60 investment lines (three pages and more), an Arabic description
 * mixing Latin words and numbers, names that look like markup, and bidi override characters.
 */

const CATEGORIES = ["software", "hardware", "services", "training"] as const;
const VAT_RATES = ["0.20", "0.10", "0.14", "0.07", "0.00"] as const;

/** Amounts from integer centimes, formatted like formatMoney: no float anywhere. */
function money(centimes: bigint): string {
  return `${(centimes / 100n).toString()}.${(centimes % 100n).toString().padStart(2, "0")}`;
}

function vatOf(centimes: bigint, rate: string): bigint {
  const tenThousandths = BigInt(rate.replace("0.", "")) * 100n;
  return (centimes * tenThousandths + 5_000n) / 10_000n;
}

const LABELS = [
  "Licence ERP Sage X3 — module ventes (12 mois)",
  "<script>alert('xss')</script> poste de travail",
  "تكوين المستخدمين على نظام ERP لمدة 3 أيام",
  "Serveur NAS Synology DS923+ avec 4 disques de 4 To",
  "Paramétrage et reprise des données (stock, clients, fournisseurs)",
  "حاسوب محمول HP ProBook 450 G10",
];

const SUPPLIERS = ["Atlas Informatique SARL", "شركة الأطلس للمعلوميات", null, "Maghreb Soft & Co <b>"];

export function sampleLines(count: number): ReceiptData["lines"] {
  return Array.from({ length: count }, (_, index) => {
    const rate = VAT_RATES[index % VAT_RATES.length] ?? "0.20";
    const amount = 125_000n + BigInt(index) * 1_234_567n;
    return {
      category: CATEGORIES[index % CATEGORIES.length] ?? "software",
      label: `${LABELS[index % LABELS.length] ?? ""} n° ${index + 1}`,
      supplierName: SUPPLIERS[index % SUPPLIERS.length] ?? null,
      amountExclTax: money(amount),
      vatRate: rate,
      vatAmount: money(vatOf(amount, rate)),
    };
  });
}

export const ARABIC_DESCRIPTION = [
  "تسعى المقاولة إلى رقمنة تدبير المخزون والمبيعات عبر اعتماد نظام ERP سحابي من نوع Sage X3،",
  "مع تكوين 12 مستخدما خلال 3 أيام، وربط المتجر الإلكتروني WooCommerce بالمحاسبة.",
  "يبلغ الاستثمار الإجمالي 1.250.000,00 درهم دون احتساب الرسوم، ويُنتظر أن يقلص آجال التسليم بنسبة 30%",
  "(من 10 أيام إلى 7 أيام) وأن يرفع رقم المعاملات في أفق سنة 2027.",
].join(" ");

function centimes(amount: string): bigint {
  const [units = "0", fraction = "00"] = amount.split(".");
  return BigInt(units) * 100n + BigInt(fraction);
}

export function sampleReceipt(overrides: Partial<ReceiptData> = {}): ReceiptData {
  const lines = sampleLines(60);
  const eligible = lines.reduce((sum, line) => sum + centimes(line.amountExclTax), 0n);
  const vat = lines.reduce((sum, line) => sum + centimes(line.vatAmount), 0n);
  const cap = 40_000_000n;
  const byRate = (eligible * 6_000n) / 10_000n;
  const grant = byRate < cap ? byRate : cap;
  return {
    reference: "MS-2026-00042",
    submittedAt: new Date("2026-06-15T10:05:00Z"),
    submissionNumber: 2,
    status: "submitted",
    company: {
      name: "Société \u202Egnp.exe\u202C Al Amal <img src=x onerror=alert(1)>",
      ice: "001525362000088",
      city: "الدار البيضاء",
      regionName: { fr: "Casablanca-Settat", ar: "الدار البيضاء سطات" },
    },
    callTitle: {
      fr: "Appel à candidatures 2026 — Transformation numérique des PME",
      ar: "طلب الترشيحات 2026 — التحول الرقمي للمقاولات الصغرى والمتوسطة",
    },
    sectorName: { fr: "Commerce de détail", ar: "تجارة التقسيط" },
    description: `${ARABIC_DESCRIPTION}\n\nRésumé : ERP + formation, \u2067مرجع\u2069 <script>x</script>.`,
    solutions: [
      { fr: "Gestion commerciale et stocks (ERP)", ar: "التدبير التجاري والمخزون (ERP)" },
      { fr: "Caisse enregistreuse connectée", ar: "صندوق تسجيل متصل" },
    ],
    lines,
    totals: {
      eligibleAmount: money(eligible),
      vatAmount: money(vat),
      grantAmount: money(grant),
      ownShare: money(eligible + vat - grant),
      rate: "0.60",
      cap: money(cap),
    },
    documents: [
      {
        type: "quote",
        originalName: "devis_atlas_2026.pdf",
        size: 183_296,
        sha256: "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
      },
      {
        type: "rc_extract",
        originalName: "مستخرج السجل التجاري.pdf",
        size: 2_411_725,
        sha256: "60303ae22b998861bce3b28f33eec1be758a213c86c93c076dbe9f558c11c752",
      },
      {
        type: "sworn_declaration",
        originalName: "<script>alert(1)</script>\u202Efdp.exe",
        size: 812,
        sha256: "ca978112ca1bbdcafac231b39a23dc4da786eff8147c4e72b9807785afee48bb",
      },
    ],
    filedBy: { name: "Karima Benjelloun", role: "prescriber", organisation: "Cabinet Fiduciaire Atlas" },
    applicationUrl: "https://moussanada.example.ma/dossiers/5b7f0f3e-2f1a-4c1e-9a57-3f6d2c1b8e90",
    ...overrides,
  };
}
