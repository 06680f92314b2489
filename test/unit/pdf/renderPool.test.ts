import { expect } from "chai";
import { spawnSync } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { renderCertificatePdf, type CertificatePdfData } from "../../../server/pdf/certificate.js";
import { inlineRenderer, startRenderPool, type CertificateRenderer } from "../../../server/pdf/renderPool.js";

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..", "..");

const base: CertificatePdfData = {
  number: "PN-2026-000101",
  holderName: "Karim Benali",
  companyName: "Atlas Textiles SARL",
  courseTitle: "Initiation au numérique — promotion nationale",
  city: "Casablanca",
  sessionStartsAt: new Date("2026-07-01T08:00:00Z"),
  sessionEndsAt: new Date("2026-07-01T16:00:00Z"),
  issuedAt: new Date("2026-07-02T09:15:42Z"),
  verificationUrl: "https://moussanada.example.ma/verify/q8Zr2m1vX0aB3cD4eF5gHw",
  verificationCode: "q8Zr2m1vX0aB3cD4eF5gHw",
  keyId: "z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2",
};

/** Holders in both scripts, companies with and without, one- and several-day sessions. */
const certificates: CertificatePdfData[] = [
  ["فاطمة الزهراء بنعلي", "شركة النور للخدمات"],
  ["Zoé-Léa Chraïbi", null],
  ["لالة لبنى الإدريسي", "Boulangerie الأمل SARL"],
  ["Mohammed Amine El Idrissi", "Café لالة"],
  ["عبد الرحمن لحلو", null],
  ["Aïcha Ouazzani", "Société Générale d'Import-Export du Maghreb SARL AU"],
].map(([holderName, companyName], index) => ({
  ...base,
  number: `PN-2026-${String(201 + index).padStart(6, "0")}`,
  holderName: holderName ?? "",
  companyName: companyName ?? null,
  sessionEndsAt: index % 2 === 0 ? base.sessionEndsAt : new Date("2026-07-03T16:00:00Z"),
  verificationCode: `${"q8Zr2m1vX0aB3cD4eF5gH".slice(0, 21)}${index}`,
  verificationUrl: `https://moussanada.example.ma/verify/q8Zr2m1vX0aB3cD4eF5gH${index}`,
}));

describe("certificate render pool", function () {
  this.timeout(120_000);
  let pool: CertificateRenderer;
  let expected: Buffer[];

  before(async () => {
    expected = [];
    for (const data of certificates) expected.push(await renderCertificatePdf(data));
    pool = startRenderPool(2);
  });

  after(async () => {
    await pool.close();
  });

  it("renders on its threads the same bytes as this thread, whichever thread gets which certificate", async () => {
    expect(pool.threads).to.equal(2);
    // Twice over, all at once: each thread renders several, in an order nobody chose.
    const rendered = await Promise.all([...certificates, ...certificates].map((data) => pool.render(data)));
    rendered.forEach((pdf, index) => {
      const data = certificates[index % certificates.length];
      expect(pdf.equals(expected[index % certificates.length] ?? Buffer.alloc(0)), data?.holderName).to.equal(true);
    });
    expect(pool.renderMs).to.be.greaterThan(0);
  });

  it("a certificate that cannot be rendered fails alone: the threads go on with the next ones", async () => {
    const broken = { ...base, issuedAt: new Date(Number.NaN) };
    const [failed, fine] = await Promise.allSettled([pool.render(broken), pool.render(certificates[0] ?? base)]);
    expect(failed.status).to.equal("rejected");
    expect(failed.status === "rejected" ? String(failed.reason) : "").to.include("Invalid time value");
    expect(fine.status === "fulfilled" && fine.value.equals(expected[0] ?? Buffer.alloc(0))).to.equal(true);
  });

  it("refuses work once closed", async () => {
    const closing = startRenderPool(1);
    await closing.render(base);
    await closing.close();
    const outcome = await closing.render(base).then(
      () => "rendered",
      (error: unknown) => String(error),
    );
    expect(outcome).to.include("closed");
  });

  it("inline: the same bytes, rendered in this thread, with the time it took", async () => {
    const inline = inlineRenderer();
    expect(inline.threads).to.equal(0);
    expect((await inline.render(certificates[2] ?? base)).equals(expected[2] ?? Buffer.alloc(0))).to.equal(true);
    expect(inline.renderMs).to.be.greaterThan(0);
  });

  it("starts its threads from TypeScript sources whichever way the process loaded them (register() as npm start does)", async () => {
    const directory = await mkdtemp(path.join(tmpdir(), "moussanada-render-pool-"));
    try {
      // scripts/run.mjs registers tsx in-process: no loader in execArgv for the threads to inherit.
      const script = path.join(directory, "start.mjs");
      const tsxApi = pathToFileURL(
        path.join(projectRoot, "node_modules", "tsx", "dist", "esm", "api", "index.mjs"),
      ).href;
      const poolUrl = new URL("../../../server/pdf/renderPool.ts", import.meta.url).href;
      await writeFile(
        script,
        [
          `const { register } = await import(${JSON.stringify(tsxApi)});`,
          "register();",
          `const { startRenderPool } = await import(${JSON.stringify(poolUrl)});`,
          "const pool = startRenderPool(1);",
          `const pdf = await pool.render(JSON.parse(process.argv[2], (key, value) => (/At$/.test(key) ? new Date(value) : value)));`,
          "await pool.close();",
          "process.stdout.write(pdf.toString('base64'));",
        ].join("\n"),
      );
      const child = spawnSync(process.execPath, [script, JSON.stringify(certificates[0])], {
        cwd: projectRoot,
        encoding: "utf8",
        env: { ...process.env, NODE_OPTIONS: "" },
        maxBuffer: 16 * 1024 * 1024,
      });
      expect(child.status, child.stderr).to.equal(0);
      expect(Buffer.from(child.stdout, "base64").equals(expected[0] ?? Buffer.alloc(0))).to.equal(true);
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });
});
