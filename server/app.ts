import express, { type Express, type Router } from "express";
import helmet from "helmet";
import type pg from "pg";
import type { Sequelize } from "sequelize";
import type { SecretBox } from "./auth/secretBox.js";
import type { AccountDeps } from "./commands/accounts.js";
import type { Config } from "./config/index.js";
import type { Clock } from "./domain/calendar.js";
import { ApiRouter } from "./http/apiRouter.js";
import { createCsrf } from "./http/auth/csrf.js";
import { createPassport } from "./http/auth/passport.js";
import { createRateLimiters } from "./http/auth/rateLimits.js";
import { absoluteSessionTimeout, sessions } from "./http/auth/sessions.js";
import { errorHandler, notFoundHandler } from "./http/middleware/problems.js";
import { cspNonce, requestLocale, requestLogging } from "./http/middleware/requestContext.js";
import { buildOpenApiDocument, openApiRoutes } from "./http/openapi.js";
import { registerAccountRoutes } from "./http/routes/account.js";
import { registerAuditRoutes } from "./http/routes/audit.js";
import { registerAuthRoutes } from "./http/routes/auth.js";
import { registerApplicationRoutes } from "./http/routes/applications.js";
import { registerCertificateRoutes } from "./http/routes/certificates.js";
import { registerCompanyRoutes } from "./http/routes/companies.js";
import { devMailPages, registerDevMailApi } from "./http/routes/devMail.js";
import { healthRoutes } from "./http/routes/health.js";
import { registerReferenceRoutes } from "./http/routes/reference.js";
import { registerExportRoutes } from "./http/routes/exports.js";
import { registerReviewRoutes } from "./http/routes/review.js";
import { registerSimulatorRoutes } from "./http/routes/simulator.js";
import { registerStatisticsRoutes } from "./http/routes/stats.js";
import { registerTrainingRoutes } from "./http/routes/training.js";
import { wellKnownRoutes } from "./http/routes/wellKnown.js";
import { registerUserRoutes } from "./http/routes/users.js";
import { staticClient } from "./http/staticClient.js";
import "./http/types.js";
import type { Logger } from "./logger.js";
import type { Readiness } from "./services/readiness.js";
import type { CertificateSigner } from "./signing/keys.js";
import type { DocumentStore } from "./storage/documentStore.js";

/** Everything the HTTP layer needs, built once by server/main.ts (or by a test) and passed in. */
export interface AppServices {
  config: Config;
  logger: Logger;
  clock: Clock;
  readiness: Readiness;
  sequelize: Sequelize;
  /** A plain pg pool for the session store. */
  sessionPool: pg.Pool;
  secretBox: SecretBox;
  /** Where application documents live: local disk or S3-compatible storage. */
  documentStore: DocumentStore;
  /** The Ed25519 key that signs the Permis Numérique (its public half is published). */
  signer: CertificateSigner;
}

export const API_PREFIX = "/api/v1";

function setUpProxyTrust(app: Express, config: Config): void {
  app.set("trust proxy", config.trustProxy);
  app.disable("x-powered-by");
}

function setUpRequestContext(app: Express, services: AppServices): void {
  app.use(requestLogging(services.logger));
  app.use(requestLocale());
  app.use(cspNonce());
}

function setUpSecurityHeaders(app: Express, config: Config): void {
  app.use(
    helmet({
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          styleSrc: ["'self'", (_req, res) => `'nonce-${(res as express.Response).locals.cspNonce}'`],
          imgSrc: ["'self'", "data:"],
          fontSrc: ["'self'"],
          connectSrc: ["'self'"],
          objectSrc: ["'none'"],
          baseUri: ["'self'"],
          frameAncestors: ["'none'"],
          formAction: ["'self'"],
          ...(config.isProduction ? { upgradeInsecureRequests: [] } : {}),
        },
      },
      strictTransportSecurity: config.isProduction ? { maxAge: 31_536_000, includeSubDomains: true } : false,
      referrerPolicy: { policy: "strict-origin-when-cross-origin" },
      crossOriginEmbedderPolicy: false,
    }),
  );
}

function setUpBodyParsing(app: Express, config: Config): void {
  app.use(express.json({ limit: config.jsonBodyLimit, strict: true }));
}

function setUpHealthChecks(app: Express, services: AppServices): void {
  app.use(healthRoutes(services.readiness));
}

/** Public documents at fixed addresses: the keys that verify a Permis Numérique. */
function setUpWellKnown(app: Express, services: AppServices): void {
  app.use(wellKnownRoutes(services.signer, services.config.publicUrl));
}

/**
 * Sessions, sign-in and CSRF protection for the API only: static files and probes never touch
 * the session store.
 */
function setUpApi(app: Express, services: AppServices): void {
  const { config, clock, sequelize, secretBox } = services;
  const passport = createPassport();
  const csrf = createCsrf();
  const limiters = createRateLimiters(sequelize, config.rateLimits);
  const accounts: AccountDeps = { sequelize, clock, publicUrl: config.publicUrl, secretBox };

  const api = new ApiRouter(API_PREFIX);
  registerReferenceRoutes(api, { clock });
  registerAuthRoutes(api, { accounts, passport, csrf, limiters, secretBox, isProduction: config.isProduction });
  registerAccountRoutes(api, { accounts, secretBox });
  registerUserRoutes(api, { accounts, secretBox });
  registerCompanyRoutes(api, { sequelize, clock, publicUrl: config.publicUrl });
  registerSimulatorRoutes(api, { clock });
  registerReviewRoutes(api, { sequelize, clock, publicUrl: config.publicUrl });
  registerExportRoutes(api, { clock });
  registerApplicationRoutes(api, {
    sequelize,
    clock,
    publicUrl: config.publicUrl,
    store: services.documentStore,
    uploads: config.uploads,
  });
  registerTrainingRoutes(api, { sequelize, clock, publicUrl: config.publicUrl });
  registerCertificateRoutes(api, {
    sequelize,
    clock,
    publicUrl: config.publicUrl,
    store: services.documentStore,
    verificationsPerMinute: config.rateLimits.verificationsPerMinute,
  });
  registerStatisticsRoutes(api);
  registerAuditRoutes(api);
  if (!config.isProduction) registerDevMailApi(api);
  api.router.use(notFoundHandler());

  const sessionLayer: Router = express.Router();
  sessionLayer.use(sessions(config, services.sessionPool));
  sessionLayer.use(passport.initialize());
  sessionLayer.use(passport.session());
  sessionLayer.use(absoluteSessionTimeout(() => clock.now()));
  sessionLayer.use(csrf.protect);

  app.use(API_PREFIX, sessionLayer, api.router);
  app.use(openApiRoutes(buildOpenApiDocument(api.paths, config.publicUrl)));
  app.use("/api", notFoundHandler());
  if (!config.isProduction) app.use(devMailPages());
}

function setUpClient(app: Express, config: Config): void {
  app.use(staticClient(config.clientDistDir));
}

function setUpErrorHandling(app: Express, services: AppServices): void {
  app.use(notFoundHandler());
  app.use(errorHandler({ logger: services.logger, exposeInternals: !services.config.isProduction }));
}

/** Builds the HTTP application without listening: server/main.ts listens, tests use supertest. */
export function createApp(services: AppServices): Express {
  const app = express();
  setUpProxyTrust(app, services.config);
  setUpRequestContext(app, services);
  setUpSecurityHeaders(app, services.config);
  setUpBodyParsing(app, services.config);
  setUpHealthChecks(app, services);
  setUpWellKnown(app, services);
  setUpApi(app, services);
  setUpClient(app, services.config);
  setUpErrorHandling(app, services);
  return app;
}
