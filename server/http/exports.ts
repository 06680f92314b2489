import { once } from "node:events";
import type { Response } from "express";
import type ExcelJS from "exceljs";

/**
 * Tables streamed to the client as CSV or XLSX, one batch of rows at a time: a 100,000-row export
 * never sits in memory. Amounts arrive as decimal strings ("400000.00").
 */

export type ExportFormat = "csv" | "xlsx";

export interface ExportColumn<Row> {
  header: string;
  kind: "text" | "money" | "integer" | "date";
  value: (row: Row) => string | number | null;
  width?: number;
}

/** RFC 4180: quote a field when it holds a separator, a quote or a line break; double its quotes. */
function csvField(value: string | number | null): string {
  if (value === null) return "";
  const text = String(value);
  // A leading = + - @ would make a spreadsheet evaluate the cell (CSV injection).
  const safe = /^[=+\-@\t\r]/.test(text) && !/^-?\d+(\.\d+)?$/.test(text) ? `'${text}` : text;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

async function write(res: Response, chunk: string): Promise<void> {
  if (!res.write(chunk)) await once(res, "drain");
}

/**
 * XLSX stores numbers as IEEE doubles by definition; a NUMERIC(14,2) amount has at most 14
 * significant digits, so the double read back and shown with two decimals is the exact amount.
 * This is the one place where an amount becomes a JavaScript number, on its way into the file.
 */
function xlsxValue(kind: ExportColumn<unknown>["kind"], value: string | number | null): ExcelJS.CellValue {
  if (value === null) return null;
  if (kind === "money" || kind === "integer") return Number(value);
  return String(value);
}

export async function streamExport<Row>(
  res: Response,
  options: {
    format: ExportFormat;
    fileName: string;
    sheetName: string;
    columns: ReadonlyArray<ExportColumn<Row>>;
    batches: AsyncIterable<Row[]>;
  },
): Promise<void> {
  const { format, fileName, columns } = options;
  res.set({
    "Content-Disposition": `attachment; filename="${fileName}.${format}"`,
    "Cache-Control": "private, no-store",
  });
  if (format === "csv") {
    res.type("text/csv; charset=utf-8");
    // The byte-order mark lets spreadsheet programs read the file as UTF-8 (Arabic names).
    await write(res, `\uFEFF${columns.map((column) => csvField(column.header)).join(",")}\r\n`);
    for await (const rows of options.batches) {
      const lines = rows.map((row) => columns.map((column) => csvField(column.value(row))).join(",")).join("\r\n");
      if (lines) await write(res, `${lines}\r\n`);
    }
    res.end();
    return;
  }
  res.type("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
  // Loaded on the first spreadsheet: exceljs and its dependencies weigh ~45 MB in every process.
  const { default: Excel } = await import("exceljs");
  const workbook = new Excel.stream.xlsx.WorkbookWriter({ stream: res, useStyles: true, useSharedStrings: false });
  const sheet = workbook.addWorksheet(options.sheetName, { views: [{ state: "frozen", ySplit: 1 }] });
  sheet.columns = columns.map((column) => ({
    header: column.header,
    width: column.width ?? (column.kind === "text" ? 28 : 16),
    style: column.kind === "money" ? { numFmt: "#,##0.00" } : {},
  }));
  sheet.getRow(1).font = { bold: true };
  for await (const rows of options.batches) {
    for (const row of rows) {
      sheet.addRow(columns.map((column) => xlsxValue(column.kind, column.value(row)))).commit();
    }
  }
  sheet.commit();
  await workbook.commit();
}

/** Keyset pagination over any ordered source: `fetch(after)` returns the next batch after a key. */
export async function* inBatches<Row>(
  fetch: (after: Row | null) => Promise<Row[]>,
  size: number,
): AsyncGenerator<Row[]> {
  let last: Row | null = null;
  for (;;) {
    const rows = await fetch(last);
    if (rows.length === 0) return;
    yield rows;
    if (rows.length < size) return;
    last = rows[rows.length - 1] ?? null;
  }
}
