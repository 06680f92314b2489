import type { Direction } from "./bidi.js";
import {
  DEFAULT_LEADING,
  drawLine,
  layoutText,
  widthOfText,
  type TextAlign,
  type TextBlock,
  type TextOptions,
  type TextStyle,
} from "./text.js";

/**
 * A vertical flow of content over as many pages as it needs, in a reading direction: boxes are
 * placed by their distance from the start margin (the left one in French, the right one in
 * Arabic), so one layout serves both languages, mirrored.
 */

export interface Margins {
  top: number;
  right: number;
  bottom: number;
  left: number;
}

export type LogicalAlign = "start" | "end" | "center";

export interface PageFlowOptions {
  direction: Direction;
  margins: Margins;
  /** Called after each new page, e.g. to draw a running header; it may move `y`. */
  onNewPage?: (flow: PageFlow) => void;
}

export class PageFlow {
  readonly doc: PDFKit.PDFDocument;
  readonly direction: Direction;
  readonly margins: Margins;
  private readonly onNewPage: ((flow: PageFlow) => void) | undefined;
  /** Top of the next thing drawn. */
  y: number;

  constructor(doc: PDFKit.PDFDocument, options: PageFlowOptions) {
    this.doc = doc;
    this.direction = options.direction;
    this.margins = options.margins;
    this.onNewPage = options.onNewPage;
    this.y = options.margins.top;
  }

  get pageWidth(): number {
    return this.doc.page.width;
  }

  get pageHeight(): number {
    return this.doc.page.height;
  }

  /** Width between the side margins. */
  get width(): number {
    return this.pageWidth - this.margins.left - this.margins.right;
  }

  /** The lowest y content may reach. */
  get bottom(): number {
    return this.pageHeight - this.margins.bottom;
  }

  get remaining(): number {
    return this.bottom - this.y;
  }

  /** Physical x of a box `width` wide whose start edge is `offset` from the start margin. */
  x(offset: number, width: number): number {
    if (this.direction === "ltr") return this.margins.left + offset;
    return this.pageWidth - this.margins.right - offset - width;
  }

  /** "start" and "end" in the flow's direction, as pdf left/right. */
  align(align: LogicalAlign): TextAlign {
    if (align === "center") return "center";
    const startIsLeft = this.direction === "ltr";
    return (align === "start") === startIsLeft ? "left" : "right";
  }

  newPage(): void {
    this.doc.addPage();
    this.y = this.margins.top;
    this.onNewPage?.(this);
  }

  /** Starts a new page unless `height` still fits on this one; true when a page was added. */
  ensure(height: number): boolean {
    if (this.y + height <= this.bottom) return false;
    this.newPage();
    return true;
  }

  /** Lays text out at the flow's width (or `width`) in its direction unless told otherwise. */
  layout(text: string, options: TextStyle & Partial<Omit<TextOptions, keyof TextStyle>>): TextBlock {
    return layoutText(this.doc, text, {
      direction: this.direction,
      fallback: this.direction,
      width: this.width,
      ...options,
    });
  }

  /**
   * Draws a laid-out block line by line at `offset` from the start margin, carrying lines over
   * to the next page when the bottom is reached.
   */
  drawBlock(block: TextBlock, offset = 0): void {
    for (const line of block.lines) {
      this.ensure(block.lineHeight);
      drawLine(this.doc, line, block, this.x(offset, block.width), this.y, block.width);
      this.y += block.lineHeight;
    }
  }

  /** A paragraph in the flow's direction; user text should pass direction "auto". */
  paragraph(
    text: string,
    options: TextStyle & Partial<Omit<TextOptions, keyof TextStyle>> & { offset?: number },
  ): TextBlock {
    const { offset = 0, ...rest } = options;
    const block = this.layout(text, { width: this.width - offset, ...rest });
    this.drawBlock(block, offset);
    return block;
  }

  /** Moves down; a gap never carries over to the top of the next page. */
  space(height: number): void {
    this.y = Math.min(this.y + height, this.bottom);
  }

  /** A horizontal rule across the content width. */
  rule(color = "#c8ced6", thickness = 0.6): void {
    this.doc
      .save()
      .moveTo(this.margins.left, this.y)
      .lineTo(this.pageWidth - this.margins.right, this.y)
      .lineWidth(thickness)
      .strokeColor(color)
      .stroke()
      .restore();
  }
}

export interface TableColumn {
  header: string;
  /** Share of the table width; the shares are normalised. */
  weight: number;
  align: LogicalAlign;
  /** Bidi direction of the cells: numbers "ltr", user text "auto"; the flow's otherwise. */
  direction?: Direction | "auto";
  /** Body cells kept on one line, in a smaller size if need be (amounts: never cut a number). */
  singleLine?: boolean;
}

export interface TableStyle {
  header: TextStyle;
  body: TextStyle;
  padding: { x: number; y: number };
  headerFill: string;
  stripeFill: string | null;
  borderColor: string;
  /** Cells longer than this many lines are cut with "…" so a row always fits on a page. */
  maxLines: number;
}

/**
 * A table whose rows never split: a row that does not fit goes to the next page, under a repeated
 * header. Columns run in the flow's direction (first column on the right in Arabic).
 */
export function drawTable(flow: PageFlow, columns: TableColumn[], rows: string[][], style: TableStyle): void {
  const totalWeight = columns.reduce((sum, column) => sum + column.weight, 0);
  const widths = columns.map((column) => (flow.width * column.weight) / totalWeight);
  const offsets = widths.map((_, index) => widths.slice(0, index).reduce((sum, width) => sum + width, 0));
  const { doc } = flow;

  const layoutRow = (
    cells: string[],
    textStyle: TextStyle,
    maxLines: number,
    isHeader: boolean,
  ): { blocks: TextBlock[]; height: number } => {
    const blocks = columns.map((column, index) => {
      const text = cells[index] ?? "";
      const width = Math.max(1, (widths[index] ?? 0) - 2 * style.padding.x);
      const direction = column.direction ?? flow.direction;
      let cellStyle = textStyle;
      if (column.singleLine && !isHeader) {
        const natural = widthOfText(doc, text, { ...textStyle, direction, fallback: flow.direction });
        if (natural > width) cellStyle = { ...textStyle, size: Math.max(4, (textStyle.size * width) / natural) };
      }
      return flow.layout(text, {
        ...cellStyle,
        // The line keeps the row's height when its size shrinks.
        leading: ((textStyle.leading ?? DEFAULT_LEADING) * textStyle.size) / cellStyle.size,
        width,
        direction,
        align: flow.align(column.align),
        maxLines,
      });
    });
    return { blocks, height: Math.max(...blocks.map((block) => block.height)) + 2 * style.padding.y };
  };

  const drawRow = (row: { blocks: TextBlock[]; height: number }, fill: string | null): void => {
    const top = flow.y;
    if (fill) {
      doc.save().rect(flow.margins.left, top, flow.width, row.height).fill(fill).restore();
    }
    row.blocks.forEach((block, index) => {
      const x = flow.x((offsets[index] ?? 0) + style.padding.x, block.width);
      block.lines.forEach((line, lineIndex) =>
        drawLine(doc, line, block, x, top + style.padding.y + lineIndex * block.lineHeight, block.width),
      );
    });
    doc
      .save()
      .moveTo(flow.margins.left, top + row.height)
      .lineTo(flow.margins.left + flow.width, top + row.height)
      .lineWidth(0.5)
      .strokeColor(style.borderColor)
      .stroke()
      .restore();
    flow.y = top + row.height;
  };

  const header = layoutRow(
    columns.map((column) => column.header),
    style.header,
    4,
    true,
  );
  const bodyRows = rows.map((cells) => layoutRow(cells, style.body, style.maxLines, false));

  // The header never stands alone at the bottom of a page.
  flow.ensure(header.height + (bodyRows[0]?.height ?? 0));
  drawRow(header, style.headerFill);
  bodyRows.forEach((row, index) => {
    if (flow.ensure(row.height)) drawRow(header, style.headerFill);
    drawRow(row, style.stripeFill && index % 2 === 1 ? style.stripeFill : null);
  });
}
