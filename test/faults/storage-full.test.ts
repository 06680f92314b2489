import { execFile } from "node:child_process";
import { mkdir, readdir, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { expect } from "chai";
import request from "supertest";
import { UPLOAD_TEMP_DIRECTORY } from "../../server/http/uploads.js";
import { createApp } from "../../server/app.js";
import { listShippedMigrations } from "../../server/db/migrator.js";
import { ApplicationDocument, type Call, type User } from "../../server/models/index.js";
import { Readiness } from "../../server/services/readiness.js";
import { applicationPayload, createDraft, minimalPdf, seededCall, uploadRequest } from "../factories/applications.js";
import { createUser, TEST_PASSWORD } from "../factories/users.js";
import { clearRateLimits, signIn, type SignedIn } from "../helpers/auth.js";
import { expectProblem } from "../helpers/problem.js";
import { useTestApp } from "../helpers/testApp.js";
import { testSequelize } from "../helpers/testDatabase.js";
import { companyWithMandate } from "../integration/applicationsApi.js";

const run = promisify(execFile);
const KB = 1024;
/** The document store's disk, and the temporary uploads' disk when that one is tested. */
const STORE_DISK_BYTES = 256 * KB;
const TEMP_DISK_BYTES = 128 * KB;
const STORE_DIRECTORY = path.join(os.tmpdir(), `moussanada-fault-store-${process.pid}`);
const DETAIL = {
  fr: "Le stockage des pièces justificatives ne répond pas.",
  ar: "تخزين الوثائق المثبتة لا يستجيب.",
};

/** A real PDF of about `bytes`: its one content stream carries the padding. */
function pdfOfSize(bytes: number, label: string) {
  return {
    bytes: minimalPdf(`${label} ${"x".repeat(bytes)}`),
    filename: `${label}.pdf`,
    contentType: "application/pdf",
  };
}

async function mountTmpfs(directory: string, sizeBytes: number): Promise<void> {
  await mkdir(directory, { recursive: true, mode: 0o700 });
  await run("mount", ["-t", "tmpfs", "-o", `size=${sizeBytes},mode=0700`, "tmpfs", directory]);
}

async function remount(directory: string, mode: "ro" | "rw"): Promise<void> {
  await run("mount", ["-o", `remount,${mode}`, directory]);
}

async function unmount(directory: string): Promise<void> {
  await run("umount", [directory]).catch(() => undefined);
}

/** Every file under `directory`, at any depth (folders alone are not leftovers). */
async function filesUnder(directory: string): Promise<string[]> {
  const entries = await readdir(directory, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(directory, path.join(entry.parentPath, entry.name)))
    .sort();
}

interface Scenario {
  rule: string;
  /** Puts the disk in its failing state; returns how to put it right. */
  breakDisk: () => Promise<() => Promise<void>>;
  file: { bytes: Buffer; filename: string; contentType: string };
}

describe("uploads on a full or read-only disk (tmpfs mounts; needs root)", function () {
  this.timeout(120_000);
  const context = useTestApp({ config: { storage: { driver: "local", directory: STORE_DIRECTORY } } });
  let user: User;
  let owner: SignedIn;
  let call: Call;
  /** The app as production wires it: its readiness checks the document store too. */
  const probedApp = () =>
    createApp({
      ...context().services,
      readiness: new Readiness(testSequelize(), listShippedMigrations(), context().services.documentStore),
    });
  const mounted: string[] = [];

  before(async function () {
    if (process.getuid?.() !== 0) {
      process.stdout.write("      skipped: mounting a tmpfs needs root, and this run is not root\n");
      this.skip();
    }
    await mountTmpfs(STORE_DIRECTORY, STORE_DISK_BYTES);
    mounted.push(STORE_DIRECTORY);
    await clearRateLimits();
    user = await createUser({ fullName: "Yasmine Benjelloun" });
    owner = await signIn(context().app, user.email, TEST_PASSWORD);
    call = await seededCall();
  });

  after(async () => {
    for (const directory of mounted.reverse()) await unmount(directory);
    await rm(STORE_DIRECTORY, { recursive: true, force: true });
  });

  async function draftId(): Promise<string> {
    const { company } = await companyWithMandate(user, null);
    return (await createDraft(owner, applicationPayload(company.id, call.id))).id;
  }

  const scenarios: Scenario[] = [
    {
      rule: "a 400 KB document on a 256 KB document disk",
      breakDisk: async () => async () => undefined,
      file: pdfOfSize(400 * KB, "devis-volumineux"),
    },
    {
      rule: "a small document on a document disk that other files filled",
      breakDisk: async () => {
        const filler = path.join(STORE_DIRECTORY, "filler.bin");
        await writeFile(filler, Buffer.alloc(STORE_DISK_BYTES)).catch((error: NodeJS.ErrnoException) => {
          if (error.code !== "ENOSPC") throw error;
        });
        return () => rm(filler, { force: true });
      },
      file: pdfOfSize(20 * KB, "devis"),
    },
    {
      rule: "a small document on a document disk remounted read-only",
      breakDisk: async () => {
        await remount(STORE_DIRECTORY, "ro");
        return () => remount(STORE_DIRECTORY, "rw");
      },
      file: pdfOfSize(20 * KB, "devis"),
    },
    {
      rule: "a 400 KB document while the temporary upload folder's disk holds 128 KB",
      breakDisk: async () => {
        await mountTmpfs(UPLOAD_TEMP_DIRECTORY, TEMP_DISK_BYTES);
        mounted.push(UPLOAD_TEMP_DIRECTORY);
        return async () => {
          await unmount(UPLOAD_TEMP_DIRECTORY);
          mounted.splice(mounted.indexOf(UPLOAD_TEMP_DIRECTORY), 1);
        };
      },
      file: pdfOfSize(400 * KB, "devis-volumineux"),
    },
  ];

  for (const scenario of scenarios) {
    it(`${scenario.rule}: a clear 503 in fr and ar, nothing left behind; accepted once the disk is right`, async () => {
      const applicationId = await draftId();
      const repair = await scenario.breakDisk();
      let repaired = false;
      try {
        const rowsBefore = await ApplicationDocument.count();
        const storeBefore = await filesUnder(STORE_DIRECTORY);
        const tempBefore = await filesUnder(UPLOAD_TEMP_DIRECTORY);
        for (const locale of ["fr", "ar"] as const) {
          const response = await uploadRequest(owner, applicationId, "quote", scenario.file).set(
            "Accept-Language",
            locale,
          );
          const problem = expectProblem(response, 503, "service-unavailable");
          expect(problem.detail).to.equal(DETAIL[locale]);
          expect(problem.debug, "no stack for a known fault").to.equal(undefined);
          expect(response.headers["retry-after"]).to.match(/^\d+$/);
        }
        expect(await ApplicationDocument.count(), "no document row").to.equal(rowsBefore);
        expect(await filesUnder(STORE_DIRECTORY), "no partial file in the store").to.deep.equal(storeBefore);
        expect(await filesUnder(UPLOAD_TEMP_DIRECTORY), "no temporary upload left").to.deep.equal(tempBefore);

        await repair();
        repaired = true;
        const small = pdfOfSize(20 * KB, "devis-apres-reparation");
        const accepted = await uploadRequest(owner, applicationId, "quote", small);
        expect(accepted.status, accepted.text).to.equal(201);
        expect(await ApplicationDocument.count()).to.equal(rowsBefore + 1);
        const ready = await request(probedApp()).get("/readyz");
        expect(ready.status, ready.text).to.equal(200);
      } finally {
        if (!repaired) await repair();
      }
    });
  }

  it("/readyz reports the read-only document disk, and recovers when it is writable again", async () => {
    const app = probedApp();
    await remount(STORE_DIRECTORY, "ro");
    try {
      const problem = expectProblem(await request(app).get("/readyz"), 503, "service-unavailable");
      expect(problem.detail).to.equal(DETAIL.fr);
    } finally {
      await remount(STORE_DIRECTORY, "rw");
    }
    expect((await request(app).get("/readyz")).status).to.equal(200);
  });
});
