import { expect } from "chai";
import { DatabaseError, QueryTypes } from "sequelize";
import request, { type Response } from "supertest";
import type { Application, User } from "../../server/models/index.js";
import { createCompany } from "../factories/companies.js";
import { createCall } from "../factories/reference.js";
import { budgetOf, examinedFile, player, transitionRequest, type Player } from "../factories/review.js";
import { createUser } from "../factories/users.js";
import { clearRateLimits } from "../helpers/auth.js";
import { envelopesOf, expectLedgerHolds, ledgerRowsOf, ledgerSum } from "../helpers/ledger.js";
import { expectProblem } from "../helpers/problem.js";
import { useTestApp } from "../helpers/testApp.js";
import { ownerSequelize, testSequelize } from "../helpers/testDatabase.js";

/** { "200": 10, "409": 90 }: what a batch of parallel requests answered. */
function histogram(statuses: number[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const status of statuses) counts[status] = (counts[status] ?? 0) + 1;
  return counts;
}

/** Centimes of a NUMERIC(14,2) string, for sums in the test (never a float). */
const centimes = (amount: string): bigint => {
  const [units = "0", fraction = "00"] = amount.split(".");
  return BigInt(units) * 100n + BigInt(fraction);
};
const money = (amount: bigint): string => `${amount / 100n}.${String(amount % 100n).padStart(2, "0")}`;

describe("budget envelopes under concurrent approvals (SPEC.md: the sum of commitments never exceeds an envelope)", function () {
  // A hundred approvals at once against one envelope row lock, and the fixtures behind them.
  this.timeout(180_000);

  const context = useTestApp();
  let owner: User;
  let examiner: User;
  /** Officers B, C, D, E: none examined the files, so each may approve them. */
  let approvers: Player[];
  let admin: Player;

  before(async () => {
    owner = await createUser({ role: "applicant", fullName: "Nadia Berrada" });
    examiner = await createUser({ role: "officer", fullName: "Officier A (examinateur)" });
    await clearRateLimits();
    approvers = [];
    for (const name of ["Officier B", "Officier C", "Officier D", "Officier E"]) {
      approvers.push(await player(context().app, "officer", name));
    }
    admin = await player(context().app, "admin", "Directrice du programme");
  });

  afterEach(expectLedgerHolds);

  interface RaceFile {
    application: Application;
    amount: string;
  }

  async function examinedFiles(
    callId: string,
    callRulesId: string,
    specs: Array<{ count: number; lineAmount: string; grantAmount: string; sectorCode?: string }>,
  ): Promise<RaceFile[]> {
    const files: RaceFile[] = [];
    for (const spec of specs) {
      const batch = await Promise.all(
        Array.from({ length: spec.count }, () =>
          examinedFile({
            callId,
            callRulesId,
            owner,
            examiner,
            lineAmount: spec.lineAmount,
            grantAmount: spec.grantAmount,
            ...(spec.sectorCode ? { sectorCode: spec.sectorCode } : {}),
          }),
        ),
      );
      files.push(...batch.map((application) => ({ application, amount: spec.grantAmount })));
    }
    return files;
  }

  /** Every file approved at once, the requests spread over the four approving officers. */
  async function approveAllAtOnce(files: RaceFile[]): Promise<Response[]> {
    return Promise.all(
      files.map((file, index) =>
        transitionRequest(approvers[index % approvers.length]!.session, file.application.id, "approve", {}),
      ),
    );
  }

  async function statusCounts(callId: string): Promise<Record<string, number>> {
    const rows = await ownerSequelize().query<{ status: string; count: string }>(
      "SELECT status, count(*) AS count FROM applications WHERE call_id = :callId GROUP BY status",
      { type: QueryTypes.SELECT, replacements: { callId } },
    );
    return Object.fromEntries(rows.map((row) => [row.status, Number(row.count)]));
  }

  function expectRefusals(responses: Response[]): void {
    for (const response of responses.filter((candidate) => candidate.status !== 200)) {
      expectProblem(response, 409, "conflict");
    }
  }

  /** The files that answered 409 are still examined, with no ledger row, no decision. */
  async function expectUntouched(files: RaceFile[], responses: Response[]): Promise<void> {
    const refused = files.filter((_file, index) => responses[index]?.status === 409);
    const rows = await ownerSequelize().query<{
      id: string;
      status: string;
      approved: string | null;
      decided: string | null;
    }>(
      `SELECT id, status, approved_amount::text AS approved, decided_by AS decided FROM applications WHERE id IN (:ids)`,
      { type: QueryTypes.SELECT, replacements: { ids: refused.map((file) => file.application.id) } },
    );
    expect(rows).to.have.length(refused.length);
    for (const row of rows) expect(row).to.deep.include({ status: "examined", approved: null, decided: null });
    const ledgerRows = await ownerSequelize().query<{ count: string }>(
      "SELECT count(*) AS count FROM budget_ledger WHERE application_id IN (:ids)",
      { type: QueryTypes.SELECT, replacements: { ids: refused.map((file) => file.application.id) } },
    );
    expect(Number(ledgerRows[0]?.count)).to.equal(0);
  }

  it("100 parallel approvals of 100,000.00 against 1,000,000.00: exactly 10 × 200 and 90 × 409, nothing overspent", async () => {
    const { call, rules } = await createCall({ envelope: "1000000.00" });
    // 166,666.67 × 60 % = 100,000.002 → 100,000.00.
    const files = await examinedFiles(call.id, rules.id, [
      { count: 100, lineAmount: "166666.67", grantAmount: "100000.00" },
    ]);

    const responses = await approveAllAtOnce(files);

    expect(histogram(responses.map((response) => response.status))).to.deep.equal({ 200: 10, 409: 90 });
    expectRefusals(responses);
    for (const response of responses.filter((candidate) => candidate.status === 200)) {
      expect(response.body).to.deep.include({ status: "approved" });
      expect((response.body as { review: { approvedAmount: string } }).review.approvedAmount).to.equal("100000.00");
    }
    expect(await statusCounts(call.id)).to.deep.equal({ approved: 10, examined: 90 });
    await expectUntouched(files, responses);

    const [envelope] = await envelopesOf(call.id);
    expect(envelope).to.deep.include({
      amount: "1000000.00",
      committed: "1000000.00",
      paid: "0.00",
      available: "0.00",
    });
    expect(await ledgerSum(envelope!.id, "commitment")).to.equal("1000000.00");
    expect(await ledgerSum(envelope!.id, "release")).to.equal("0.00");
    // One commitment row per approved file, of its amount.
    for (const [index, file] of files.entries()) {
      const rows = await ledgerRowsOf(file.application.id);
      if (responses[index]?.status === 200) {
        expect(rows).to.deep.equal([
          { envelopeId: envelope!.id, sectorCode: null, kind: "commitment", amount: "100000.00" },
        ]);
      } else expect(rows).to.deep.equal([]);
    }

    const budget = await budgetOf(approvers[0]!.session, call.id);
    expect(budget).to.deep.equal({
      callId: call.id,
      envelope: "1000000.00",
      committed: "1000000.00",
      paid: "0.00",
      available: "0.00",
      bySector: [],
    });
    // The administrator reads the same.
    expect(await budgetOf(admin.session, call.id)).to.deep.equal(budget);
  });

  it("the same race on a SECTOR envelope of 1,000,000.00 under a call envelope of 50,000,000.00: 10 approved in the sector, the other sectors unaffected", async () => {
    const { call, rules } = await createCall({
      envelope: "50000000.00",
      envelopeBySector: { "textile-habillement": "1000000.00", cuir: "20000000.00" },
    });
    const textile = await examinedFiles(call.id, rules.id, [
      { count: 100, lineAmount: "166666.67", grantAmount: "100000.00", sectorCode: "textile-habillement" },
    ]);
    // In the same race: files of two other sectors, one with its own roomy envelope, one with none.
    const others = await examinedFiles(call.id, rules.id, [
      { count: 5, lineAmount: "166666.67", grantAmount: "100000.00", sectorCode: "cuir" },
      { count: 5, lineAmount: "166666.67", grantAmount: "100000.00", sectorCode: "commerce" },
    ]);
    const files = [...textile, ...others];

    const responses = await approveAllAtOnce(files);

    const textileStatuses = responses.slice(0, textile.length).map((response) => response.status);
    const otherStatuses = responses.slice(textile.length).map((response) => response.status);
    expect(histogram(textileStatuses)).to.deep.equal({ 200: 10, 409: 90 });
    expect(histogram(otherStatuses)).to.deep.equal({ 200: 10 });
    expectRefusals(responses);
    for (const response of responses.filter((candidate) => candidate.status === 409)) {
      // The sector's envelope is the one that ran out.
      expect((response.body as { detail: string }).detail).to.match(/secteur/i);
    }
    await expectUntouched(files, responses);

    const envelopes = await envelopesOf(call.id);
    expect(
      envelopes.map(({ sectorCode, amount, committed, paid, available }) => ({
        sectorCode,
        amount,
        committed,
        paid,
        available,
      })),
    ).to.deep.equal([
      { sectorCode: null, amount: "50000000.00", committed: "2000000.00", paid: "0.00", available: "48000000.00" },
      { sectorCode: "cuir", amount: "20000000.00", committed: "500000.00", paid: "0.00", available: "19500000.00" },
      {
        sectorCode: "textile-habillement",
        amount: "1000000.00",
        committed: "1000000.00",
        paid: "0.00",
        available: "0.00",
      },
    ]);

    expect(await budgetOf(approvers[1]!.session, call.id)).to.deep.equal({
      callId: call.id,
      envelope: "50000000.00",
      committed: "2000000.00",
      paid: "0.00",
      available: "48000000.00",
      bySector: [
        { sectorCode: "cuir", envelope: "20000000.00", committed: "500000.00", paid: "0.00", available: "19500000.00" },
        {
          sectorCode: "textile-habillement",
          envelope: "1000000.00",
          committed: "1000000.00",
          paid: "0.00",
          available: "0.00",
        },
      ],
    });
  });

  it("a mixed race that does not divide evenly: 30 × 150,000.00 against 1,000,000.00 → 6 approved, 100,000.00 left", async () => {
    const { call, rules } = await createCall({ envelope: "1000000.00" });
    const files = await examinedFiles(call.id, rules.id, [
      { count: 30, lineAmount: "250000.00", grantAmount: "150000.00" },
    ]);

    const responses = await approveAllAtOnce(files);

    expect(histogram(responses.map((response) => response.status))).to.deep.equal({ 200: 6, 409: 24 });
    expectRefusals(responses);
    await expectUntouched(files, responses);
    expect(await statusCounts(call.id)).to.deep.equal({ approved: 6, examined: 24 });
    const budget = await budgetOf(approvers[2]!.session, call.id);
    expect(budget).to.deep.include({
      envelope: "1000000.00",
      committed: "900000.00",
      paid: "0.00",
      available: "100000.00",
    });
    // What is left is told in the refusal: 100,000.00 < 150,000.00.
    const refusal = responses.find((response) => response.status === 409);
    expect((refusal?.body as { detail: string }).detail)
      .to.include("100\u00a0000,00\u00a0MAD")
      .and.include("150\u00a0000,00\u00a0MAD");
  });

  it("a race of uneven amounts (150,000.00, 70,000.00, 33,333.33, 99,999.99): commitments = Σ approved ≤ envelope, and each refused amount exceeded what was left", async () => {
    const { call, rules } = await createCall({ envelope: "1000000.00" });
    const files = await examinedFiles(call.id, rules.id, [
      { count: 10, lineAmount: "250000.00", grantAmount: "150000.00" },
      { count: 10, lineAmount: "116666.67", grantAmount: "70000.00" },
      { count: 10, lineAmount: "55555.55", grantAmount: "33333.33" },
      { count: 10, lineAmount: "166666.65", grantAmount: "99999.99" },
    ]);
    // Interleave the amounts so each kind competes with every other.
    const shuffled = files
      .map((file, index) => ({ file, key: (index * 7919) % files.length }))
      .sort((left, right) => left.key - right.key)
      .map(({ file }) => file);

    const responses = await approveAllAtOnce(shuffled);

    expectRefusals(responses);
    const approved = shuffled.filter((_file, index) => responses[index]?.status === 200);
    const refused = shuffled.filter((_file, index) => responses[index]?.status === 409);
    expect(approved.length + refused.length).to.equal(shuffled.length);
    const committed = approved.reduce((total, file) => total + centimes(file.amount), 0n);
    expect(committed <= 100_000_000n, `committed ${money(committed)}`).to.equal(true);
    const available = 100_000_000n - committed;
    // Money only leaves the envelope during the race: a refusal saw at least as little as is left now.
    for (const file of refused) {
      expect(centimes(file.amount) > available, `${file.amount} refused with ${money(available)} left`).to.equal(true);
    }
    await expectUntouched(shuffled, responses);

    const [envelope] = await envelopesOf(call.id);
    expect(envelope).to.deep.include({ committed: money(committed), available: money(available), paid: "0.00" });
    expect(await ledgerSum(envelope!.id, "commitment")).to.equal(money(committed));
    expect(await budgetOf(approvers[3]!.session, call.id)).to.deep.include({
      committed: money(committed),
      available: money(available),
    });
  });

  it("20 parallel approvals of the SAME file by four officers: one 200, nineteen 409, one commitment", async () => {
    const { call, rules } = await createCall({ envelope: "1000000.00" });
    const [file] = await examinedFiles(call.id, rules.id, [
      { count: 1, lineAmount: "166666.67", grantAmount: "100000.00" },
    ]);
    const responses = await approveAllAtOnce(Array.from({ length: 20 }, () => file!));
    expect(histogram(responses.map((response) => response.status))).to.deep.equal({ 200: 1, 409: 19 });
    expectRefusals(responses);
    expect(await ledgerRowsOf(file!.application.id)).to.have.length(1);
    expect(await budgetOf(approvers[0]!.session, call.id)).to.deep.include({ committed: "100000.00" });
    const history = await ownerSequelize().query<{ count: string }>(
      "SELECT count(*) AS count FROM application_status_changes WHERE application_id = :id AND to_status = 'approved'",
      { type: QueryTypes.SELECT, replacements: { id: file!.application.id } },
    );
    expect(Number(history[0]?.count)).to.equal(1);
  });

  it("the company's cap under concurrency: two files of one company in two calls of the programme never exceed 400,000.00 together", async () => {
    const first = await createCall({ envelope: "5000000.00" });
    const second = await createCall({ envelope: "5000000.00" });
    const company = await createCompany({ owner });
    // Each alone would get 250,000.00 (416,666.67 × 60 %); together they hit the cap.
    const files = await Promise.all(
      [first, second].map(({ call, rules }) =>
        examinedFile({
          callId: call.id,
          callRulesId: rules.id,
          owner,
          examiner,
          company,
          lineAmount: "416666.67",
          grantAmount: "250000.00",
        }),
      ),
    );
    const responses = await approveAllAtOnce(files.map((application) => ({ application, amount: "250000.00" })));
    expect(
      responses.map((response) => response.status),
      responses.map((response) => response.text).join("\n"),
    ).to.deep.equal([200, 200]);
    const amounts = responses.map(
      (response) => (response.body as { review: { approvedAmount: string } }).review.approvedAmount,
    );
    // The second decision sees the first: the grant is what is left under the cap.
    expect([...amounts].sort()).to.deep.equal(["150000.00", "250000.00"]);
    const [row] = await ownerSequelize().query<{ total: string }>(
      "SELECT SUM(approved_amount)::text AS total FROM applications WHERE company_id = :companyId",
      { type: QueryTypes.SELECT, replacements: { companyId: company.id } },
    );
    expect(row?.total).to.equal("400000.00");
  });

  it("a single approval larger than what is left answers 409 and changes nothing; the exact rest is still approvable", async () => {
    const { call, rules } = await createCall({ envelope: "250000.00" });
    const [first, second, third] = await examinedFiles(call.id, rules.id, [
      { count: 3, lineAmount: "166666.67", grantAmount: "100000.00" },
    ]);
    const approve = (file: RaceFile | undefined, amount?: string) =>
      transitionRequest(approvers[0]!.session, file!.application.id, "approve", amount ? { amount } : {});

    expect((await approve(first)).status).to.equal(200);
    expect((await approve(second)).status).to.equal(200);
    const problem = expectProblem(await approve(third), 409, "conflict");
    // Amounts written for people, grouped with no-break spaces.
    expect(problem.detail).to.include("50\u00a0000,00\u00a0MAD").and.include("100\u00a0000,00\u00a0MAD");
    expect(await ledgerRowsOf(third!.application.id)).to.deep.equal([]);
    // The approver may grant less than proposed: exactly what is left fits.
    const rest = await approve(third, "50000.00");
    expect(rest.status, rest.text).to.equal(200);
    expect(await budgetOf(approvers[0]!.session, call.id)).to.deep.include({
      committed: "250000.00",
      available: "0.00",
    });
  });

  it("answers 409 with nothing changed when the call has no envelope at all", async () => {
    const { call, rules } = await createCall({ envelope: "1000000.00" });
    await ownerSequelize().query("DELETE FROM envelopes WHERE call_id = :callId", {
      replacements: { callId: call.id },
    });
    const [file] = await examinedFiles(call.id, rules.id, [
      { count: 1, lineAmount: "166666.67", grantAmount: "100000.00" },
    ]);
    expectProblem(await transitionRequest(approvers[0]!.session, file!.application.id, "approve", {}), 409, "conflict");
    expect(await ledgerRowsOf(file!.application.id)).to.deep.equal([]);
  });

  describe("the database holds the envelope even if the code did not", () => {
    it("refuses an UPDATE setting committed above the envelope's amount (CHECK amount − committed − paid ≥ 0)", async () => {
      const { call } = await createCall({ envelope: "1000000.00" });
      let failure: unknown = null;
      try {
        await testSequelize().query(
          "UPDATE envelopes SET committed = amount + 0.01 WHERE call_id = :callId AND sector_code IS NULL",
          { replacements: { callId: call.id } },
        );
      } catch (error) {
        failure = error;
      }
      expect(failure).to.be.instanceOf(DatabaseError);
      expect(String((failure as DatabaseError).parent)).to.match(/envelopes_available_not_negative|check constraint/);
      expect((await envelopesOf(call.id))[0]).to.deep.include({ committed: "0.00", available: "1000000.00" });
    });

    it("refuses committed + paid above the amount, and a negative committed or paid", async () => {
      const { call } = await createCall({ envelope: "1000000.00" });
      for (const change of ["committed = 600000.00, paid = 400000.01", "committed = -0.01", "paid = -0.01"]) {
        let failed = false;
        try {
          await testSequelize().query(`UPDATE envelopes SET ${change} WHERE call_id = :callId`, {
            replacements: { callId: call.id },
          });
        } catch (error) {
          failed = error instanceof DatabaseError;
        }
        expect(failed, change).to.equal(true);
      }
      // Exactly the envelope is allowed: available 0.00.
      await testSequelize().query(
        "UPDATE envelopes SET committed = 600000.00, paid = 400000.00 WHERE call_id = :callId",
        { replacements: { callId: call.id } },
      );
      expect((await envelopesOf(call.id))[0]).to.deep.include({ available: "0.00" });
      // Put it back as the ledger has it (no row), so the invariant holds after this test.
      await testSequelize().query("UPDATE envelopes SET committed = 0, paid = 0 WHERE call_id = :callId", {
        replacements: { callId: call.id },
      });
    });

    it("the application's role may not rewrite or delete ledger rows (append-only)", async () => {
      for (const statement of ["UPDATE budget_ledger SET amount = amount", "DELETE FROM budget_ledger"]) {
        let failure: unknown = null;
        try {
          await testSequelize().query(statement);
        } catch (error) {
          failure = error;
        }
        if (process.env.TEST_APP_DATABASE_URL === process.env.TEST_DATABASE_URL) {
          // The tests run as the schema owner (no application role on this server): nothing to prove.
          continue;
        }
        expect(String((failure as Error | null)?.message), statement).to.match(/permission denied/);
      }
    });
  });

  describe("who reads a call's budget", () => {
    it("answers 403 to an applicant, 404 for an unknown call, 401 anonymous", async () => {
      const { call } = await createCall();
      const applicant = await player(context().app, "applicant", "Dirigeant curieux");
      expectProblem(await applicant.session.agent.get(`/api/v1/calls/${call.id}/budget`), 403, "forbidden");
      expectProblem(
        await approvers[0]!.session.agent.get("/api/v1/calls/00000000-0000-4000-8000-000000000000/budget"),
        404,
        "not-found",
      );
      expectProblem(await approvers[0]!.session.agent.get("/api/v1/calls/not-a-uuid/budget"), 404, "not-found");
      expectProblem(await request(context().app).get(`/api/v1/calls/${call.id}/budget`), 401, "unauthenticated");
    });
  });
});
