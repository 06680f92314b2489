import { expect } from "chai";
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import ExcelJS from "exceljs";
import { EMAIL_TEMPLATES_DIR, escapeHtml } from "../../server/mail/templates.js";
import { CapturedEmail, OutboxMessage } from "../../server/models/index.js";
import { createCompany } from "../factories/companies.js";
import { fileInStatus, type Player } from "../factories/review.js";
import { seededCall } from "../factories/applications.js";
import { sessionPayload } from "../factories/training.js";
import { API, clearRateLimits, type SignedIn } from "../helpers/auth.js";
import { deliverQueuedEmails } from "../helpers/mail.js";
import { useTestApp } from "../helpers/testApp.js";
import { binaryParser } from "../integration/applicationsApi.js";
import { buildPoisonedWorld, CSV_INJECTIONS, PAYLOADS, POISON, type PoisonedWorld } from "./payloads.js";

/**
 * Issue 9, security suite: hostile text (payloads.ts) in every free-text field a user controls,
 * then everywhere the server itself renders it: e-mails (HTML and text parts, subjects), PDFs
 * (certificates, the application receipt) and exports (CSV, XLSX). The pages are in
 * xss-browser.test.ts.
 */

const run = promisify(execFile);

/** The tags the e-mail templates themselves use: anything else came from a user. */
const TEMPLATE_TAGS = new Set([
  "a",
  "body",
  "br",
  "head",
  "html",
  "li",
  "meta",
  "ol",
  "p",
  "pre",
  "span",
  "strong",
  "table",
  "td",
  "title",
  "tr",
  "ul",
]);

/** Every start tag of an HTML document, with its attributes, as a parser would see it. */
function startTags(html: string): Array<{ name: string; source: string }> {
  return [...html.matchAll(/<([a-zA-Z][\w:-]*)\b[^>]*>/g)].map((match) => ({
    name: (match[1] ?? "").toLowerCase(),
    source: match[0],
  }));
}

/** How many start tags of each name a document has. */
function tagCounts(html: string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const tag of startTags(html.replace(/<!--[\s\S]*?-->/g, ""))) counts[tag.name] = (counts[tag.name] ?? 0) + 1;
  return counts;
}

function templateSource(locale: string, name: string, extension: "txt" | "html"): string {
  return readFileSync(path.join(EMAIL_TEMPLATES_DIR, locale, `${name}.${extension}`), "utf8");
}

/** Where a template shows `{{key}}`: the subject line, the text body, the HTML body. */
function placesOf(locale: string, template: string, key: string) {
  const [subjectLine = "", ...text] = templateSource(locale, template, "txt").split("\n");
  const marker = `{{${key}}}`;
  return {
    subject: subjectLine.includes(marker),
    text: text.join("\n").includes(marker),
    html: templateSource(locale, template, "html").includes(marker),
  };
}

const includesPayload = (value: string) => PAYLOADS.some((payload) => value.includes(payload.text));

// ——— PDFs ———

/** The text in drawing order (-raw): a table cell's wrapped lines stay together. */
async function pdfText(bytes: Buffer, directory: string, name: string): Promise<string> {
  const file = path.join(directory, `${name}.pdf`);
  await writeFile(file, bytes);
  const { stdout } = await run("pdftotext", ["-enc", "UTF-8", "-raw", file, "-"]);
  return stdout;
}

/** The PDF with every object uncompressed and outside object streams, as text a test can search. */
async function pdfStructure(bytes: Buffer, directory: string, name: string): Promise<string> {
  const input = path.join(directory, `${name}-in.pdf`);
  const output = path.join(directory, `${name}-qdf.pdf`);
  await writeFile(input, bytes);
  await run("qpdf", ["--qdf", "--object-streams=disable", "--decode-level=all", input, output]);
  return readFileSync(output, "latin1");
}

/**
 * Text without any white space: pdftotext guesses word gaps from glyph positions ("</style >"),
 * so the same characters in the same order is what "printed literally" can mean.
 */
const compact = (text: string) => text.replace(/\s+/g, "");

/** Active content a PDF reader would run or follow. */
const ACTIVE_PDF_NAMES =
  /\/(JavaScript|JS|OpenAction|AA|Launch|SubmitForm|ImportData|RichMedia|EmbeddedFile|GoToR|XFA)\b/;

/**
 * The PDF's objects without what is only data: stream bodies (page content, fonts, the XMP packet)
 * and literal strings. What is left are the dictionaries a reader acts on.
 */
function pdfDictionaries(structure: string): string {
  return structure
    .replace(/\bstream\r?\n[\s\S]*?\nendstream\b/g, "stream endstream")
    .replace(/\((?:\\[\s\S]|[^\\()])*\)/g, "()");
}

const BIDI_CONTROLS = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/g;

const XML_UNESCAPES: Record<string, string> = { "&amp;": "&", "&lt;": "<", "&gt;": ">", "&quot;": '"', "&apos;": "'" };

/** The title in the XMP packet (XML): text only, no markup, unescaped. */
function xmpTitle(structure: string): string | null {
  const match =
    /<dc:title>\s*<rdf:Alt>\s*<rdf:li xml:lang="x-default">([^<]*)<\/rdf:li>\s*<\/rdf:Alt>\s*<\/dc:title>/.exec(
      structure,
    );
  if (!match) return null;
  return Buffer.from(match[1] ?? "", "latin1")
    .toString("utf8")
    .replace(/&(amp|lt|gt|quot|apos);/g, (entity) => XML_UNESCAPES[entity] ?? entity);
}

function urisOf(structure: string): string[] {
  return [...structure.matchAll(/\/URI\s*\(([^)]*)\)/g)].map((match) => match[1] ?? "");
}

const binary = (session: SignedIn, url: string) => session.agent.get(`${API}${url}`).buffer(true).parse(binaryParser);

// ——— CSV ———

/** RFC 4180 parsing: quoted fields with doubled quotes and line breaks. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  const body = text.replace(/^\uFEFF/, "");
  for (let index = 0; index < body.length; index += 1) {
    const character = body[index] ?? "";
    if (quoted) {
      if (character === '"' && body[index + 1] === '"') {
        field += '"';
        index += 1;
      } else if (character === '"') quoted = false;
      else field += character;
    } else if (character === '"') quoted = true;
    else if (character === ",") {
      row.push(field);
      field = "";
    } else if (character === "\r" && body[index + 1] === "\n") {
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
      index += 1;
    } else field += character;
  }
  if (field !== "" || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

/** What a spreadsheet would evaluate: a cell starting with = + - @, a tab or a carriage return. */
const FORMULA_START = /^[=+\-@\t\r]/;

describe("security: payloads in every text field, rendered in e-mails, PDFs and exports", function () {
  this.timeout(600_000);
  const context = useTestApp();
  let world: PoisonedWorld;
  let directory: string;

  before(async () => {
    await clearRateLimits();
    directory = await mkdtemp(path.join(os.tmpdir(), "moussanada-xss-"));
    world = await buildPoisonedWorld(context());
    await deliverQueuedEmails();
  });

  after(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  describe("e-mails", () => {
    interface Delivered {
      template: string;
      locale: string;
      data: Record<string, string>;
      subject: string;
      text: string;
      html: string;
    }
    let delivered: Delivered[] = [];

    before(async () => {
      const captured = await CapturedEmail.findAll();
      const outbox = new Map((await OutboxMessage.findAll()).map((message) => [message.id, message]));
      delivered = captured.map((mail) => {
        const message = outbox.get(mail.outboxMessageId);
        if (!message) throw new Error(`captured mail ${mail.id} has no outbox message`);
        return {
          template: message.template,
          locale: message.locale,
          data: message.data,
          subject: mail.subject,
          text: mail.textBody,
          html: mail.htmlBody,
        };
      });
    });

    it("every e-mail that shows user text was triggered (accounts, companies, review, claims, training, certificates)", () => {
      const templates = new Set(delivered.map((mail) => mail.template));
      for (const expected of [
        "verify-email",
        "account-setup",
        "company-invitation",
        "mandate-granted",
        "application-submitted",
        "application-info-requested",
        "application-rejected",
        "application-approved",
        "application-paid",
        "application-cancelled",
        "enrolment-confirmed",
        "certificate-issued",
        "certificate-revoked",
      ]) {
        expect([...templates], expected).to.include(expected);
      }
      // Each payload reached at least one e-mail's text.
      for (const payload of PAYLOADS) {
        expect(
          delivered.some((mail) => mail.text.includes(payload.text)),
          `${payload.name} in some e-mail`,
        ).to.equal(true);
      }
    });

    it("HTML parts: only the templates' own tags, no event handler, no javascript: link, whatever the data", () => {
      expect(delivered.length).to.be.greaterThan(20);
      for (const mail of delivered) {
        const label = `${mail.template} (${mail.locale})`;
        for (const tag of startTags(mail.html)) {
          expect(TEMPLATE_TAGS.has(tag.name), `${label}: <${tag.name}> in ${tag.source}`).to.equal(true);
          expect(tag.source, label).to.not.match(/\son[a-z]+\s*=/i);
          for (const href of tag.source.matchAll(/\shref="([^"]*)"/g)) {
            expect(href[1], `${label}: ${tag.source}`).to.match(/^https?:\/\/(127\.0\.0\.1|localhost)[:/]/);
          }
        }
        expect(mail.html, label).to.not.match(/<(script|img|svg|iframe|details|style|x-y|b)\b/i);
        for (const payload of PAYLOADS) {
          if (/[<>&"']/.test(payload.text))
            expect(mail.html.includes(payload.text), `${label}: raw ${payload.name}`).to.equal(false);
        }
      }
    });

    it("each user value is shown literally: as typed in the subject and the text part, HTML-escaped in the HTML part", () => {
      let checked = 0;
      for (const mail of delivered) {
        for (const [key, value] of Object.entries(mail.data)) {
          if (!includesPayload(value)) continue;
          const label = `${mail.template} (${mail.locale}) {{${key}}}`;
          const places = placesOf(mail.locale, mail.template, key);
          if (places.subject) expect(mail.subject, label).to.include(value);
          if (places.text) expect(mail.text, label).to.include(value);
          if (places.html) expect(mail.html, label).to.include(escapeHtml(value));
          if (places.subject || places.text || places.html) checked += 1;
        }
      }
      expect(checked, "values checked").to.be.greaterThan(30);
    });

    it("no value is read as a template: the HTML has exactly its templates' tags, the title is the subject, no placeholder expanded", () => {
      for (const mail of delivered) {
        const label = `${mail.template} (${mail.locale})`;
        const expected = tagCounts(
          [
            readFileSync(path.join(EMAIL_TEMPLATES_DIR, "layout.html"), "utf8"),
            templateSource(mail.locale, "signature", "html"),
            templateSource(mail.locale, mail.template, "html"),
          ].join("\n"),
        );
        expect(tagCounts(mail.html), label).to.deep.equal(expected);
        expect(/<title>([^<]*)<\/title>/.exec(mail.html)?.[1], label).to.equal(escapeHtml(mail.subject));
        expect(`${mail.subject}\n${mail.text}\n${mail.html}`, label).to.not.include("{http");
      }
    });

    it("the subject is one line of text: no header injection through a title or a name", () => {
      for (const mail of delivered) {
        // eslint-disable-next-line no-control-regex -- the point is that none is there
        expect(mail.subject, mail.template).to.not.match(/[\r\n\u0000]/);
      }
    });
  });

  describe("links users give (a session's online link, the only user URL shown as a link)", () => {
    const REFUSED = [
      "javascript:alert(1)",
      "JaVaScRiPt:alert(1)",
      " javascript:alert(1)",
      "data:text/html,<script>alert(1)</script>",
      "vbscript:msgbox(1)",
      "http://visio.example.ma/salle",
      "//evil.example/salle",
      'https://visio.example.ma/salle"><img src=x onerror=alert(1)>',
    ];
    for (const onlineUrl of REFUSED) {
      it(`refuses ${JSON.stringify(onlineUrl)} on creation and on update (422 on onlineUrl)`, async () => {
        const trainer = world.trainer.session;
        const created = await trainer.agent
          .post(`${API}/training/sessions`)
          .set("X-CSRF-Token", trainer.csrfToken)
          .send(sessionPayload(context().clock.now(), { title: "Session en ligne", onlineUrl }));
        expect(created.status, created.text).to.equal(422);
        expect((created.body as { errors: Array<{ path: string }> }).errors.map((error) => error.path)).to.include(
          "onlineUrl",
        );
        const updated = await trainer.agent
          .patch(`${API}/training/sessions/${world.session.id}`)
          .set("X-CSRF-Token", trainer.csrfToken)
          .send({ onlineUrl });
        expect(updated.status, updated.text).to.equal(422);
      });
    }
  });

  describe("PDFs", () => {
    /** The Latin payloads: pdftotext gives Arabic back in visual order, so those are checked apart. */
    const latin = PAYLOADS.filter((payload) => !/[\u0600-\u06ff]/.test(payload.text));

    it("certificates: each payload as the holder's name is printed literally and is plain text in the XMP metadata; no active content, no link but the verification address", async () => {
      const byName = new Map(world.certificates.map((certificate) => [certificate.holderName, certificate]));
      expect(world.certificates.length).to.equal(PAYLOADS.length + 2);
      for (const payload of PAYLOADS) {
        const certificate = byName.get(payload.text);
        expect(certificate, payload.name).to.not.equal(undefined);
        if (!certificate) continue;
        const response = await binary(world.admin.session, `/certificates/${certificate.id}/pdf`);
        expect(response.status, payload.name).to.equal(200);
        const bytes = response.body as Buffer;
        const structure = await pdfStructure(bytes, directory, certificate.number);
        expect(pdfDictionaries(structure), payload.name).to.not.match(ACTIVE_PDF_NAMES);
        // The XMP metadata carries the holder's name as XML text, never as markup.
        // (Direction overrides are dropped from text printed in PDFs: server/pdf/text.ts.)
        expect(xmpTitle(structure), payload.name).to.equal(
          `Permis Numérique ${certificate.number} — ${payload.text.replace(BIDI_CONTROLS, "")}`,
        );
        // The verification address is printed and in the QR code; a link, if any, may only point there.
        for (const uri of urisOf(structure)) expect(uri, payload.name).to.equal(certificate.verificationUrl);
        if (!latin.includes(payload)) continue;
        const text = compact(await pdfText(bytes, directory, certificate.number));
        expect(text, payload.name).to.include(compact(payload.text));
      }
    });

    it("certificates: the course title (payloads) is printed literally", async () => {
      const certificate = world.certificates.find((item) => item.holderName === PAYLOADS[0]?.text);
      if (!certificate) throw new Error("no certificate");
      const response = await binary(world.admin.session, `/certificates/${certificate.id}/pdf`);
      const text = compact(await pdfText(response.body as Buffer, directory, `${certificate.number}-title`));
      for (const payload of PAYLOADS) {
        if (!POISON.sessionTitle.includes(payload.text) || !latin.includes(payload)) continue;
        expect(text, payload.name).to.include(compact(payload.text));
      }
    });

    it("the application receipt: company name, description and line labels printed literally; no active content, no link", async () => {
      for (const locale of ["fr", "ar"]) {
        const response = await binary(
          world.owner.session,
          `/applications/${world.rejected.id}/receipt.pdf?locale=${locale}`,
        );
        expect(response.status, response.text).to.equal(200);
        const bytes = response.body as Buffer;
        const structure = await pdfStructure(bytes, directory, `receipt-${locale}`);
        expect(pdfDictionaries(structure)).to.not.match(ACTIVE_PDF_NAMES);
        expect(urisOf(structure)).to.deep.equal([]);
        if (locale === "ar") continue;
        const text = compact(await pdfText(bytes, directory, `receipt-${locale}`));
        for (const [field, value] of [
          ["company name", POISON.companyName],
          ["line label", POISON.lineLabel],
          ["second line label", POISON.secondLineLabel],
        ] as const) {
          for (const payload of latin) {
            if (value.includes(payload.text))
              expect(text, `${field}: ${payload.name}`).to.include(compact(payload.text));
          }
        }
        for (const payload of latin) {
          expect(text, `description: ${payload.name}`).to.include(compact(payload.text));
        }
      }
    });
  });

  describe("exports: CSV injection", () => {
    let officer: Player;
    const names = [...CSV_INJECTIONS, "-1500", "Atlas =ok", "Normal SARL"];

    before(async () => {
      officer = world.officerA;
      const call = await seededCall();
      // Written by the model, so even a leading tab or carriage return (trimmed by the API) is kept.
      for (const name of names) {
        const company = await createCompany({ owner: world.owner.user, name });
        await fileInStatus(
          { owner: world.owner, officerA: world.officerA, officerB: world.officerB, admin: world.admin },
          "submitted",
          { company, callId: call.id },
        );
      }
    });

    it("applications.csv: every cell a spreadsheet would evaluate starts with an apostrophe; other cells are untouched", async () => {
      const response = await officer.session.agent.get(`${API}/exports/applications.csv`);
      expect(response.status, response.text).to.equal(200);
      const rows = parseCsv(response.text);
      const header = rows[0] ?? [];
      const column = header.indexOf("entreprise");
      const cells = rows.slice(1).map((row) => row[column] ?? "");
      for (const name of names) {
        const neutralised = FORMULA_START.test(name) && !/^-?\d+(\.\d+)?$/.test(name) ? `'${name}` : name;
        expect(cells, JSON.stringify(name)).to.include(neutralised);
      }
      // No cell anywhere in the file (names, payloads of the world) starts like a formula.
      for (const row of rows)
        for (const cell of row) {
          if (/^-?\d+(\.\d+)?$/.test(cell)) continue;
          expect(cell, JSON.stringify(cell)).to.not.match(FORMULA_START);
        }
      expect(cells).to.include(POISON.companyName);
    });

    it("payments.csv: the payment reference and company name are neutralised the same way", async () => {
      const response = await officer.session.agent.get(`${API}/exports/payments.csv`);
      expect(response.status, response.text).to.equal(200);
      const rows = parseCsv(response.text);
      expect(rows.length).to.be.greaterThan(1);
      for (const row of rows)
        for (const cell of row) {
          if (/^-?\d+(\.\d+)?$/.test(cell)) continue;
          expect(cell, JSON.stringify(cell)).to.not.match(FORMULA_START);
        }
      expect(rows.flat()).to.include(POISON.paymentReference);
    });

    it("applications.xlsx: hostile names are plain text cells, never formulas", async () => {
      const response = await binary(officer.session, "/exports/applications.xlsx");
      expect(response.status).to.equal(200);
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.load(response.body as Parameters<ExcelJS.Xlsx["load"]>[0]);
      const sheet = workbook.worksheets[0];
      if (!sheet) throw new Error("no sheet");
      const found: string[] = [];
      sheet.eachRow((row) =>
        row.eachCell((cell) => {
          expect(cell.type, String(cell.value)).to.not.equal(ExcelJS.ValueType.Formula);
          if (typeof cell.value === "string") found.push(cell.value);
        }),
      );
      // XML reads a raw carriage return as a line feed; either way the cell is text.
      for (const name of names) expect(found, JSON.stringify(name)).to.include(name.replace(/\r/g, "\n"));
    });
  });
});
