#!/usr/bin/env node
// Entry point of `npm start`, `npm test` and `npm run dev`. Plain JavaScript with no dependency,
// because its first job is to install the dependencies on a fresh clone.
import { spawn, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const npm = process.platform === "win32" ? "npm.cmd" : "npm";
const say = (message) => process.stdout.write(`\u001b[36m[moussanada]\u001b[0m ${message}\n`);

function hashFiles(files) {
  const hash = createHash("sha256");
  for (const file of files) {
    hash.update(path.relative(root, file));
    hash.update("\0");
    hash.update(readFileSync(file));
    hash.update("\0");
  }
  return hash.digest("hex");
}

function listFiles(dir, skip) {
  const files = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (skip.has(entry.name)) continue;
    if (entry.isDirectory()) files.push(...listFiles(full, skip));
    else if (entry.isFile()) files.push(full);
  }
  return files.sort();
}

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { cwd: root, stdio: "inherit", ...options });
  if (result.error) throw result.error;
  if (result.status !== 0) {
    process.stderr.write(`\n${command} ${args.join(" ")} failed (exit ${result.status ?? result.signal}).\n`);
    process.exit(result.status ?? 1);
  }
}

/** Installs dependencies when node_modules is missing or older than package.json + the lockfile. */
function ensureDependencies() {
  const lockfile = path.join(root, "package-lock.json");
  const manifest = path.join(root, "package.json");
  const stampFile = path.join(root, "node_modules", ".moussanada-install-stamp");
  const wanted = hashFiles([manifest, ...(existsSync(lockfile) ? [lockfile] : [])]);
  if (existsSync(stampFile) && readFileSync(stampFile, "utf8") === wanted) return;
  say(
    existsSync(path.join(root, "node_modules"))
      ? "Dependencies changed: installing…"
      : "First run: installing dependencies (about a minute)…",
  );
  run(npm, existsSync(lockfile) ? ["ci", "--no-audit", "--no-fund"] : ["install", "--no-audit", "--no-fund"]);
  writeFileSync(stampFile, wanted);
}

/** Builds the client when client/dist is missing or its sources (or the dependencies) changed. */
function ensureClientBuilt() {
  const clientDir = path.join(root, "client");
  const stampFile = path.join(clientDir, "dist", ".build-stamp");
  const sources = listFiles(clientDir, new Set(["dist", "node_modules"]));
  const wanted = hashFiles([...sources, path.join(root, "package-lock.json")].filter((file) => existsSync(file)));
  if (existsSync(stampFile) && readFileSync(stampFile, "utf8") === wanted) return;
  say("Building the web client…");
  run(process.execPath, [
    path.join(root, "node_modules", "vite", "bin", "vite.js"),
    "build",
    "--config",
    "client/vite.config.ts",
    "--logLevel",
    "warn",
  ]);
  writeFileSync(stampFile, wanted);
}

async function startServer() {
  process.env.NODE_ENV ??= "development";
  const { register } = await import("tsx/esm/api");
  register();
  await import(pathToFileURL(path.join(root, "server", "main.ts")).href);
}

const DEFAULT_SPECS = [
  "test/unit/**/*.test.ts",
  "test/integration/**/*.test.ts",
  "test/security/**/*.test.ts",
  "test/e2e/**/*.test.ts",
];

/** `npm test` runs everything; `npm test -- test/unit/money.test.ts` runs just the files named. */
function runTests(extraArgs) {
  process.env.NODE_ENV = "test";
  const namesFiles = extraArgs.some((arg) => arg.endsWith(".ts"));
  if (!namesFiles) extraArgs = [...DEFAULT_SPECS, ...extraArgs];
  const c8 = path.join(root, "node_modules", "c8", "bin", "c8.js");
  const mocha = path.join(root, "node_modules", "mocha", "bin", "mocha.js");
  const result = spawnSync(process.execPath, [c8, process.execPath, mocha, ...extraArgs], {
    cwd: root,
    stdio: "inherit",
  });
  process.exit(result.status ?? 1);
}

function runDev() {
  process.env.NODE_ENV ??= "development";
  const children = [
    spawn(
      process.execPath,
      [path.join(root, "node_modules", "tsx", "dist", "cli.mjs"), "watch", "--clear-screen=false", "server/main.ts"],
      { cwd: root, stdio: "inherit" },
    ),
    spawn(
      process.execPath,
      [path.join(root, "node_modules", "vite", "bin", "vite.js"), "--config", "client/vite.config.ts"],
      { cwd: root, stdio: "inherit" },
    ),
  ];
  const stop = (signal) => children.forEach((child) => child.kill(signal));
  process.on("SIGINT", () => stop("SIGINT"));
  process.on("SIGTERM", () => stop("SIGTERM"));
  say("Development mode: API on http://localhost:3000, client with hot reload on http://localhost:5173");
}

const [command = "start", ...rest] = process.argv.slice(2);
ensureDependencies();
if (command === "start") {
  ensureClientBuilt();
  await startServer();
} else if (command === "test") {
  // The browser tests load the real client.
  ensureClientBuilt();
  runTests(rest);
} else if (command === "install") {
  say("Dependencies are up to date.");
} else if (command === "dev") {
  runDev();
} else {
  process.stderr.write(`Unknown command ${command}: use start, test, dev or install.\n`);
  process.exit(64);
}
