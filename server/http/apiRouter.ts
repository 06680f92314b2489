import express, { type Request, type Response, type Router } from "express";
import Joi from "joi";
import joiToSwagger from "joi-to-swagger";
import { validateOrThrow } from "./validation.js";

// The package is CommonJS with a `default` export in its typings; under NodeNext the default
// import is the module object, whose `.default` is the converter.
const j2s = joiToSwagger.default;

type HttpMethod = "get" | "post" | "put" | "patch" | "delete";

export interface ResponseSpec {
  description: string;
  schema?: Joi.Schema;
  /** Defaults to application/json when a schema is given. */
  contentType?: string;
}

export interface RouteInput<Q, B, P> {
  query: Q;
  body: B;
  params: P;
}

export interface RouteSpec<Q, B, P> {
  method: HttpMethod;
  /** Express-style path relative to the router, e.g. `/calls/:id`. */
  path: string;
  summary: string;
  tags: string[];
  /** Who may call it, as written in the API contract. */
  access: string;
  query?: Joi.ObjectSchema<Q>;
  body?: Joi.Schema<B>;
  /** Documents a body the handler reads itself (multipart uploads); not validated here. */
  requestBody?: { contentType: string; schema: Joi.Schema };
  params?: Joi.ObjectSchema<P>;
  responses: Record<number, ResponseSpec>;
  handler: (input: RouteInput<Q, B, P>, req: Request, res: Response) => Promise<void> | void;
}

interface OpenApiOperation {
  summary: string;
  description: string;
  tags: string[];
  parameters: Array<Record<string, unknown>>;
  requestBody?: Record<string, unknown>;
  responses: Record<string, Record<string, unknown>>;
}

export type OpenApiPaths = Record<string, Partial<Record<HttpMethod, OpenApiOperation>>>;

function toOpenApiPath(expressPath: string): string {
  return expressPath.replace(/:(\w+)/g, "{$1}");
}

function parametersOf(schema: Joi.ObjectSchema | undefined, location: "query" | "path") {
  if (!schema) return [];
  const { swagger } = j2s(schema);
  const properties = (swagger.properties ?? {}) as Record<string, Record<string, unknown>>;
  const required = new Set<string>((swagger.required as string[] | undefined) ?? []);
  return Object.entries(properties).map(([name, property]) => ({
    name,
    in: location,
    required: location === "path" || required.has(name),
    schema: property,
    ...(typeof property.description === "string" ? { description: property.description } : {}),
  }));
}

/**
 * An Express router whose routes carry their joi schemas: the same declaration validates the
 * request and documents the operation, so /api/openapi.json cannot drift from the code.
 */
export class ApiRouter {
  readonly router: Router = express.Router();
  readonly paths: OpenApiPaths = {};

  constructor(private readonly mountPath: string) {}

  route<Q = Record<string, never>, B = undefined, P = Record<string, never>>(spec: RouteSpec<Q, B, P>): void {
    this.router[spec.method](spec.path, async (req: Request, res: Response) => {
      const input: RouteInput<Q, B, P> = {
        query: spec.query ? validateOrThrow(spec.query, req.query) : ({} as Q),
        body: spec.body ? validateOrThrow(spec.body, req.body ?? {}) : (undefined as B),
        params: spec.params ? validateOrThrow(spec.params, req.params) : ({} as P),
      };
      await spec.handler(input, req, res);
    });
    this.document(spec);
  }

  private document<Q, B, P>(spec: RouteSpec<Q, B, P>): void {
    const path = toOpenApiPath(`${this.mountPath}${spec.path}`);
    const operation: OpenApiOperation = {
      summary: spec.summary,
      description: `Accès : ${spec.access}`,
      tags: spec.tags,
      parameters: [...parametersOf(spec.params, "path"), ...parametersOf(spec.query, "query")],
      responses: {},
    };
    if (spec.body) {
      operation.requestBody = {
        required: true,
        content: { "application/json": { schema: j2s(spec.body).swagger } },
      };
    }
    if (spec.requestBody) {
      operation.requestBody = {
        required: true,
        content: { [spec.requestBody.contentType]: { schema: j2s(spec.requestBody.schema).swagger } },
      };
    }
    for (const [status, response] of Object.entries(spec.responses)) {
      const contentType = response.contentType ?? "application/json";
      operation.responses[status] = {
        description: response.description,
        ...(response.schema ? { content: { [contentType]: { schema: j2s(response.schema).swagger } } } : {}),
      };
    }
    operation.responses.default = {
      description: "Erreur (RFC 9457)",
      content: { "application/problem+json": { schema: { $ref: "#/components/schemas/Problem" } } },
    };
    this.paths[path] = { ...this.paths[path], [spec.method]: operation };
  }
}

export const problemSchema = {
  type: "object",
  required: ["type", "title", "status"],
  properties: {
    type: { type: "string", example: "urn:moussanada:problem:validation-failed" },
    code: { type: "string", example: "validation-failed" },
    title: { type: "string" },
    status: { type: "integer" },
    detail: { type: "string" },
    instance: { type: "string" },
    requestId: { type: "string" },
    errors: {
      type: "array",
      items: {
        type: "object",
        required: ["path", "message"],
        properties: { path: { type: "string" }, message: { type: "string" } },
      },
    },
  },
};

/** Schema of a paginated list answer around an item schema. */
export function listOf(item: Joi.Schema): Joi.ObjectSchema {
  return Joi.object({
    items: Joi.array().items(item).required(),
    total: Joi.number().integer().required(),
    page: Joi.number().integer().required(),
    pageSize: Joi.number().integer().required(),
  });
}
