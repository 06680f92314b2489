import { isolate, stripBidiControls, type Direction } from "./bidi.js";
import { renderPdfToBuffer, renderPdfToFile, type PdfDocumentOptions } from "./document.js";
import { formatDate } from "./format.js";
import { drawQrCode } from "./qr.js";
import { drawTextBlock, layoutText, type TextAlign, type TextBlock, type TextOptions } from "./text.js";
import type { FontWeight } from "./fonts.js";

/** Everything the certificate prints, as recorded when it was issued. */
export interface CertificatePdfData {
  number: string; // "PN-2026-000001"
  holderName: string;
  companyName: string | null;
  courseTitle: string;
  city: string;
  sessionStartsAt: Date;
  sessionEndsAt: Date;
  issuedAt: Date;
  verificationUrl: string;
  verificationCode: string;
  keyId: string; // "z6Mk…", the did:key that signed the credential
}

/**
 * The wording is fixed and printed in both languages at once, whatever the language of whoever
 * downloads the certificate: it is one document for the holder, an employer or an official alike,
 * so it lives here rather than in the per-locale message catalogues. The Arabic is written without
 * short vowels, as administrative documents are: text extraction (search, screen readers) then
 * gives the words back whole, where a mark positioned over a right-to-left run comes out apart.
 */
const WORDING = {
  fr: {
    state: "ROYAUME DU MAROC",
    programme: "Programme Moussanada Numérique",
    title: "Permis Numérique",
    awardedTo: "Le présent permis est décerné à",
    company: (name: string) => `de l'entreprise ${name}`,
    course: "pour avoir suivi avec succès la formation",
    oneDay: (city: string, date: string) => `organisée à ${city} le ${date}`,
    severalDays: (city: string, first: string, last: string) => `organisée à ${city} du ${first} au ${last}`,
    issued: (date: string) => `Délivré le ${date}`,
    verify: "Vérifiez l'authenticité :",
    code: (code: string) => `Code de vérification : ${code}`,
    signed: (key: string) => `Signé électroniquement (Ed25519) — clé ${key}`,
  },
  ar: {
    state: "المملكة المغربية",
    programme: "برنامج مساندة الرقمية",
    title: "الرخصة الرقمية",
    awardedTo: "تمنح هذه الرخصة إلى",
    company: (name: string) => `من مقاولة ${name}`,
    course: "بعد النجاح في التكوين",
    oneDay: (city: string, date: string) => `المنظم بمدينة ${city} يوم ${date}`,
    severalDays: (city: string, first: string, last: string) => `المنظم بمدينة ${city} من ${first} إلى ${last}`,
    issued: (date: string) => `سلمت بتاريخ ${date}`,
    verify: "تحققوا من صحة هذه الرخصة:",
    code: (code: string) => `رمز التحقق: ${code}`,
  },
} as const;

const COLORS = {
  brand: "#0f4c5c",
  accent: "#b5452f",
  text: "#1a1a1a",
  muted: "#5b6570",
  rule: "#c8ced6",
  paper: "#fcfbf7",
};

/** Page geometry, in points: A4 landscape is 841.89 × 595.28. */
const FRAME = { outer: 16, inner: 23 };
const SIDE = 58; // left and right edges of the content
const GUTTER = 30; // between the French and the Arabic column
const QR_SIZE = 80;

/** Naskh letters reach further above and below the line than Latin ones. */
const LEADING: Record<Direction, number> = { ltr: 1.35, rtl: 1.6 };

/**
 * Text typed by users is only ever drawn as glyphs: what is removed are the characters that could
 * make it display as something else (explicit bidi embeddings, overrides and isolates) and control
 * characters. Every field here is a single line: line breaks become spaces.
 */
function userText(value: string): string {
  return stripBidiControls(value)
    .replace(/\p{Cc}+/gu, " ")
    .replace(/\s+/g, " ")
    .trim();
}

/** One paragraph of a column, with the range of sizes it may be drawn in. */
interface Piece {
  text: string;
  size: number;
  /** The smallest size it may shrink to when the columns are too tall. */
  minSize: number;
  weight?: FontWeight;
  color?: string;
  direction: Direction | "auto";
  /** Text typed by users, which may be long: the only pieces ever cut short. */
  user?: boolean;
}

interface Column {
  x: number;
  width: number;
  align: TextAlign;
  fallback: Direction;
}

/**
 * The same statement in each column, side by side: a row is as tall as its taller half, so each
 * French line stays level with its Arabic counterpart however differently they wrap.
 */
interface Row {
  pieces: Piece[]; // one per column, in the columns' order
  /** Space above it, at full size. */
  gap: number;
}

interface LaidOutRow {
  blocks: TextBlock[];
  gap: number;
  height: number;
}

function layoutRows(
  doc: PDFKit.PDFDocument,
  columns: Column[],
  rows: Row[],
  scale: number,
  userMaxLines: number | undefined,
): { rows: LaidOutRow[]; height: number } {
  const laidOut = rows.map((row) => {
    const blocks = row.pieces.map((piece, index) => {
      const column = columns[index] ?? columns[0];
      if (!column) throw new Error("A row has more pieces than there are columns");
      return layoutText(doc, piece.text, {
        size: Math.max(piece.minSize, piece.size * scale),
        weight: piece.weight ?? "regular",
        color: piece.color ?? COLORS.text,
        leading: LEADING[column.fallback],
        width: column.width,
        direction: piece.direction,
        fallback: column.fallback,
        align: column.align,
        ...(piece.user && userMaxLines !== undefined ? { maxLines: userMaxLines } : {}),
      });
    });
    return {
      blocks,
      gap: row.gap * Math.max(scale, 0.5),
      height: Math.max(...blocks.map((block) => block.height)),
    };
  });
  return { rows: laidOut, height: laidOut.reduce((sum, row) => sum + row.gap + row.height, 0) };
}

const SCALES = [1, 0.92, 0.85, 0.78, 0.72, 0.66, 0.6, 0.55, 0.5, 0.45, 0.4, 0.35];
/** Without a limit first; then user fields are cut with "…" only as a last resort. */
const USER_MAX_LINES = [undefined, 4, 3, 2, 1];

/**
 * Lays the rows out at the largest scale at which they fit `height`: both languages shrink
 * together, keeping the same typographic weight side by side.
 */
function fitRows(
  doc: PDFKit.PDFDocument,
  columns: Column[],
  rows: Row[],
  height: number,
): { rows: LaidOutRow[]; height: number } {
  let laidOut = layoutRows(doc, columns, rows, 1, undefined);
  for (const maxLines of USER_MAX_LINES) {
    for (const scale of SCALES) {
      laidOut = layoutRows(doc, columns, rows, scale, maxLines);
      if (laidOut.height <= height) return laidOut;
    }
  }
  return laidOut;
}

/** A single block shrunk until it fits `maxLines` lines, then cut if it still does not. */
function fitBlock(
  doc: PDFKit.PDFDocument,
  text: string,
  options: {
    size: number;
    minSize: number;
    width: number;
    maxLines: number;
    direction: Direction | "auto";
    fallback: Direction;
    align: TextAlign;
    weight?: FontWeight;
    color?: string;
  },
): TextBlock {
  const { minSize, maxLines, ...rest } = options;
  const layout = (size: number, cut: boolean): TextBlock =>
    layoutText(doc, text, {
      ...rest,
      size,
      leading: LEADING[options.fallback],
      color: options.color ?? COLORS.text,
      ...(cut ? { maxLines } : {}),
    });
  for (let size = options.size; size >= minSize; size -= 0.5) {
    const block = layout(size, false);
    if (block.lines.length <= maxLines) return block;
  }
  return layout(minSize, true);
}

class CertificateWriter {
  private readonly width: number;
  private readonly height: number;

  constructor(
    private readonly doc: PDFKit.PDFDocument,
    private readonly data: CertificatePdfData,
  ) {
    this.width = doc.page.width;
    this.height = doc.page.height;
  }

  draw(): void {
    this.frame();
    const headerBottom = this.header();
    const titleBottom = this.titles(headerBottom + 6);
    const footerTop = this.footer();
    this.columns(titleBottom + 14, footerTop - 14);
  }

  private block(text: string, options: TextOptions): TextBlock {
    const rtl = options.direction === "rtl" || (options.direction === "auto" && options.fallback === "rtl");
    return layoutText(this.doc, text, { leading: LEADING[rtl ? "rtl" : "ltr"], ...options });
  }

  /** A paper tone, a strong outer rule and a fine inner one, with small squares at the corners. */
  private frame(): void {
    const { doc, width, height } = this;
    const { outer, inner } = FRAME;
    doc.save().rect(0, 0, width, height).fill(COLORS.paper).restore();
    doc
      .save()
      .rect(outer, outer, width - 2 * outer, height - 2 * outer)
      .lineWidth(2.4)
      .strokeColor(COLORS.brand)
      .stroke()
      .restore();
    doc
      .save()
      .rect(inner, inner, width - 2 * inner, height - 2 * inner)
      .lineWidth(0.7)
      .strokeColor(COLORS.accent)
      .stroke()
      .restore();
    const corner = 7;
    for (const [x, y] of [
      [inner, inner],
      [width - inner, inner],
      [inner, height - inner],
      [width - inner, height - inner],
    ] as const) {
      doc
        .save()
        .rect(x - corner / 2, y - corner / 2, corner, corner)
        .fill(COLORS.accent)
        .restore();
    }
  }

  /** The kingdom and the programme, French on the left and Arabic on the right, a seal between. */
  private header(): number {
    const { doc, width } = this;
    const top = 38;
    const blockWidth = 250;
    const stateFr = this.block(WORDING.fr.state, {
      size: 10,
      weight: "bold",
      color: COLORS.brand,
      width: blockWidth,
      direction: "ltr",
    });
    const programmeFr = this.block(WORDING.fr.programme, {
      size: 8.5,
      color: COLORS.muted,
      width: blockWidth,
      direction: "ltr",
    });
    const stateAr = this.block(WORDING.ar.state, {
      size: 12,
      weight: "bold",
      color: COLORS.brand,
      width: blockWidth,
      direction: "rtl",
    });
    const programmeAr = this.block(WORDING.ar.programme, {
      size: 9.5,
      color: COLORS.muted,
      width: blockWidth,
      direction: "rtl",
    });
    const frHeight = stateFr.height + programmeFr.height;
    const arHeight = stateAr.height + programmeAr.height;
    const height = Math.max(frHeight, arHeight);
    drawTextBlock(doc, stateFr, SIDE, top + (height - frHeight) / 2);
    drawTextBlock(doc, programmeFr, SIDE, top + (height - frHeight) / 2 + stateFr.height);
    drawTextBlock(doc, stateAr, width - SIDE - blockWidth, top + (height - arHeight) / 2);
    drawTextBlock(doc, programmeAr, width - SIDE - blockWidth, top + (height - arHeight) / 2 + stateAr.height);
    this.seal(width / 2, top + height / 2, 21);
    return top + height;
  }

  /** Two rings around a five-pointed star: an emblem, not an official seal. */
  private seal(cx: number, cy: number, radius: number): void {
    const { doc } = this;
    doc.save().circle(cx, cy, radius).lineWidth(1.2).strokeColor(COLORS.brand).stroke().restore();
    doc
      .save()
      .circle(cx, cy, radius - 3.5)
      .lineWidth(0.5)
      .strokeColor(COLORS.accent)
      .stroke()
      .restore();
    const star = radius - 8;
    const points = Array.from({ length: 5 }, (_, index) => {
      const angle = -Math.PI / 2 + (index * 2 * Math.PI) / 5;
      return [cx + star * Math.cos(angle), cy + star * Math.sin(angle)] as const;
    });
    // Joining every second point draws the star in one stroke, as on the flag.
    const order = [0, 2, 4, 1, 3].map((index) => points[index] ?? points[0] ?? [cx, cy]);
    const [first, ...rest] = order;
    if (!first) return;
    doc.save().moveTo(first[0], first[1]);
    for (const [x, y] of rest) doc.lineTo(x, y);
    doc.closePath().lineWidth(1.1).lineJoin("miter").strokeColor(COLORS.accent).stroke().restore();
  }

  /** The title in both languages and the certificate's number, centred. */
  private titles(top: number): number {
    const { doc, width, data } = this;
    const contentWidth = width - 2 * SIDE;
    const titleFr = this.block(WORDING.fr.title, {
      size: 34,
      weight: "bold",
      color: COLORS.brand,
      width: contentWidth,
      direction: "ltr",
      align: "center",
      leading: 1.2,
    });
    const titleAr = this.block(WORDING.ar.title, {
      size: 27,
      weight: "bold",
      color: COLORS.brand,
      width: contentWidth,
      direction: "rtl",
      align: "center",
      leading: 1.45,
    });
    let y = top;
    drawTextBlock(doc, titleFr, SIDE, y);
    y += titleFr.height - 2;
    drawTextBlock(doc, titleAr, SIDE, y);
    y += titleAr.height + 4;

    // A short accent rule, then the number: the reference anyone checking the certificate quotes.
    const ruleWidth = 56;
    doc
      .save()
      .moveTo(width / 2 - ruleWidth / 2, y)
      .lineTo(width / 2 + ruleWidth / 2, y)
      .lineWidth(1.4)
      .strokeColor(COLORS.accent)
      .stroke()
      .restore();
    y += 7;
    const number = fitBlock(doc, `N° ${userText(data.number)}`, {
      size: 17,
      minSize: 9,
      width: 360,
      maxLines: 1,
      direction: "ltr",
      fallback: "ltr",
      align: "center",
      weight: "bold",
      color: COLORS.accent,
    });
    drawTextBlock(doc, number, width / 2 - 180, y);
    return y + number.height;
  }

  private sessionLine(language: "fr" | "ar", city: string): string {
    const { sessionStartsAt, sessionEndsAt } = this.data;
    const first = formatDate(sessionStartsAt, language);
    const last = formatDate(sessionEndsAt, language);
    const wording = WORDING[language];
    return first === last
      ? wording.oneDay(isolate(city), isolate(first))
      : wording.severalDays(isolate(city), isolate(first), isolate(last));
  }

  /** What the holder did, in French on the left and in Arabic on the right, between `top` and `bottom`. */
  private columns(top: number, bottom: number): void {
    const { doc, width, data } = this;
    const holder = userText(data.holderName);
    const company = data.companyName === null ? "" : userText(data.companyName);
    const course = userText(data.courseTitle);
    const city = userText(data.city);
    const columnWidth = (width - 2 * SIDE - GUTTER) / 2;
    const columns: Column[] = [
      { x: SIDE, width: columnWidth, align: "left", fallback: "ltr" },
      { x: width - SIDE - columnWidth, width: columnWidth, align: "right", fallback: "rtl" },
    ];
    const languages = ["fr", "ar"] as const;
    const row = (gap: number, piece: (language: "fr" | "ar", direction: Direction) => Piece): Row => ({
      gap,
      pieces: languages.map((language) => piece(language, language === "fr" ? "ltr" : "rtl")),
    });
    // Arabic is set a little larger: at the same size, Naskh looks smaller than Noto Sans.
    const sentence = (language: "fr" | "ar"): number => (language === "fr" ? 12.5 : 14);

    const rows: Row[] = [
      row(0, (language, direction) => ({
        text: WORDING[language].awardedTo,
        size: sentence(language),
        minSize: 8,
        direction,
        color: COLORS.muted,
      })),
      row(4, () => ({
        text: holder,
        size: 26,
        minSize: 9,
        weight: "bold",
        color: COLORS.brand,
        direction: "auto",
        user: true,
      })),
    ];
    if (company) {
      rows.push(
        row(2, (language, direction) => ({
          text: WORDING[language].company(isolate(company)),
          size: sentence(language),
          minSize: 7,
          direction,
          user: true,
        })),
      );
    }
    rows.push(
      row(14, (language, direction) => ({
        text: WORDING[language].course,
        size: sentence(language),
        minSize: 8,
        direction,
        color: COLORS.muted,
      })),
      row(3, (language, direction) => ({
        text: `«\u00A0${isolate(course)}\u00A0»`,
        size: language === "fr" ? 15.5 : 17,
        minSize: 7.5,
        weight: "bold",
        direction,
        user: true,
      })),
      row(3, (language, direction) => ({
        text: this.sessionLine(language, city),
        size: sentence(language),
        minSize: 7,
        direction,
        user: true,
      })),
    );

    const laidOut = fitRows(doc, columns, rows, bottom - top);
    const start = top + (bottom - top - laidOut.height) / 2;

    // The rule between the languages spans the text.
    doc
      .save()
      .moveTo(width / 2, start + 4)
      .lineTo(width / 2, start + laidOut.height - 4)
      .lineWidth(0.6)
      .strokeColor(COLORS.rule)
      .stroke()
      .restore();

    let y = start;
    for (const { blocks, gap, height } of laidOut.rows) {
      y += gap;
      blocks.forEach((block, index) => {
        drawTextBlock(doc, block, columns[index]?.x ?? SIDE, y + (height - block.height) / 2);
      });
      y += height;
    }
  }

  /**
   * The QR code in the middle, the issue date and the way to check the certificate on each side
   * in each language, and the signing key along the bottom. Returns the top of the band.
   */
  private footer(): number {
    const { doc, width, height, data } = this;
    const url = userText(data.verificationUrl);
    const code = userText(data.verificationCode);
    const sideWidth = (width - 2 * SIDE - QR_SIZE - 2 * 28) / 2;

    const keyLine = this.block(WORDING.fr.signed(`${userText(data.keyId).slice(0, 16)}…`), {
      size: 7,
      color: COLORS.muted,
      width: width - 2 * SIDE,
      direction: "ltr",
      align: "center",
      maxLines: 1,
    });
    const keyTop = height - FRAME.inner - 6 - keyLine.height;
    drawTextBlock(doc, keyLine, SIDE, keyTop);

    // Drawn on white, with the quiet zone scanners need around the code.
    const quiet = 6;
    const qrTop = keyTop - quiet - 2 - QR_SIZE;
    doc
      .save()
      .rect(width / 2 - QR_SIZE / 2 - quiet, qrTop - quiet, QR_SIZE + 2 * quiet, QR_SIZE + 2 * quiet)
      .fill("#ffffff")
      .restore();
    drawQrCode(doc, url, width / 2 - QR_SIZE / 2, qrTop, QR_SIZE, COLORS.text);

    const issuedOn = (language: "fr" | "ar"): string =>
      WORDING[language].issued(isolate(formatDate(data.issuedAt, language)));
    const side = (language: "fr" | "ar"): TextBlock[] => {
      const direction: Direction = language === "fr" ? "ltr" : "rtl";
      const align: TextAlign = language === "fr" ? "left" : "right";
      const common = { width: sideWidth, direction, fallback: direction, align } as const;
      return [
        this.block(issuedOn(language), { ...common, size: language === "fr" ? 10 : 11, weight: "bold" }),
        this.block(WORDING[language].verify, { ...common, size: language === "fr" ? 8 : 9, color: COLORS.muted }),
        fitBlock(doc, url, {
          ...common,
          direction: "ltr",
          size: 8,
          minSize: 6,
          maxLines: 2,
          color: COLORS.brand,
        }),
        fitBlock(doc, WORDING[language].code(isolate(code)), {
          ...common,
          size: language === "fr" ? 8 : 9,
          minSize: 6,
          maxLines: 2,
          color: COLORS.muted,
        }),
      ];
    };
    const sides = [
      { blocks: side("fr"), x: SIDE },
      { blocks: side("ar"), x: width - SIDE - sideWidth },
    ];
    for (const { blocks, x } of sides) {
      const total = blocks.reduce((sum, block) => sum + block.height, 0) + 3;
      // Centred on the QR code, so the three read as one band.
      let y = qrTop + (QR_SIZE - total) / 2;
      blocks.forEach((block, index) => {
        drawTextBlock(doc, block, x, y);
        y += block.height + (index === 0 ? 3 : 0);
      });
    }

    const bandTop = qrTop - quiet - 8;
    doc
      .save()
      .moveTo(SIDE, bandTop)
      .lineTo(width - SIDE, bandTop)
      .lineWidth(0.5)
      .strokeColor(COLORS.rule)
      .stroke()
      .restore();
    return bandTop;
  }
}

function documentOptions(data: CertificatePdfData): PdfDocumentOptions {
  const number = userText(data.number);
  return {
    locale: "fr",
    layout: "landscape",
    title: `Permis Numérique ${number} — ${userText(data.holderName)}`,
    subject: "Permis Numérique — الرخصة الرقمية — Programme Moussanada Numérique",
    keywords: number,
    // The issue instant: the same certificate always gives the same bytes.
    createdAt: data.issuedAt,
  };
}

/**
 * The Permis Numérique certificate: A4 landscape, one page, French and Arabic side by side.
 * Rendering is deterministic: the same data give the same bytes.
 */
export function renderCertificatePdf(data: CertificatePdfData): Promise<Buffer> {
  return renderPdfToBuffer(documentOptions(data), (doc) => new CertificateWriter(doc, data).draw());
}

/** Writes the certificate through a temporary file renamed when complete (see renderPdfToFile). */
export function renderCertificatePdfToFile(data: CertificatePdfData, filePath: string): Promise<void> {
  return renderPdfToFile(filePath, documentOptions(data), (doc) => new CertificateWriter(doc, data).draw());
}
