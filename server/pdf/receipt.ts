import { isMessageKey, translate, type Locale, type MessageKey } from "../i18n/index.js";
import { isolate, stripBidiControls, type Direction } from "./bidi.js";
import { renderPdfToBuffer } from "./document.js";
import { formatAmount, formatDate, formatFileSize, formatPercent, formatTime } from "./format.js";
import { drawTable, PageFlow, type TableColumn, type TableStyle } from "./layout.js";
import { drawQrCode } from "./qr.js";
import { DEFAULT_LEADING, drawText, drawTextBlock, layoutText, widthOfText, type TextStyle } from "./text.js";

/** Everything the receipt prints, frozen at submission (the snapshot stored with it). */
export interface ReceiptData {
  reference: string; // "MS-2026-00042"
  submittedAt: Date; // shown as date and time in Africa/Casablanca
  submissionNumber: number; // 1 = first submission; 2+ = resubmission after a request for information
  status: string; // application status code, e.g. "submitted"
  company: { name: string; ice: string; city: string; regionName: { fr: string; ar: string } };
  callTitle: { fr: string; ar: string };
  sectorName: { fr: string; ar: string };
  description: string; // free text typed by the user, in any language, possibly empty
  solutions: Array<{ fr: string; ar: string }>;
  lines: Array<{
    category: "software" | "hardware" | "services" | "training";
    label: string;
    supplierName: string | null;
    amountExclTax: string; // "400000.00"
    vatRate: string; // "0.20"
    vatAmount: string;
  }>;
  totals: {
    eligibleAmount: string;
    vatAmount: string;
    grantAmount: string;
    ownShare: string;
    rate: string; // "0.60"
    cap: string;
  };
  documents: Array<{
    type: string; // quote|rc_extract|tax_certificate|cnss_certificate|sworn_declaration|statutes|financial_statements|other
    originalName: string;
    size: number; // bytes
    sha256: string; // hex
  }>;
  filedBy: { name: string; role: "applicant" | "prescriber"; organisation: string | null };
  applicationUrl: string; // link to the application page (also printed as a QR code)
}

interface FieldBlock {
  height: number;
  /** Draws at the flow's y and returns the y below the field. */
  draw: () => number;
}

const COLORS = {
  brand: "#0f4c5c",
  accent: "#b5452f",
  text: "#1a1a1a",
  muted: "#5b6570",
  rule: "#c8ced6",
  headerFill: "#e3ecef",
  stripe: "#f5f7f8",
  box: "#f0f4f5",
};

const MARGINS = { top: 42, right: 48, bottom: 58, left: 48 };
const FOOTER_GAP = 18;

/**
 * Text typed by users is only ever drawn as glyphs, never interpreted; what is removed are the
 * characters that could make it display as something else: explicit bidi embeddings, overrides and
 * isolates, and control characters. Single-line fields also lose their line breaks.
 */
function userText(value: string, multiline = false): string {
  const cleaned = stripBidiControls(value)
    .replace(/\r\n?/g, "\n")
    .replace(/\p{Cc}/gu, (char) => (char === "\n" ? "\n" : char === "\t" ? " " : ""));
  return multiline ? cleaned : cleaned.replace(/\s*\n\s*/g, " ");
}

/** A line's VAT rate ("0.20") as "20 %"; anything unexpected is printed as it is. */
function vatPercent(rate: string, locale: Locale): string {
  return /^(0|1)(\.\d{1,4})?$/.test(rate) ? formatPercent(rate, locale) : userText(rate);
}

function labelOf(locale: Locale, key: string, fallback: string): string {
  return isMessageKey(key) ? translate(locale, key) : fallback;
}

class ReceiptWriter {
  private readonly flow: PageFlow;
  private readonly locale: Locale;
  private readonly direction: Direction;
  private readonly leading: number;

  constructor(
    private readonly doc: PDFKit.PDFDocument,
    private readonly data: ReceiptData,
    locale: Locale,
  ) {
    this.locale = locale;
    this.direction = locale === "ar" ? "rtl" : "ltr";
    // Naskh letters reach further above and below the line than Latin ones.
    this.leading = locale === "ar" ? 1.6 : DEFAULT_LEADING;
    this.flow = new PageFlow(doc, {
      direction: this.direction,
      margins: MARGINS,
      onNewPage: () => this.pageBand(),
    });
  }

  /** A message with each parameter isolated, so a Latin value cannot reorder an Arabic sentence. */
  private t(key: MessageKey, params: Record<string, string | number> = {}): string {
    const isolated = Object.fromEntries(Object.entries(params).map(([name, value]) => [name, isolate(String(value))]));
    return translate(this.locale, key, isolated);
  }

  private style(size: number, options: Partial<TextStyle> = {}): TextStyle {
    return { size, leading: this.leading, color: COLORS.text, ...options };
  }

  private localized(value: { fr: string; ar: string }): string {
    return userText(value[this.locale]);
  }

  draw(): void {
    this.header();
    this.companySection();
    this.applicationSection();
    this.linesSection();
    this.totalsSection();
    this.documentsSection();
    this.filedBySection();
    this.footers();
  }

  /** The coloured band across the top of every page. */
  private pageBand(): void {
    const { doc, flow } = this;
    doc.save().rect(0, 0, flow.pageWidth, 8).fill(COLORS.brand).restore();
    doc.save().rect(0, 8, flow.pageWidth, 2).fill(COLORS.accent).restore();
  }

  private header(): void {
    const { doc, flow, data } = this;
    this.pageBand();

    const qrSize = 64;
    const textWidth = flow.width - qrSize - 24;
    const top = flow.y;
    drawQrCode(doc, data.applicationUrl, flow.x(flow.width - qrSize, qrSize), top, qrSize, COLORS.text);
    drawText(doc, this.t("receipt.qr-caption"), flow.x(flow.width - qrSize - 12, qrSize + 24), top + qrSize + 1, {
      ...this.style(6.5, { color: COLORS.muted, leading: 1.3 }),
      width: qrSize + 24,
      direction: this.direction,
      align: "center",
    });
    flow.paragraph(this.t("receipt.programme"), {
      ...this.style(15, { weight: "bold", color: COLORS.brand, leading: 1.3 }),
      width: textWidth,
    });
    flow.paragraph(this.t("receipt.programme-tagline"), {
      ...this.style(8.5, { color: COLORS.muted, leading: 1.4 }),
      width: textWidth,
    });
    flow.space(8);
    flow.paragraph(this.t("receipt.title"), {
      ...this.style(19, { weight: "bold", leading: 1.3 }),
      width: textWidth,
    });
    flow.y = Math.max(flow.y, top + qrSize + 10);
    flow.space(4);
    this.referenceCard();
  }

  /** The reference, large, beside when and how the file was submitted. */
  private referenceCard(): void {
    const { doc, flow, data } = this;
    const padding = 9;
    const referenceWidth = 190;
    const detailsWidth = flow.width - referenceWidth - 3 * padding;
    const label = flow.layout(this.t("receipt.reference"), {
      ...this.style(8.5, { color: COLORS.muted, leading: 1.4 }),
      width: referenceWidth,
    });
    const reference = flow.layout(userText(data.reference), {
      ...this.style(20, { weight: "bold", color: COLORS.brand, leading: 1.25 }),
      width: referenceWidth,
      direction: "ltr",
      align: flow.align("start"),
    });
    const submission =
      data.submissionNumber > 1
        ? this.t("receipt.submission.again", { number: data.submissionNumber })
        : this.t("receipt.submission.first");
    const status = labelOf(this.locale, `application-status.${data.status}`, userText(data.status));
    const when = flow.layout(
      this.t("receipt.submitted-at", {
        date: formatDate(data.submittedAt, this.locale),
        time: formatTime(data.submittedAt),
      }),
      { ...this.style(9.5, { weight: "bold" }), width: detailsWidth },
    );
    const how = flow.layout(`${submission} ${this.t("receipt.status", { status })}`, {
      ...this.style(9),
      width: detailsWidth,
    });
    const height = Math.max(label.height + reference.height, when.height + how.height) + 2 * padding;
    const top = flow.y;
    doc.save().rect(flow.margins.left, top, flow.width, height).fill(COLORS.box).restore();
    doc.save().rect(flow.x(0, 3), top, 3, height).fill(COLORS.brand).restore();
    flow.y = top + padding;
    flow.drawBlock(label, padding);
    flow.drawBlock(reference, padding);
    const details = when.height + how.height;
    flow.y = top + (height - details) / 2;
    flow.drawBlock(when, referenceWidth + 2 * padding);
    flow.drawBlock(how, referenceWidth + 2 * padding);
    flow.y = top + height;
  }

  private section(key: MessageKey, keepWith = 60): void {
    const { flow } = this;
    const heading = flow.layout(this.t(key), this.style(11, { weight: "bold", color: COLORS.brand, leading: 1.35 }));
    flow.space(9);
    flow.ensure(heading.height + 5 + keepWith);
    flow.drawBlock(heading);
    flow.rule(COLORS.brand, 0.8);
    flow.space(5);
  }

  /**
   * Label and value side by side, over the whole width or in one of two columns. The value is
   * user text, so its own direction decides how it reads.
   */
  private field(
    label: string,
    value: string,
    options: { valueDirection?: Direction | "auto"; column?: { offset: number; width: number } } = {},
  ): FieldBlock {
    const { flow } = this;
    const column = options.column ?? { offset: 0, width: flow.width };
    const labelWidth = Math.min(150, column.width * 0.36);
    const gap = 8;
    const labelBlock = flow.layout(label, { ...this.style(9, { color: COLORS.muted }), width: labelWidth });
    const valueBlock = flow.layout(value, {
      ...this.style(9.5),
      width: column.width - labelWidth - gap,
      direction: options.valueDirection ?? "auto",
      align: flow.align("start"),
    });
    return {
      height: Math.max(labelBlock.height, valueBlock.height),
      draw: () => {
        const top = flow.y;
        flow.drawBlock(labelBlock, column.offset);
        flow.y = top;
        // Only a value taller than a whole page (a long list) continues on the next one.
        flow.drawBlock(valueBlock, column.offset + labelWidth + gap);
        return flow.y;
      },
    };
  }

  /** Draws fields on one row: the row moves to the next page as a whole when it fits on one. */
  private row(...fields: FieldBlock[]): void {
    const { flow } = this;
    const height = Math.max(...fields.map((field) => field.height));
    const fitsOnAPage = height <= flow.bottom - flow.margins.top;
    flow.ensure(fitsOnAPage ? height : 3 * 14);
    const top = flow.y;
    let bottom = top;
    for (const field of fields) {
      flow.y = top;
      bottom = Math.max(bottom, field.draw());
    }
    flow.y = (fitsOnAPage ? top + height : bottom) + 2;
  }

  private halves(): [{ offset: number; width: number }, { offset: number; width: number }] {
    const gap = 16;
    const width = (this.flow.width - gap) / 2;
    return [
      { offset: 0, width },
      { offset: width + gap, width },
    ];
  }

  private companySection(): void {
    const { company } = this.data;
    const [first, second] = this.halves();
    this.section("receipt.section.company");
    this.row(
      this.field(this.t("receipt.company.name"), userText(company.name), { column: first }),
      this.field(this.t("receipt.company.ice"), userText(company.ice), { column: second, valueDirection: "ltr" }),
    );
    this.row(
      this.field(this.t("receipt.company.city"), userText(company.city), { column: first }),
      this.field(this.t("receipt.company.region"), this.localized(company.regionName), { column: second }),
    );
  }

  private applicationSection(): void {
    const { data, flow } = this;
    this.section("receipt.section.application");
    this.row(this.field(this.t("receipt.call"), this.localized(data.callTitle)));
    this.row(this.field(this.t("receipt.sector"), this.localized(data.sectorName)));
    const solutions = data.solutions.map((solution) => `•\u00A0${this.localized(solution)}`).join("\n");
    this.row(this.field(this.t("receipt.solutions"), solutions || this.t("receipt.no-solutions")));

    flow.space(6);
    const label = flow.layout(this.t("receipt.description"), this.style(9, { color: COLORS.muted }));
    const description = userText(data.description, true).trim();
    const body = flow.layout(description || this.t("receipt.no-description"), {
      ...this.style(9.5, description ? {} : { color: COLORS.muted }),
      direction: description ? "auto" : this.direction,
    });
    flow.ensure(label.height + Math.min(body.height, body.lineHeight * 3));
    flow.drawBlock(label);
    flow.drawBlock(body);
  }

  private tableStyle(): TableStyle {
    return {
      header: this.style(7.5, { weight: "bold", color: COLORS.brand, leading: this.leading - 0.15 }),
      body: this.style(8, { leading: this.leading - 0.1 }),
      padding: { x: 4, y: 3 },
      headerFill: COLORS.headerFill,
      stripeFill: COLORS.stripe,
      borderColor: COLORS.rule,
      maxLines: 6,
    };
  }

  private linesSection(): void {
    const { data, locale } = this;
    this.section("receipt.section.lines");
    if (data.lines.length === 0) {
      this.flow.paragraph(this.t("receipt.lines.empty"), this.style(9.5, { color: COLORS.muted }));
      return;
    }
    const columns: TableColumn[] = [
      { header: this.t("receipt.lines.category"), weight: 13, align: "start" },
      { header: this.t("receipt.lines.label"), weight: 30, align: "start", direction: "auto" },
      { header: this.t("receipt.lines.supplier"), weight: 18, align: "start", direction: "auto" },
      { header: this.t("receipt.lines.amount"), weight: 16, align: "end", direction: "ltr", singleLine: true },
      { header: this.t("receipt.lines.vat-rate"), weight: 9, align: "center", direction: "ltr", singleLine: true },
      { header: this.t("receipt.lines.vat-amount"), weight: 14, align: "end", direction: "ltr", singleLine: true },
    ];
    const rows = data.lines.map((line) => [
      labelOf(locale, `line-category.${line.category}`, userText(line.category)),
      userText(line.label),
      line.supplierName === null ? this.t("receipt.lines.no-supplier") : userText(line.supplierName),
      formatAmount(line.amountExclTax, locale, { currency: false }),
      vatPercent(line.vatRate, locale),
      formatAmount(line.vatAmount, locale, { currency: false }),
    ]);
    drawTable(this.flow, columns, rows, this.tableStyle());
  }

  private totalsSection(): void {
    const { data, flow, doc, locale } = this;
    const { totals } = data;
    const rows: Array<{ label: string; amount: string; strong: boolean }> = [
      { label: this.t("receipt.totals.eligible"), amount: totals.eligibleAmount, strong: false },
      { label: this.t("receipt.totals.vat"), amount: totals.vatAmount, strong: false },
      {
        label: this.t("receipt.totals.grant", { rate: formatPercent(totals.rate, locale) }),
        amount: totals.grantAmount,
        strong: true,
      },
      { label: this.t("receipt.totals.own-share"), amount: totals.ownShare, strong: false },
    ];
    this.section("receipt.section.totals", 110);
    const padding = 8;
    const amountWidth = 130;
    const labelWidth = flow.width - amountWidth - 3 * padding;
    const laidOut = rows.map((row) => {
      const style = this.style(row.strong ? 10.5 : 9.5, {
        weight: row.strong ? "bold" : "regular",
        color: row.strong ? COLORS.brand : COLORS.text,
      });
      return {
        label: flow.layout(row.label, { ...style, width: labelWidth }),
        amount: flow.layout(formatAmount(row.amount, locale), {
          ...style,
          width: amountWidth,
          align: flow.align("end"),
        }),
      };
    });
    const note = flow.layout(this.t("receipt.totals.estimate", { cap: formatAmount(totals.cap, locale) }), {
      ...this.style(8.5, { color: COLORS.muted }),
      width: flow.width - 2 * padding,
    });
    const rowsHeight = laidOut.reduce((sum, row) => sum + Math.max(row.label.height, row.amount.height) + 2, 0);
    const boxHeight = rowsHeight + note.height + 3 * padding;
    flow.ensure(boxHeight);
    const top = flow.y;
    doc.save().rect(flow.margins.left, top, flow.width, boxHeight).fill(COLORS.box).restore();
    doc.save().rect(flow.x(0, 3), top, 3, boxHeight).fill(COLORS.brand).restore();
    flow.y = top + padding;
    for (const row of laidOut) {
      const rowTop = flow.y;
      flow.drawBlock(row.label, padding);
      flow.y = rowTop;
      flow.drawBlock(row.amount, flow.width - amountWidth - padding);
      flow.y = rowTop + Math.max(row.label.height, row.amount.height) + 2;
    }
    flow.y += padding / 2;
    flow.drawBlock(note, padding);
    flow.y = top + boxHeight;
  }

  private documentsSection(): void {
    const { data, locale } = this;
    this.section("receipt.section.documents");
    if (data.documents.length === 0) {
      this.flow.paragraph(this.t("receipt.documents.empty"), this.style(9.5, { color: COLORS.muted }));
      return;
    }
    const columns: TableColumn[] = [
      { header: this.t("receipt.documents.type"), weight: 26, align: "start" },
      { header: this.t("receipt.documents.name"), weight: 38, align: "start", direction: "auto" },
      {
        header: this.t("receipt.documents.size"),
        weight: 12,
        align: "end",
        direction: this.direction,
        singleLine: true,
      },
      {
        header: this.t("receipt.documents.fingerprint"),
        weight: 24,
        align: "start",
        direction: "ltr",
        singleLine: true,
      },
    ];
    const rows = data.documents.map((document) => [
      labelOf(locale, `document-type.${document.type}`, userText(document.type)),
      userText(document.originalName),
      formatFileSize(document.size, locale),
      userText(document.sha256).slice(0, 16).toLowerCase(),
    ]);
    drawTable(this.flow, columns, rows, this.tableStyle());
  }

  private filedBySection(): void {
    const { data, flow } = this;
    const { filedBy } = data;
    this.section("receipt.section.filed-by", 40);
    const name = userText(filedBy.name);
    const organisation = filedBy.organisation === null ? "" : userText(filedBy.organisation).trim();
    const sentence =
      filedBy.role === "applicant"
        ? this.t("receipt.filed-by.applicant", { name })
        : organisation
          ? this.t("receipt.filed-by.prescriber", { name, organisation })
          : this.t("receipt.filed-by.prescriber-alone", { name });
    flow.paragraph(sentence, this.style(9.5));
    flow.space(4);
    flow.paragraph(this.t("receipt.follow-up", { url: userText(data.applicationUrl) }), this.style(9));
    flow.space(8);
    flow.paragraph(this.t("receipt.keep-notice"), this.style(8.5, { color: COLORS.muted }));
  }

  /** Written last, once the number of pages is known. */
  private footers(): void {
    const { doc, flow, data } = this;
    const range = doc.bufferedPageRange();
    const style = this.style(7.5, { color: COLORS.muted });
    const left = `${this.t("receipt.programme")} — ${this.t("receipt.footer", { reference: userText(data.reference) })}`;
    for (let index = range.start; index < range.start + range.count; index++) {
      doc.switchToPage(index);
      const top = flow.pageHeight - MARGINS.bottom + FOOTER_GAP;
      doc
        .save()
        .moveTo(MARGINS.left, top - 4)
        .lineTo(flow.pageWidth - MARGINS.right, top - 4)
        .lineWidth(0.5)
        .strokeColor(COLORS.rule)
        .stroke()
        .restore();
      const page = this.t("receipt.page", { page: index - range.start + 1, pages: range.count });
      const pageWidth = widthOfText(doc, page, { ...style, direction: this.direction }) + 2;
      const pageBlock = layoutText(doc, page, { ...style, width: pageWidth, direction: this.direction });
      const leftBlock = layoutText(doc, left, {
        ...style,
        width: flow.width - pageWidth - 16,
        direction: this.direction,
        maxLines: 1,
      });
      drawTextBlock(doc, leftBlock, flow.x(0, leftBlock.width), top);
      drawTextBlock(doc, pageBlock, flow.x(flow.width - pageWidth, pageWidth), top);
    }
  }
}

/**
 * The "Accusé de dépôt" of an application, A4 portrait, in French or Arabic (mirrored layout).
 * Rendering is deterministic: the same data and locale give the same bytes.
 */
export async function renderReceipt(data: ReceiptData, locale: Locale): Promise<Buffer> {
  return renderPdfToBuffer(
    {
      locale,
      title: translate(locale, "receipt.pdf-title", { reference: userText(data.reference) }),
      subject: translate(locale, "receipt.pdf-subject"),
      keywords: userText(data.reference),
      createdAt: data.submittedAt,
    },
    (doc) => new ReceiptWriter(doc, data, locale).draw(),
  );
}
