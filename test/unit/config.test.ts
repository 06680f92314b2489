import path from "node:path";
import { expect } from "chai";
import { ConfigError, loadConfig, type Config } from "../../server/config/index.js";

const VALID_SECRET = "s".repeat(32);

const PRODUCTION: NodeJS.ProcessEnv = {
  NODE_ENV: "production",
  DATABASE_URL: "postgres://app:secret@db.internal:5432/moussanada",
  SESSION_SECRET: VALID_SECRET,
  PUBLIC_URL: "https://moussanada.example.ma",
  ENCRYPTION_KEY: Buffer.alloc(32, 7).toString("base64"),
  SMTP_URL: "smtp://mail.internal:587",
  CERTIFICATE_KEY_FILE: "/run/secrets/permis-numerique-ed25519.pem",
};

function configError(environment: NodeJS.ProcessEnv): ConfigError {
  try {
    loadConfig(environment);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error("loadConfig accepted the environment");
}

describe("config", () => {
  describe("defaults", () => {
    it("gives development working defaults without any variable", () => {
      const config = loadConfig({});
      const expected: Config = {
        env: "development",
        isProduction: false,
        host: "127.0.0.1",
        port: 3000,
        publicUrl: "http://localhost:3000",
        databaseUrl: null,
        migrationDatabaseUrl: null,
        databasePoolMax: 10,
        sessionPoolMax: 10,
        dataDir: path.resolve(process.cwd(), ".data"),
        sessionSecret: "development-only-session-secret-not-for-production",
        logLevel: "info",
        jsonBodyLimit: "100kb",
        trustProxy: false,
        clientDistDir: path.resolve(process.cwd(), "client", "dist"),
        encryptionKey: Buffer.from("ZGV2ZWxvcG1lbnQtb25seS1rZXktMzItYnl0ZXMhISE=", "base64"),
        smtpUrl: null,
        mailFrom: "Moussanada Numérique <no-reply@moussanada.ma>",
        runWorker: true,
        workerConcurrency: 2,
        workerPollIntervalMs: 1000,
        rateLimits: {
          loginPerMinute: 20,
          registrationsPerHour: 20,
          passwordResetsPerHour: 10,
          verificationsPerMinute: 60,
        },
        storage: { driver: "local", directory: path.resolve(process.cwd(), ".data", "documents") },
        uploads: { maxFileBytes: 10 * 1024 * 1024, maxDocumentsPerApplication: 20 },
        certificates: {
          signingKeyFile: path.resolve(process.cwd(), ".data", "keys", "permis-numerique-ed25519.pem"),
          staleJobAfterMs: 30_000,
        },
      };
      expect(config).to.deep.equal(expected);
    });

    it("switches documents to an S3-compatible store, path-style when an endpoint is given", () => {
      const config = loadConfig({
        STORAGE_DRIVER: "s3",
        S3_ENDPOINT: "http://minio:9000",
        S3_BUCKET: "moussanada-documents",
        S3_ACCESS_KEY_ID: "key",
        S3_SECRET_ACCESS_KEY: "secret",
      });
      expect(config.storage).to.deep.equal({
        driver: "s3",
        endpoint: "http://minio:9000",
        region: "us-east-1",
        bucket: "moussanada-documents",
        accessKeyId: "key",
        secretAccessKey: "secret",
        forcePathStyle: true,
        prefix: "",
      });
    });

    it("refuses the S3 driver without its bucket and credentials", () => {
      const error = configError({ STORAGE_DRIVER: "s3" });
      expect(error.problems.join(" "))
        .to.match(/S3_BUCKET/)
        .and.match(/S3_ACCESS_KEY_ID/)
        .and.match(/S3_SECRET_ACCESS_KEY/);
    });

    it("keeps the test environment silent", () => {
      const config = loadConfig({ NODE_ENV: "test" });
      expect(config.env).to.equal("test");
      expect(config.isProduction).to.equal(false);
      expect(config.logLevel).to.equal("silent");
      expect(config.databaseUrl).to.equal(null);
      expect(config.port).to.equal(3000);
    });

    it("derives the public URL from the port", () => {
      expect(loadConfig({ NODE_ENV: "development", PORT: "8080" }).publicUrl).to.equal("http://localhost:8080");
    });

    it("reads every variable it knows", () => {
      const config = loadConfig({
        NODE_ENV: "development",
        HOST: "0.0.0.0",
        PORT: "4000",
        PUBLIC_URL: "https://dev.moussanada.example.ma",
        DATABASE_URL: "postgresql://localhost/moussanada",
        DATABASE_POOL_MAX: "25",
        DATA_DIR: "/var/lib/moussanada",
        SESSION_SECRET: VALID_SECRET,
        LOG_LEVEL: "debug",
        JSON_BODY_LIMIT: "2mb",
        TRUST_PROXY: "1",
      });
      expect(config).to.include({
        host: "0.0.0.0",
        port: 4000,
        publicUrl: "https://dev.moussanada.example.ma",
        databaseUrl: "postgresql://localhost/moussanada",
        databasePoolMax: 25,
        dataDir: "/var/lib/moussanada",
        sessionSecret: VALID_SECRET,
        logLevel: "debug",
        jsonBodyLimit: "2mb",
        trustProxy: 1,
      });
    });
  });

  describe("production", () => {
    it("starts with its five required variables", () => {
      const config = loadConfig(PRODUCTION);
      expect(config.env).to.equal("production");
      expect(config.isProduction).to.equal(true);
      expect(config.host).to.equal("0.0.0.0");
      expect(config.logLevel).to.equal("info");
      expect(config.databaseUrl).to.equal(PRODUCTION.DATABASE_URL);
      expect(config.sessionSecret).to.equal(VALID_SECRET);
      expect(config.publicUrl).to.equal("https://moussanada.example.ma");
    });

    const REQUIRED_IN_PRODUCTION = [
      "DATABASE_URL",
      "SESSION_SECRET",
      "PUBLIC_URL",
      "ENCRYPTION_KEY",
      "SMTP_URL",
      "CERTIFICATE_KEY_FILE",
    ];

    it("refuses to start without any of its required variables, listing each", () => {
      const error = configError({ NODE_ENV: "production" });
      expect(error.name).to.equal("ConfigError");
      expect(error.problems).to.have.length(REQUIRED_IN_PRODUCTION.length);
      for (const variable of REQUIRED_IN_PRODUCTION) {
        expect(
          error.problems.some((problem) => problem.includes(`"${variable}" is required`)),
          variable,
        ).to.equal(true);
        expect(error.message).to.contain(variable);
      }
    });

    for (const missing of REQUIRED_IN_PRODUCTION) {
      it(`refuses to start without ${missing} alone`, () => {
        const environment = { ...PRODUCTION };
        delete environment[missing];
        const error = configError(environment);
        expect(error.problems).to.deep.equal([`"${missing}" is required`]);
      });
    }

    it("never falls back to the development session secret", () => {
      const environment = { ...PRODUCTION };
      delete environment.SESSION_SECRET;
      expect(() => loadConfig(environment)).to.throw(ConfigError, "SESSION_SECRET");
    });
  });

  describe("refusals", () => {
    it("refuses a session secret shorter than 32 characters", () => {
      const error = configError({ NODE_ENV: "development", SESSION_SECRET: "s".repeat(31) });
      expect(error.problems).to.have.length(1);
      expect(error.problems[0]).to.contain("SESSION_SECRET").and.contain("32");
    });

    const badPorts = ["abc", "70000", "-1", "80.5", "65536"];
    for (const port of badPorts) {
      it(`refuses PORT=${port}`, () => {
        const error = configError({ NODE_ENV: "development", PORT: port });
        expect(error.problems).to.have.length(1);
        expect(error.problems[0]).to.contain('"PORT"');
      });
    }

    it("accepts the port bounds 0 and 65535", () => {
      expect(loadConfig({ PORT: "0" }).port).to.equal(0);
      expect(loadConfig({ PORT: "65535" }).port).to.equal(65535);
    });

    it("refuses an unknown NODE_ENV", () => {
      expect(configError({ NODE_ENV: "staging" }).problems[0]).to.contain('"NODE_ENV"');
    });

    it("refuses a DATABASE_URL that is not PostgreSQL", () => {
      expect(configError({ DATABASE_URL: "mysql://localhost/moussanada" }).problems[0]).to.contain('"DATABASE_URL"');
    });

    it("refuses a PUBLIC_URL that is not http(s)", () => {
      expect(configError({ PUBLIC_URL: "ftp://moussanada.example.ma" }).problems[0]).to.contain('"PUBLIC_URL"');
    });

    it("refuses a JSON body limit it cannot read", () => {
      expect(configError({ JSON_BODY_LIMIT: "lots" }).problems[0]).to.contain('"JSON_BODY_LIMIT"');
    });

    it("reports every problem at once", () => {
      const error = configError({ NODE_ENV: "production", PORT: "abc", SESSION_SECRET: "short" });
      const variables = ["PORT", "SESSION_SECRET", "DATABASE_URL", "PUBLIC_URL", "ENCRYPTION_KEY", "SMTP_URL"];
      variables.push("CERTIFICATE_KEY_FILE");
      expect(error.problems).to.have.length(variables.length);
      for (const variable of variables) {
        expect(error.message, variable).to.contain(`"${variable}"`);
      }
    });
  });

  describe("TRUST_PROXY", () => {
    const cases: Array<{ input: string | undefined; expected: boolean | number | string }> = [
      { input: undefined, expected: false },
      { input: "false", expected: false },
      { input: "true", expected: true },
      { input: "0", expected: 0 },
      { input: "1", expected: 1 },
      { input: "2", expected: 2 },
      { input: "loopback", expected: "loopback" },
      { input: "10.0.0.0/8, 172.16.0.0/12", expected: "10.0.0.0/8, 172.16.0.0/12" },
    ];
    for (const { input, expected } of cases) {
      it(`reads ${JSON.stringify(input)} as ${JSON.stringify(expected)}`, () => {
        const environment: NodeJS.ProcessEnv = input === undefined ? {} : { TRUST_PROXY: input };
        expect(loadConfig(environment).trustProxy).to.equal(expected);
      });
    }
  });

  describe("PUBLIC_URL", () => {
    const cases: Array<{ input: string; expected: string }> = [
      { input: "https://moussanada.example.ma/", expected: "https://moussanada.example.ma" },
      { input: "https://moussanada.example.ma///", expected: "https://moussanada.example.ma" },
      { input: "https://example.ma/moussanada/", expected: "https://example.ma/moussanada" },
      { input: "http://localhost:3000", expected: "http://localhost:3000" },
    ];
    for (const { input, expected } of cases) {
      it(`trims "${input}" to "${expected}"`, () => {
        expect(loadConfig({ PUBLIC_URL: input }).publicUrl).to.equal(expected);
      });
    }
  });
});
