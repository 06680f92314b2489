import QRCode from "qrcode";

/**
 * Draws a QR code as vector squares (no bitmap: sharp at any zoom, and the same bytes every time).
 * `size` is the side of the code without its quiet zone; leave four modules of white around it.
 */
export function drawQrCode(
  doc: PDFKit.PDFDocument,
  text: string,
  x: number,
  y: number,
  size: number,
  color = "#000000",
): void {
  const { modules } = QRCode.create(text, { errorCorrectionLevel: "M" });
  const cell = size / modules.size;
  doc.save().fillColor(color);
  for (let row = 0; row < modules.size; row++) {
    // One rectangle per horizontal stretch of dark modules keeps the content stream small.
    let column = 0;
    while (column < modules.size) {
      if (!modules.get(row, column)) {
        column++;
        continue;
      }
      const first = column;
      while (column < modules.size && modules.get(row, column)) column++;
      doc.rect(x + first * cell, y + row * cell, (column - first) * cell, cell);
    }
  }
  doc.fill().restore();
}
