import { spawn } from "node:child_process";
import { expect } from "chai";
import { QueryTypes } from "sequelize";
import request from "supertest";
import { SYSTEM_ACTOR } from "../../server/commands/actor.js";
import { recordAudit } from "../../server/commands/auditRecorder.js";
import { verifyAuditChain } from "../../server/services/auditChain.js";
import { createUser, TEST_PASSWORD } from "../factories/users.js";
import { API, signIn } from "../helpers/auth.js";
import { useTestApp } from "../helpers/testApp.js";
import { ownerSequelize, resetDatabase, testSequelize } from "../helpers/testDatabase.js";

async function writeEvents(count: number): Promise<void> {
  for (let index = 0; index < count; index += 1) {
    await testSequelize().transaction((transaction) =>
      recordAudit(transaction, SYSTEM_ACTOR, {
        action: "test.event",
        entityType: "test",
        entityId: String(index + 1),
        after: { index: index + 1, label: `événement ${index + 1}` },
      }),
    );
  }
}

async function eventIdAt(position: number): Promise<string> {
  const [row] = await testSequelize().query<{ id: string }>("SELECT id FROM audit_events WHERE position = :position", {
    type: QueryTypes.SELECT,
    replacements: { position },
  });
  if (!row) throw new Error(`no event at position ${position}`);
  return String(row.id);
}

/** Runs `npm run audit:verify` against the test database, as an operator would. */
function runVerifyCommand(): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["--import", "tsx", "server/cli/auditVerify.ts"], {
      env: { ...process.env, NODE_ENV: "test", DATABASE_URL: process.env.TEST_DATABASE_URL },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.on("exit", (code) => resolve({ code, output }));
  });
}

describe("audit trail hash chain", function () {
  this.timeout(60_000);
  const context = useTestApp();

  beforeEach(async () => {
    await resetDatabase();
  });

  it("holds for events written one after another, and for concurrent writers", async () => {
    await writeEvents(5);
    await Promise.all(Array.from({ length: 20 }, () => writeEvents(1)));
    const report = await verifyAuditChain(testSequelize(), 7);
    expect(report).to.deep.equal({ ok: true, checked: 25, firstBroken: null });
  });

  it("names the edited row when an event is changed by SQL", async () => {
    await writeEvents(6);
    const tampered = await eventIdAt(4);
    await ownerSequelize().query(
      `UPDATE audit_events SET after = '{"index": 4, "label": "falsifié"}'::jsonb WHERE id = :id`,
      { replacements: { id: tampered } },
    );
    const report = await verifyAuditChain(testSequelize());
    expect(report).to.deep.equal({
      ok: false,
      checked: 3,
      firstBroken: { id: tampered, position: "4", reason: "hash-mismatch" },
    });
  });

  it("detects a deleted event, and an event whose hash was recomputed to hide an edit", async () => {
    await writeEvents(5);
    const deleted = await eventIdAt(2);
    await ownerSequelize().query("DELETE FROM audit_events WHERE id = :id", { replacements: { id: deleted } });
    const afterDelete = await verifyAuditChain(testSequelize());
    expect(afterDelete.ok).to.equal(false);
    expect(afterDelete.firstBroken?.reason).to.equal("position-gap");
    expect(afterDelete.firstBroken?.position).to.equal("3");

    await resetDatabase();
    await writeEvents(4);
    const rehashed = await eventIdAt(2);
    await ownerSequelize().query(
      `UPDATE audit_events SET actor_role = 'admin' WHERE id = :id;
       UPDATE audit_events e SET hash = audit_event_hash(e) WHERE id = :id`,
      { replacements: { id: rehashed } },
    );
    const report = await verifyAuditChain(testSequelize());
    // Row 2 is self-consistent again, but row 3 still points at the old hash.
    expect(report.firstBroken).to.deep.equal({
      id: await eventIdAt(3),
      position: "3",
      reason: "previous-hash-mismatch",
    });
  });

  it("the application's database role may append events but never change or delete one", async () => {
    await writeEvents(2);
    const id = await eventIdAt(1);
    const [who] = await testSequelize().query<{ role: string }>("SELECT current_user AS role", {
      type: QueryTypes.SELECT,
    });
    expect(who?.role).to.equal("moussanada_app");
    for (const statement of [
      "UPDATE audit_events SET action = 'test.forged' WHERE id = :id",
      "DELETE FROM audit_events WHERE id = :id",
      "TRUNCATE audit_events",
    ]) {
      const refusal = await testSequelize()
        .query(statement, { replacements: { id } })
        .then(
          () => "accepted",
          (error: unknown) => (error instanceof Error ? error.message : String(error)),
        );
      expect(refusal, statement).to.match(/permission denied for table audit_events/);
    }
    expect(await verifyAuditChain(testSequelize())).to.deep.equal({ ok: true, checked: 2, firstBroken: null });
  });

  it("npm run audit:verify exits 0 on an intact trail and 1 naming the tampered row", async () => {
    await writeEvents(3);
    const intact = await runVerifyCommand();
    expect(intact.code, intact.output).to.equal(0);
    expect(intact.output).to.contain("Audit trail intact: 3 event(s) verified.");

    const tampered = await eventIdAt(2);
    await ownerSequelize().query("UPDATE audit_events SET action = 'test.forged' WHERE id = :id", {
      replacements: { id: tampered },
    });
    const broken = await runVerifyCommand();
    expect(broken.code, broken.output).to.equal(1);
    expect(broken.output).to.contain(`Audit trail BROKEN at event id ${tampered} (position 2): hash-mismatch.`);
  });

  it("GET /audit lists events newest first for an admin, filtered by entity, and refuses others", async () => {
    await writeEvents(3);
    const admin = await createUser({ role: "admin" });
    const officer = await createUser({ role: "officer" });
    const adminSession = await signIn(context().app, admin.email, TEST_PASSWORD);
    const page = await adminSession.agent.get(`${API}/audit?entityType=test&pageSize=2`).expect(200);
    expect(page.body.total).to.equal(3);
    expect(page.body.items.map((item: { entityId: string }) => item.entityId)).to.deep.equal(["3", "2"]);
    const officerSession = await signIn(context().app, officer.email, TEST_PASSWORD);
    await officerSession.agent.get(`${API}/audit`).expect(403);
    await request(context().app).get(`${API}/audit`).expect(401);
  });
});
