import { expect } from "chai";
import { QueryTypes, type Sequelize } from "sequelize";
import { createSequelize } from "../../server/db/database.js";
import { createMigrator, listShippedMigrations, MIGRATION_TABLE, migrateToLatest } from "../../server/db/migrator.js";
import { ownerSequelize, resetDatabase } from "../helpers/testDatabase.js";

/** Every table the shipped migrations create, whatever their number. */
const ALL_TABLES = [
  "audit_events",
  "call_rule_sectors",
  "call_rules",
  "calls",
  "envelopes",
  "programme_budget_lines",
  "programmes",
  "regions",
  "sectors",
  "solutions",
  "suppliers",
  "captured_emails",
  "companies",
  "company_invitations",
  "mandates",
  "outbox_messages",
  "rate_limits",
  "sessions",
  "user_tokens",
  "users",
  "reference_counters",
  "applications",
  "application_solutions",
  "application_lines",
  "documents",
  "application_status_changes",
  "application_submissions",
  "conflicts_of_interest",
  "budget_ledger",
  "claims",
  "claim_invoices",
  "training_sessions",
  "enrolments",
  "certificate_jobs",
  "certificates",
  "certificate_verifications",
  "worker_heartbeats",
].sort();

async function publicTables(sequelize: Sequelize): Promise<string[]> {
  const rows = await sequelize.query<{ tablename: string }>(
    "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename",
    { type: QueryTypes.SELECT },
  );
  return rows.map((row) => row.tablename);
}

async function appliedMigrations(sequelize: Sequelize): Promise<string[]> {
  return (await createMigrator(sequelize).executed()).map((migration) => migration.name);
}

describe("migrations", () => {
  const sequelize = (): Sequelize => ownerSequelize();

  // Whatever happens here, the next test file finds a migrated and seeded database.
  after(async () => {
    await migrateToLatest(sequelize());
    await resetDatabase();
  });

  it("ships migrations named by date, applied in file order", async () => {
    const shipped = listShippedMigrations();
    expect(shipped.length).to.be.at.least(1);
    for (const name of shipped) expect(name).to.match(/^\d{8}-\d{4}-[a-z0-9-]+\.ts$/);
    expect(shipped).to.deep.equal([...shipped].sort());
    expect(await appliedMigrations(sequelize())).to.deep.equal(shipped);
  });

  it("every migration goes down to nothing and up again cleanly", async () => {
    const migrator = createMigrator(sequelize());
    const shipped = listShippedMigrations();
    expect(await publicTables(sequelize())).to.include.members(ALL_TABLES);

    await migrator.down({ to: 0 });
    expect(await appliedMigrations(sequelize())).to.deep.equal([]);
    expect(await publicTables(sequelize())).to.deep.equal([MIGRATION_TABLE]);

    const applied = await migrator.up();
    expect(applied.map((migration) => migration.name)).to.deep.equal(shipped);
    expect(await publicTables(sequelize())).to.deep.equal([...ALL_TABLES, MIGRATION_TABLE].sort());

    await resetDatabase();
    const [row] = await sequelize().query<{ count: string }>("SELECT count(*) AS count FROM regions", {
      type: QueryTypes.SELECT,
    });
    expect(row?.count).to.equal("12");
  });

  it("each migration can be undone and redone on its own, newest first", async () => {
    const migrator = createMigrator(sequelize());
    const shipped = listShippedMigrations();
    for (let remaining = shipped.length - 1; remaining >= 0; remaining -= 1) {
      await migrator.down({ step: 1 });
      expect(await appliedMigrations(sequelize())).to.deep.equal(shipped.slice(0, remaining));
    }
    for (let count = 1; count <= shipped.length; count += 1) {
      await migrator.up({ step: 1 });
      expect(await appliedMigrations(sequelize())).to.deep.equal(shipped.slice(0, count));
    }
    await resetDatabase();
  });

  it("migrateToLatest has nothing to do on an up-to-date database", async () => {
    expect(await migrateToLatest(sequelize())).to.deep.equal([]);
  });

  it("migrateToLatest is safe when two instances call it at the same time (advisory lock)", async () => {
    const url = process.env.TEST_DATABASE_URL;
    if (!url) throw new Error("TEST_DATABASE_URL is set by test/setup.ts");
    await createMigrator(sequelize()).down({ to: 0 });
    expect(await publicTables(sequelize())).to.deep.equal([MIGRATION_TABLE]);

    // Two app instances starting together: two pools, two connections racing for the schema.
    const instances = [
      createSequelize({ url, poolMax: 3, applicationName: "moussanada-test-instance-a" }),
      createSequelize({ url, poolMax: 3, applicationName: "moussanada-test-instance-b" }),
    ];
    try {
      const results = await Promise.allSettled(instances.map((instance) => migrateToLatest(instance)));
      const applied = results.map((result) => {
        if (result.status === "rejected") throw result.reason;
        return result.value;
      });
      const shipped = listShippedMigrations();
      // One instance applied everything, the other waited for the lock and found nothing to do.
      expect([...applied].sort((a, b) => a.length - b.length)).to.deep.equal([[], shipped]);
    } finally {
      await Promise.all(instances.map((instance) => instance.close()));
    }
    expect(await appliedMigrations(sequelize())).to.deep.equal(listShippedMigrations());
    expect(await publicTables(sequelize())).to.include.members(ALL_TABLES);

    // The lock was released: a third caller does not wait.
    expect(await migrateToLatest(sequelize())).to.deep.equal([]);
    await resetDatabase();
  });

  it("migrateToLatest is also safe when called twice at once on the same pool", async () => {
    await createMigrator(sequelize()).down({ to: 0 });
    const applied = await Promise.all([migrateToLatest(sequelize()), migrateToLatest(sequelize())]);
    expect([...applied].sort((a, b) => a.length - b.length)).to.deep.equal([[], listShippedMigrations()]);
    expect(await publicTables(sequelize())).to.deep.equal([...ALL_TABLES, MIGRATION_TABLE].sort());
    await resetDatabase();
  });
});
