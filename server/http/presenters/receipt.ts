import type { Transaction } from "sequelize";
import type { Assessment, LoadedApplication } from "../../commands/applicationAssessment.js";
import { formatMoney, formatRate } from "../../domain/money.js";
import { Region, type User } from "../../models/index.js";
import type { ReceiptData } from "../../pdf/receipt.js";

/** What the receipt prints, as JSON: frozen at submission and stored with it. */
export type ReceiptSnapshot = Omit<ReceiptData, "submittedAt"> & { submittedAt: string };

export async function receiptData(
  loaded: LoadedApplication,
  assessment: Assessment,
  submissionNumber: number,
  filedBy: User,
  publicUrl: string,
  transaction: Transaction,
): Promise<ReceiptSnapshot> {
  const { application, company, call, sector, solutions, lines, documents } = loaded;
  const region = await Region.findByPk(company.regionCode, { transaction });
  const { computation } = assessment;
  return {
    reference: application.reference ?? "",
    submittedAt: (application.submittedAt ?? new Date()).toISOString(),
    submissionNumber,
    status: application.status,
    company: {
      name: company.name,
      ice: company.ice,
      city: company.city,
      regionName: { fr: region?.nameFr ?? company.regionCode, ar: region?.nameAr ?? company.regionCode },
    },
    callTitle: { fr: call.titleFr, ar: call.titleAr },
    sectorName: { fr: sector.nameFr, ar: sector.nameAr },
    description: application.description,
    solutions: solutions.map((solution) => ({ fr: solution.nameFr, ar: solution.nameAr })),
    lines: lines.map((line, index) => ({
      category: line.category,
      label: line.label,
      supplierName: line.supplier?.name ?? null,
      amountExclTax: line.amountExclTax,
      vatRate: line.vatRate,
      vatAmount: formatMoney(computation.lineVats[index] ?? 0n),
    })),
    totals: {
      eligibleAmount: formatMoney(computation.eligibleAmount),
      vatAmount: formatMoney(computation.vatAmount),
      grantAmount: formatMoney(computation.grantAmount),
      ownShare: formatMoney(computation.ownShare),
      rate: formatRate(assessment.rate),
      cap: formatMoney(assessment.cap),
    },
    documents: documents.map((document) => ({
      type: document.type,
      originalName: document.originalName,
      size: Number(document.sizeBytes),
      sha256: document.sha256,
    })),
    filedBy: {
      name: filedBy.fullName,
      role: filedBy.role === "prescriber" ? "prescriber" : "applicant",
      organisation: filedBy.prescriberOrganisation ?? null,
    },
    applicationUrl: `${publicUrl}/dossiers/${application.id}`,
  };
}
