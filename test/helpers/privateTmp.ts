import { chmodSync, mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";

// Imported first by test/setup.ts: every temporary folder of this run (upload temp files, test
// documents) lives under a folder of its own, so two test runs on one machine never see each
// other's files when they check that a refused upload left nothing behind.
const runDirectory = mkdtempSync(path.join(os.tmpdir(), "moussanada-test-run-"));
// Traversable by others: the embedded PostgreSQL runs initdb as its own user and reads its
// password file from here. What must stay private (uploads) gets its own 0700 folder inside.
chmodSync(runDirectory, 0o755);
process.env.TMPDIR = runDirectory;
