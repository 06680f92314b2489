import { randomUUID } from "node:crypto";
import type { Response } from "supertest";
import { applicationPayload, idempotencyKey, pdfFile, type UploadFile } from "../factories/applications.js";
import { companyPayload } from "../factories/companies.js";
import { DEFAULT_BODIES, type ReviewAction } from "../factories/review.js";
import { apiGet, sessionPayload } from "../factories/training.js";
import { TEST_PASSWORD, uniqueEmail } from "../factories/users.js";
import type { BrowserSession } from "../helpers/auth.js";
import { TEST_NOW } from "../helpers/testDatabase.js";
import {
  ACTORS,
  type ActorKey,
  type ClaimFile,
  type ClientCompany,
  type EnrolmentTarget,
  type SignedInActor,
  type World,
} from "./permissionWorld.js";

/**
 * The permission matrix as a table: for every route the app registers, one or more records, and
 * for each of the 13 actors (see ACTOR_DESCRIPTIONS) the status the product answers. Columns:
 *
 *   ano anonymous · own owner (applicant) · ap2 another applicant · man prescriber, live mandate ·
 *   rev prescriber, revoked mandate · exp prescriber, expired mandate · pr2 prescriber, no mandate ·
 *   exa officer who examined the file · of2 second officer · con officer with a declared conflict ·
 *   trn trainer of the session · tr2 another trainer · adm administrator
 *
 * A cell is a status, or L / H: 200 with the record listed / hidden in the list. 404 is the answer
 * for a record the caller may not know exists, 403 for one it may see but not act on (SPEC.md "HTTP
 * API"). Every allowed call that changes something runs on a throw-away record (`fresh`).
 */

export type Cell = number | "L" | "H";

export interface HttpCall {
  method: "GET" | "POST" | "PATCH" | "DELETE";
  /** Full path with the query, e.g. /api/v1/applications/<id>?locale=fr */
  path: string;
  body?: object;
  upload?: { type: string; file: UploadFile };
  headers?: Record<string, string>;
}

export interface Prepared {
  call: HttpCall;
  /** A browser of the target's own (a throw-away account or a second session), instead of the actor's. */
  caller?: BrowserSession;
  /** What the record's `permissions` tell this caller about the action (the UI's buttons). */
  ability?: (caller: BrowserSession) => Promise<boolean>;
  listed?: (body: unknown) => boolean;
}

export interface Group {
  route: string;
  record: string;
  cells: Record<ActorKey, Cell>;
  /** An unsafe method: a refused call must change nothing, an allowed one runs on a fresh record. */
  mutates: boolean;
  /** An allowed call whose effect the state fingerprint does not see (a keyed job replaced in place). */
  silent: boolean;
  abilityName: string | null;
  prepare(world: World, actor: ActorKey, fresh: boolean): Promise<Prepared>;
}

interface Ability<T> {
  name: string;
  read: (caller: BrowserSession, target: T) => Promise<boolean>;
}

interface GroupSpec<T> {
  route: string;
  record: string;
  cells: string;
  /** The record refused calls and reads use (never changed by an allowed call). */
  shared: (world: World, actor: ActorKey) => T;
  /** A throw-away record for an allowed call that changes something. */
  fresh?: (world: World, actor: SignedInActor) => Promise<T>;
  call: (target: T, world: World) => HttpCall;
  caller?: (target: T) => BrowserSession;
  ability?: Ability<T>;
  listed?: (body: unknown, target: T) => boolean;
  silent?: boolean;
}

export function isSuccess(cell: Cell): boolean {
  return typeof cell === "string" || (cell >= 200 && cell < 300);
}

function parseCells(text: string): Record<ActorKey, Cell> {
  const tokens = text.trim().split(/\s+/);
  if (tokens.length !== ACTORS.length) throw new Error(`"${text}": ${tokens.length} cells for ${ACTORS.length} actors`);
  return Object.fromEntries(
    ACTORS.map((actor, index) => {
      const token = tokens[index] ?? "";
      if (token === "L" || token === "H") return [actor, token];
      if (!/^\d{3}$/.test(token)) throw new Error(`"${token}" is not a cell`);
      return [actor, Number(token)];
    }),
  ) as Record<ActorKey, Cell>;
}

function group<T>(spec: GroupSpec<T>): Group {
  const method = spec.route.split(" ")[0];
  return {
    route: spec.route,
    record: spec.record,
    cells: parseCells(spec.cells),
    mutates: method !== "GET",
    silent: spec.silent ?? false,
    abilityName: spec.ability?.name ?? null,
    async prepare(world, actor, fresh) {
      let target: T;
      if (fresh) {
        if (!spec.fresh || actor === "anonymous") throw new Error(`${spec.route}: no fresh record for ${actor}`);
        target = await spec.fresh(world, actor);
      } else {
        target = spec.shared(world, actor);
      }
      const { ability, listed } = spec;
      return {
        call: spec.call(target, world),
        ...(spec.caller ? { caller: spec.caller(target) } : {}),
        ...(ability ? { ability: (caller: BrowserSession) => ability.read(caller, target) } : {}),
        ...(listed ? { listed: (body: unknown) => listed(body, target) } : {}),
      };
    },
  };
}

// ——— Requests ———

const V1 = "/api/v1";
const get = (path: string): HttpCall => ({ method: "GET", path: `${V1}${path}` });
const post = (path: string, body: object = {}, headers?: Record<string, string>): HttpCall => ({
  method: "POST",
  path: `${V1}${path}`,
  body,
  ...(headers ? { headers } : {}),
});
const patch = (path: string, body: object): HttpCall => ({ method: "PATCH", path: `${V1}${path}`, body });
const del = (path: string): HttpCall => ({ method: "DELETE", path: `${V1}${path}` });
const upload = (path: string, type: string, file: UploadFile): HttpCall => ({
  method: "POST",
  path: `${V1}${path}`,
  upload: { type, file },
});

// ——— What the answers tell the client ———

type Permissions = Record<string, boolean> | undefined;

function flagIn(response: Response, action: string, pick: (body: unknown) => Permissions): boolean {
  if (response.status !== 200) return false;
  return pick(response.body)?.[action] === true;
}

const ownPermissions = (body: unknown): Permissions => (body as { permissions?: Permissions }).permissions;

function itemPermissions(id: string) {
  return (body: unknown): Permissions =>
    (body as { items?: Array<{ id: string; permissions?: Permissions }> }).items?.find((item) => item.id === id)
      ?.permissions;
}

const listedId =
  (id: string) =>
  (body: unknown): boolean =>
    ((body as { items?: Array<{ id: string }> }).items ?? []).some((item) => item.id === id);

function applicationAbility<T>(action: string, fileId: (target: T) => string): Ability<T> {
  return {
    name: `application.${action}`,
    read: async (caller, target) =>
      flagIn(await apiGet(caller, `/applications/${fileId(target)}`), action, ownPermissions),
  };
}

function companyAbility<T>(action: string, companyId: (target: T) => string): Ability<T> {
  return {
    name: `company.${action}`,
    read: async (caller, target) =>
      flagIn(await apiGet(caller, `/companies/${companyId(target)}`), action, ownPermissions),
  };
}

function mandateAbility<T>(action: string, ids: (target: T) => { companyId: string; mandateId: string }): Ability<T> {
  return {
    name: `mandate.${action}`,
    read: async (caller, target) => {
      const { companyId, mandateId } = ids(target);
      return flagIn(await apiGet(caller, `/companies/${companyId}/mandates`), action, itemPermissions(mandateId));
    },
  };
}

function sessionAbility<T>(action: string, sessionId: (target: T) => string): Ability<T> {
  return {
    name: `session.${action}`,
    read: async (caller, target) =>
      flagIn(await apiGet(caller, `/training/sessions/${sessionId(target)}`), action, ownPermissions),
  };
}

function enrolmentAbility(action: string): Ability<EnrolmentTarget> {
  return {
    name: `enrolment.${action}`,
    read: async (caller, { enrolment, session }) =>
      flagIn(
        await apiGet(caller, `/training/enrolments?sessionId=${session.id}&pageSize=100`),
        action,
        itemPermissions(enrolment.id),
      ),
  };
}

function certificateAbility(action: string): Ability<{ id: string }> {
  return {
    name: `certificate.${action}`,
    read: async (caller, { id }) => flagIn(await apiGet(caller, `/certificates/${id}`), action, ownPermissions),
  };
}

// ——— Records ———

interface FileRef {
  id: string;
}
interface DocumentRef {
  fileId: string;
  docId: string;
}

const fileId = (file: FileRef) => file.id;
const claimFileId = (target: ClaimFile) => target.file.id;
const companyIdOf = (client: ClientCompany) => client.company.id;

function firstDocument(file: { id: string; documents: Array<{ id: string }> }): DocumentRef {
  const document = file.documents[0];
  if (!document) throw new Error(`file ${file.id} has no document`);
  return { fileId: file.id, docId: document.id };
}

const transitionGroup = (spec: {
  action: ReviewAction;
  ability: string;
  record: string;
  cells: string;
  shared: (world: World) => FileRef;
  fresh: (world: World) => Promise<FileRef>;
}) =>
  group<FileRef>({
    route: `POST /api/v1/applications/:id/${spec.action}`,
    record: spec.record,
    cells: spec.cells,
    shared: spec.shared,
    fresh: spec.fresh,
    call: (file) => post(`/applications/${file.id}/${spec.action}`, DEFAULT_BODIES[spec.action]),
    ability: applicationAbility(spec.ability, fileId),
  });

const NEW_PASSWORD = "Un tout autre secret 2026";

// prettier-ignore
export const GROUPS: Group[] = [
  // ——— Session and own account ———
  group<null>({
    route: "GET /api/v1/auth/me",
    record: "own account",
    //      ano own ap2 man rev exp pr2 exa of2 con trn tr2 adm
    cells: "401 200 200 200 200 200 200 200 200 200 200 200 200",
    shared: () => null,
    call: () => get("/auth/me"),
  }),
  group<BrowserSession>({
    route: "POST /api/v1/auth/logout",
    record: "own session (a second browser of the actor)",
    //      ano own ap2 man rev exp pr2 exa of2 con trn tr2 adm
    cells: "401 204 204 204 204 204 204 204 204 204 204 204 204",
    shared: (world) => world.callers.anonymous,
    fresh: (world, actor) => world.fresh.secondSession(actor),
    call: () => post("/auth/logout"),
    caller: (session) => session,
  }),
  group<BrowserSession>({
    route: "PATCH /api/v1/account",
    record: "own account (a throw-away user of the actor's role)",
    //      ano own ap2 man rev exp pr2 exa of2 con trn tr2 adm
    cells: "401 200 200 200 200 200 200 200 200 200 200 200 200",
    shared: (world) => world.callers.anonymous,
    fresh: (world, actor) => world.fresh.ownAccount(actor),
    call: () => patch("/account", { fullName: "Nom Changé" }),
    caller: (session) => session,
  }),
  group<BrowserSession>({
    route: "POST /api/v1/account/password",
    record: "own account (a throw-away user of the actor's role)",
    //      ano own ap2 man rev exp pr2 exa of2 con trn tr2 adm
    cells: "401 200 200 200 200 200 200 200 200 200 200 200 200",
    shared: (world) => world.callers.anonymous,
    fresh: (world, actor) => world.fresh.ownAccount(actor),
    call: () => post("/account/password", { currentPassword: TEST_PASSWORD, newPassword: NEW_PASSWORD }),
    caller: (session) => session,
  }),

  // ——— Users (admin) ———
  group<{ id: string; email: string }>({
    route: "GET /api/v1/users",
    record: "the owner's account, searched by e-mail",
    //      ano own ap2 man rev exp pr2 exa of2 con trn tr2 adm
    cells: "401 403 403 403 403 403 403 403 403 403 403 403 L  ",
    shared: (world) => world.users.owner,
    call: (user) => get(`/users?q=${encodeURIComponent(user.email)}`),
    listed: (body, user) => listedId(user.id)(body),
  }),
  group<null>({
    route: "POST /api/v1/users",
    record: "a new officer account",
    //      ano own ap2 man rev exp pr2 exa of2 con trn tr2 adm
    cells: "401 403 403 403 403 403 403 403 403 403 403 403 201",
    shared: () => null,
    fresh: async () => null,
    call: () => post("/users", { email: uniqueEmail("agent"), fullName: "Agent Nouveau", role: "officer" }),
  }),
  group<{ id: string }>({
    route: "GET /api/v1/users/:id",
    record: "the owner's account",
    //      ano own ap2 man rev exp pr2 exa of2 con trn tr2 adm
    cells: "401 403 403 403 403 403 403 403 403 403 403 403 200",
    shared: (world) => world.users.owner,
    call: (user) => get(`/users/${user.id}`),
  }),
  group<{ id: string }>({
    route: "PATCH /api/v1/users/:id",
    record: "a staff account (disable it)",
    //      ano own ap2 man rev exp pr2 exa of2 con trn tr2 adm
    cells: "401 403 403 403 403 403 403 403 403 403 403 403 200",
    shared: (world) => world.staffVictim,
    fresh: (world) => world.fresh.staffUser(),
    call: (user) => patch(`/users/${user.id}`, { disabled: true }),
  }),
  group<{ id: string }>({
    route: "PATCH /api/v1/users/:id",
    record: "the caller's own account (an admin never disables itself)",
    //      ano own ap2 man rev exp pr2 exa of2 con trn tr2 adm
    cells: "401 403 403 403 403 403 403 403 403 403 403 403 409",
    shared: (world, actor) => (actor === "anonymous" ? world.users.owner : world.users[actor]),
    call: (user) => patch(`/users/${user.id}`, { disabled: true }),
  }),

  // ——— Companies and mandates ———
  group<null>({
    route: "POST /api/v1/companies",
    record: "a new company (fresh ICE, manager named)",
    //      ano own ap2 man rev exp pr2 exa of2 con trn tr2 adm
    cells: "401 201 201 201 201 201 201 403 403 403 403 403 403",
    shared: () => null,
    fresh: async () => null,
    call: () =>
      post("/companies", companyPayload({ managerName: "Dirigeant Client", managerEmail: uniqueEmail("dirigeant") })),
  }),
  group<ClientCompany>({
    route: "GET /api/v1/companies",
    record: "client company A, searched by ICE",
    //      ano own ap2 man rev exp pr2 exa of2 con trn tr2 adm
    cells: "401 L   H   L   H   H   H   L   L   L   403 403 L  ",
    shared: (world) => world.client,
    call: ({ company }) => get(`/companies?q=${company.ice}`),
    listed: (body, { company }) => listedId(company.id)(body),
  }),
  group<ClientCompany>({
    route: "GET /api/v1/companies/:id",
    record: "client company A",
    //      ano own ap2 man rev exp pr2 exa of2 con trn tr2 adm
    cells: "401 200 404 200 404 404 404 200 200 200 404 404 200",
    shared: (world) => world.client,
    call: ({ company }) => get(`/companies/${company.id}`),
    ability: companyAbility("read", companyIdOf),
  }),
  group<ClientCompany>({
    route: "PATCH /api/v1/companies/:id",
    record: "client company A",
    //      ano own ap2 man rev exp pr2 exa of2 con trn tr2 adm
    cells: "401 200 404 200 404 404 404 403 403 403 404 404 403",
    shared: (world) => world.client,
    fresh: (world) => world.fresh.clientCompany(),
    call: ({ company }) => patch(`/companies/${company.id}`, { employees: 31 }),
    ability: companyAbility("update", companyIdOf),
  }),
  group<ClientCompany>({
    route: "GET /api/v1/companies/:id/mandates",
    record: "client company A",
    //      ano own ap2 man rev exp pr2 exa of2 con trn tr2 adm
    cells: "401 200 404 200 404 404 404 200 200 200 404 404 200",
    shared: (world) => world.client,
    call: ({ company }) => get(`/companies/${company.id}/mandates`),
    ability: companyAbility("listMandates", companyIdOf),
  }),
  group<ClientCompany>({
    route: "POST /api/v1/companies/:id/mandates",
    record: "client company A (mandate for the prescriber without one)",
    //      ano own ap2 man rev exp pr2 exa of2 con trn tr2 adm
    cells: "401 201 404 403 404 404 404 403 403 403 404 404 403",
    shared: (world) => world.client,
    fresh: (world) => world.fresh.clientCompany(),
    call: ({ company }, world) => post(`/companies/${company.id}/mandates`, { prescriberEmail: world.users.prescriber2.email }),
    ability: companyAbility("grantMandate", companyIdOf),
  }),
  group<ClientCompany>({
    route: "DELETE /api/v1/mandates/:id",
    record: "the live mandate of company A",
    //      ano own ap2 man rev exp pr2 exa of2 con trn tr2 adm
    cells: "401 200 404 403 404 404 404 403 403 403 404 404 403",
    shared: (world) => world.client,
    fresh: (world) => world.fresh.clientCompany(),
    call: ({ liveMandate }) => del(`/mandates/${liveMandate.id}`),
    ability: mandateAbility("revoke", ({ company, liveMandate }) => ({ companyId: company.id, mandateId: liveMandate.id })),
  }),
  group<ClientCompany>({
    route: "DELETE /api/v1/mandates/:id",
    record: "the revoked mandate of company A (revoking again changes nothing)",
    //      ano own ap2 man rev exp pr2 exa of2 con trn tr2 adm
    cells: "401 200 404 404 403 404 404 403 403 403 404 404 403",
    shared: (world) => world.client,
    fresh: (world) => world.fresh.clientCompany(),
    call: ({ revokedMandate }) => del(`/mandates/${revokedMandate.id}`),
    silent: true,
  }),
  group<{ token: string }>({
    route: "POST /api/v1/companies/claim",
    record: "an invitation to an unclaimed company (bearer token from the e-mail)",
    //      ano own ap2 man rev exp pr2 exa of2 con trn tr2 adm
    cells: "401 200 200 403 403 403 403 403 403 403 403 403 403",
    shared: (world) => world.invitation,
    fresh: (world) => world.fresh.invitation(),
    call: ({ token }) => post("/companies/claim", { token }),
  }),

  // ——— Applications: the company's side ———
  group<ClientCompany>({
    route: "POST /api/v1/applications",
    record: "a draft for client company A",
    //      ano own ap2 man rev exp pr2 exa of2 con trn tr2 adm
    cells: "401 201 404 201 404 404 404 403 403 403 403 403 403",
    shared: (world) => world.client,
    fresh: (world) => world.fresh.clientCompany(),
    call: ({ company }, world) => post("/applications", applicationPayload(company.id, world.callId)),
    ability: companyAbility("createApplication", companyIdOf),
  }),
  group<FileRef & { companyId: string }>({
    route: "GET /api/v1/applications",
    record: "a file in review, filtered by its company",
    //      ano own ap2 man rev exp pr2 exa of2 con trn tr2 adm
    cells: "401 L   H   L   H   H   H   L   L   L   403 403 L  ",
    shared: (world) => ({ id: world.files.inReview.id, companyId: world.files.inReview.company.id }),
    call: ({ companyId }) => get(`/applications?companyId=${companyId}&pageSize=100`),
    listed: (body, { id }) => listedId(id)(body),
  }),
  group<FileRef & { companyId: string }>({
    route: "GET /api/v1/applications",
    record: "a draft of client company A (drafts are the company's own)",
    //      ano own ap2 man rev exp pr2 exa of2 con trn tr2 adm
    cells: "401 L   H   L   H   H   H   H   H   H   403 403 H  ",
    shared: (world) => ({ id: world.draft.file.id, companyId: world.client.company.id }),
    call: ({ companyId }) => get(`/applications?companyId=${companyId}&pageSize=100`),
    listed: (body, { id }) => listedId(id)(body),
  }),
  group<FileRef>({
    route: "GET /api/v1/applications/:id",
    record: "a draft",
    //      ano own ap2 man rev exp pr2 exa of2 con trn tr2 adm
    cells: "401 200 404 200 404 404 404 404 404 404 404 404 404",
    shared: (world) => world.draft.file,
    call: ({ id }) => get(`/applications/${id}`),
    ability: applicationAbility("read", fileId),
  }),
  group<FileRef>({
    route: "GET /api/v1/applications/:id",
    record: "a file in review",
    //      ano own ap2 man rev exp pr2 exa of2 con trn tr2 adm
    cells: "401 200 404 200 404 404 404 200 200 200 404 404 200",
    shared: (world) => world.files.inReview,
    call: ({ id }) => get(`/applications/${id}`),
    ability: applicationAbility("read", fileId),
  }),
  group<FileRef>({
    route: "PATCH /api/v1/applications/:id",
    record: "a draft",
    //      ano own ap2 man rev exp pr2 exa of2 con trn tr2 adm
    cells: "401 200 404 200 404 404 404 404 404 404 404 404 404",
    shared: (world) => world.draft.file,
    fresh: (world) => world.fresh.draft(),
    call: ({ id }) => patch(`/applications/${id}`, { description: "Logiciel de caisse et de gestion des stocks" }),
    ability: applicationAbility("update", fileId),
  }),
  group<FileRef>({
    route: "PATCH /api/v1/applications/:id",
    record: "a file in review (no longer editable)",
    //      ano own ap2 man rev exp pr2 exa of2 con trn tr2 adm
    cells: "401 409 404 409 404 404 404 403 403 403 404 404 403",
    shared: (world) => world.files.inReview,
    call: ({ id }) => patch(`/applications/${id}`, { description: "Logiciel de caisse et de gestion des stocks" }),
    ability: applicationAbility("update", fileId),
  }),
  group<FileRef>({
    route: "POST /api/v1/applications/:id/documents",
    record: "a draft (upload a quote)",
    //      ano own ap2 man rev exp pr2 exa of2 con trn tr2 adm
    cells: "401 201 404 201 404 404 404 404 404 404 404 404 404",
    shared: (world) => world.draft.file,
    fresh: (world) => world.fresh.draft(),
    call: ({ id }) => upload(`/applications/${id}/documents`, "quote", pdfFile("devis-2.pdf", `devis-${randomUUID()}`)),
    ability: applicationAbility("uploadDocument", fileId),
  }),
  group<FileRef>({
    route: "POST /api/v1/applications/:id/documents",
    record: "a file in review (upload a quote)",
    //      ano own ap2 man rev exp pr2 exa of2 con trn tr2 adm
    cells: "401 409 404 409 404 404 404 403 403 403 404 404 403",
    shared: (world) => world.files.inReview,
    call: ({ id }) => upload(`/applications/${id}/documents`, "quote", pdfFile("devis-2.pdf", `devis-${randomUUID()}`)),
    ability: applicationAbility("uploadDocument", fileId),
  }),
  group<DocumentRef>({
    route: "GET /api/v1/applications/:id/documents/:docId",
    record: "a draft's quote",
    //      ano own ap2 man rev exp pr2 exa of2 con trn tr2 adm
    cells: "401 200 404 200 404 404 404 404 404 404 404 404 404",
    shared: (world) => ({ fileId: world.draft.file.id, docId: world.draft.document.id }),
    call: ({ fileId: id, docId }) => get(`/applications/${id}/documents/${docId}`),
    ability: applicationAbility("downloadDocument", ({ fileId: id }) => id),
  }),
  group<DocumentRef>({
    route: "GET /api/v1/applications/:id/documents/:docId",
    record: "a quote of a file in review",
    //      ano own ap2 man rev exp pr2 exa of2 con trn tr2 adm
    cells: "401 200 404 200 404 404 404 200 200 200 404 404 200",
    shared: (world) => firstDocument(world.files.inReview),
    call: ({ fileId: id, docId }) => get(`/applications/${id}/documents/${docId}`),
    ability: applicationAbility("downloadDocument", ({ fileId: id }) => id),
  }),
  group<DocumentRef>({
    route: "GET /api/v1/applications/:id/documents/:docId",
    record: "a file in review with the document of a stranger's file",
    //      ano own ap2 man rev exp pr2 exa of2 con trn tr2 adm
    cells: "401 404 404 404 404 404 404 404 404 404 404 404 404",
    shared: (world) => ({ fileId: world.files.inReview.id, docId: firstDocument(world.strangerFile).docId }),
    call: ({ fileId: id, docId }) => get(`/applications/${id}/documents/${docId}`),
  }),
  group<DocumentRef>({
    route: "DELETE /api/v1/applications/:id/documents/:docId",
    record: "a draft's quote",
    //      ano own ap2 man rev exp pr2 exa of2 con trn tr2 adm
    cells: "401 204 404 204 404 404 404 404 404 404 404 404 404",
    shared: (world) => ({ fileId: world.draft.file.id, docId: world.draft.document.id }),
    fresh: async (world) => {
      const { file, document } = await world.fresh.draftWithDocument();
      return { fileId: file.id, docId: document.id };
    },
    call: ({ fileId: id, docId }) => del(`/applications/${id}/documents/${docId}`),
    ability: applicationAbility("deleteDocument", ({ fileId: id }) => id),
  }),
  group<DocumentRef>({
    route: "DELETE /api/v1/applications/:id/documents/:docId",
    record: "a quote of a file in review",
    //      ano own ap2 man rev exp pr2 exa of2 con trn tr2 adm
    cells: "401 409 404 409 404 404 404 403 403 403 404 404 403",
    shared: (world) => firstDocument(world.files.inReview),
    call: ({ fileId: id, docId }) => del(`/applications/${id}/documents/${docId}`),
    ability: applicationAbility("deleteDocument", ({ fileId: id }) => id),
  }),
  group<DocumentRef>({
    route: "DELETE /api/v1/applications/:id/documents/:docId",
    record: "a draft with the document of a stranger's file",
    //      ano own ap2 man rev exp pr2 exa of2 con trn tr2 adm
    cells: "401 404 404 404 404 404 404 404 404 404 404 404 404",
    shared: (world) => ({ fileId: world.draft.file.id, docId: firstDocument(world.strangerFile).docId }),
    call: ({ fileId: id, docId }) => del(`/applications/${id}/documents/${docId}`),
  }),
  group<FileRef>({
    route: "POST /api/v1/applications/:id/submit",
    record: "a complete draft",
    //      ano own ap2 man rev exp pr2 exa of2 con trn tr2 adm
    cells: "401 200 404 200 404 404 404 404 404 404 404 404 404",
    shared: (world) => world.draft.file,
    fresh: (world) => world.fresh.readyDraft(),
    call: ({ id }) => post(`/applications/${id}/submit`, {}, { "Idempotency-Key": idempotencyKey("matrix") }),
    ability: applicationAbility("submit", fileId),
  }),
  group<FileRef>({
    route: "POST /api/v1/applications/:id/withdraw",
    record: "a draft",
    //      ano own ap2 man rev exp pr2 exa of2 con trn tr2 adm
    cells: "401 200 404 200 404 404 404 404 404 404 404 404 404",
    shared: (world) => world.draft.file,
    fresh: (world) => world.fresh.draft(),
    call: ({ id }) => post(`/applications/${id}/withdraw`, DEFAULT_BODIES.withdraw),
    ability: applicationAbility("withdraw", fileId),
  }),
  group<FileRef>({
    route: "GET /api/v1/applications/:id/history",
    record: "a file in review",
    //      ano own ap2 man rev exp pr2 exa of2 con trn tr2 adm
    cells: "401 200 404 200 404 404 404 200 200 200 404 404 200",
    shared: (world) => world.files.inReview,
    call: ({ id }) => get(`/applications/${id}/history`),
    ability: applicationAbility("readHistory", fileId),
  }),
  group<FileRef>({
    route: "GET /api/v1/applications/:id/receipt.pdf",
    record: "a file in review",
    //      ano own ap2 man rev exp pr2 exa of2 con trn tr2 adm
    cells: "401 200 404 200 404 404 404 200 200 200 404 404 200",
    shared: (world) => world.files.inReview,
    call: ({ id }) => get(`/applications/${id}/receipt.pdf`),
    ability: applicationAbility("downloadReceipt", fileId),
  }),

  // ——— Applications: the officers' side (four-eyes, conflicts) ———
  transitionGroup({
    action: "start-review",
    ability: "startReview",
    record: "a submitted file",
    //      ano own ap2 man rev exp pr2 exa of2 con trn tr2 adm
    cells: "401 403 404 403 404 404 404 200 200 403 404 404 403",
    shared: (world) => world.files.submitted,
    fresh: (world) => world.fresh.file("submitted"),
  }),
  transitionGroup({
    action: "request-info",
    ability: "requestInfo",
    record: "a file in review",
    //      ano own ap2 man rev exp pr2 exa of2 con trn tr2 adm
    cells: "401 403 404 403 404 404 404 200 200 403 404 404 403",
    shared: (world) => world.files.inReview,
    fresh: (world) => world.fresh.file("in_review"),
  }),
  transitionGroup({
    action: "examine",
    ability: "examine",
    record: "a file in review",
    //      ano own ap2 man rev exp pr2 exa of2 con trn tr2 adm
    cells: "401 403 404 403 404 404 404 200 200 403 404 404 403",
    shared: (world) => world.files.inReview,
    fresh: (world) => world.fresh.file("in_review"),
  }),
  transitionGroup({
    action: "approve",
    ability: "approve",
    record: "a file examined by officer exa (four-eyes)",
    //      ano own ap2 man rev exp pr2 exa of2 con trn tr2 adm
    cells: "401 403 404 403 404 404 404 403 200 403 404 404 403",
    shared: (world) => world.files.examined,
    fresh: (world) => world.fresh.file("examined"),
  }),
  transitionGroup({
    action: "approve",
    ability: "approve",
    record: "a file still in review (who asks is checked before the status)",
    //      ano own ap2 man rev exp pr2 exa of2 con trn tr2 adm
    cells: "401 403 404 403 404 404 404 409 409 403 404 404 403",
    shared: (world) => world.files.inReview,
    fresh: (world) => world.fresh.file("in_review"),
  }),
  transitionGroup({
    action: "reject",
    ability: "reject",
    record: "a file examined by officer exa (four-eyes)",
    //      ano own ap2 man rev exp pr2 exa of2 con trn tr2 adm
    cells: "401 403 404 403 404 404 404 403 200 403 404 404 403",
    shared: (world) => world.files.examined,
    fresh: (world) => world.fresh.file("examined"),
  }),
  transitionGroup({
    action: "cancel",
    ability: "cancel",
    record: "an approved file",
    //      ano own ap2 man rev exp pr2 exa of2 con trn tr2 adm
    cells: "401 403 404 403 404 404 404 403 403 403 404 404 200",
    shared: (world) => world.files.approved.file,
    fresh: (world) => world.fresh.file("approved"),
  }),
  transitionGroup({
    action: "close",
    ability: "close",
    record: "a paid file",
    //      ano own ap2 man rev exp pr2 exa of2 con trn tr2 adm
    cells: "401 403 404 403 404 404 404 200 200 403 404 404 403",
    shared: (world) => world.files.paid,
    fresh: (world) => world.fresh.file("paid"),
  }),
  group<DocumentRef>({
    route: "POST /api/v1/applications/:id/documents/:docId/verdict",
    record: "a quote of a file in review",
    //      ano own ap2 man rev exp pr2 exa of2 con trn tr2 adm
    cells: "401 403 404 403 404 404 404 200 200 403 404 404 403",
    shared: (world) => firstDocument(world.files.inReview),
    fresh: async (world) => firstDocument(await world.fresh.file("in_review")),
    call: ({ fileId: id, docId }) => post(`/applications/${id}/documents/${docId}/verdict`, { verdict: "accepted" }),
    ability: applicationAbility("verifyDocument", ({ fileId: id }) => id),
  }),
  group<DocumentRef>({
    route: "POST /api/v1/applications/:id/documents/:docId/verdict",
    record: "a file in review with the document of a stranger's file",
    //      ano own ap2 man rev exp pr2 exa of2 con trn tr2 adm
    cells: "401 403 404 403 404 404 404 404 404 403 404 404 403",
    shared: (world) => ({ fileId: world.files.inReview.id, docId: firstDocument(world.strangerFile).docId }),
    call: ({ fileId: id, docId }) => post(`/applications/${id}/documents/${docId}/verdict`, { verdict: "accepted" }),
  }),
  group<{ file: FileRef; invoices: object[] }>({
    route: "POST /api/v1/applications/:id/claims",
    record: "an approved file with its invoices, payment proof and acceptance report",
    //      ano own ap2 man rev exp pr2 exa of2 con trn tr2 adm
    cells: "401 201 404 201 404 404 404 403 403 403 404 404 403",
    shared: (world) => world.files.approved,
    fresh: (world) => world.fresh.approvedWithInvoices(),
    call: ({ file, invoices }) => post(`/applications/${file.id}/claims`, { invoices }),
    ability: applicationAbility("submitClaim", ({ file }) => file.id),
  }),
  group<ClaimFile>({
    route: "GET /api/v1/applications/:id/claim",
    record: "a file with a submitted claim",
    //      ano own ap2 man rev exp pr2 exa of2 con trn tr2 adm
    cells: "401 200 404 200 404 404 404 200 200 200 404 404 200",
    shared: (world) => world.files.claimSubmitted,
    call: ({ file }) => get(`/applications/${file.id}/claim`),
    ability: applicationAbility("read", claimFileId),
  }),
  group<ClaimFile>({
    route: "POST /api/v1/claims/:id/verify",
    record: "a submitted claim (every invoice accepted)",
    //      ano own ap2 man rev exp pr2 exa of2 con trn tr2 adm
    cells: "401 403 404 403 404 404 404 200 200 403 404 404 403",
    shared: (world) => world.files.claimSubmitted,
    fresh: (world) => world.fresh.claimFile(false),
    call: ({ claim }) =>
      post(`/claims/${claim.id}/verify`, {
        invoices: claim.invoices.map((invoice) => ({ id: invoice.id, verdict: "accepted" })),
      }),
    ability: applicationAbility("verifyClaim", claimFileId),
  }),
  group<ClaimFile>({
    route: "POST /api/v1/claims/:id/pay",
    record: "a verified claim",
    //      ano own ap2 man rev exp pr2 exa of2 con trn tr2 adm
    cells: "401 403 404 403 404 404 404 200 200 403 404 404 403",
    shared: (world) => world.files.claimVerified,
    fresh: (world) => world.fresh.claimFile(true),
    call: ({ claim }) => post(`/claims/${claim.id}/pay`, { paymentReference: "VIR-2026-004242" }),
    ability: applicationAbility("payClaim", claimFileId),
  }),
  group<{ callId: string }>({
    route: "GET /api/v1/calls/:id/budget",
    record: "the world's call",
    //      ano own ap2 man rev exp pr2 exa of2 con trn tr2 adm
    cells: "401 403 403 403 403 403 403 200 200 200 403 403 200",
    shared: (world) => ({ callId: world.callId }),
    call: ({ callId }) => get(`/calls/${callId}/budget`),
  }),
  group<{ id: string }>({
    route: "POST /api/v1/conflicts",
    record: "a company of the owner (declare an interest)",
    //      ano own ap2 man rev exp pr2 exa of2 con trn tr2 adm
    cells: "401 403 403 403 403 403 403 201 201 201 403 403 201",
    shared: (world) => world.client.company,
    fresh: (world) => world.fresh.plainCompany(),
    call: ({ id }) => post("/conflicts", { companyId: id, reason: "Actionnaire minoritaire" }),
  }),
  group<{ id: string }>({
    route: "GET /api/v1/conflicts",
    record: "officer con's declaration on client company A",
    //      ano own ap2 man rev exp pr2 exa of2 con trn tr2 adm
    cells: "401 403 403 403 403 403 403 H   H   L   403 403 H  ",
    shared: (world) => world.client.company,
    call: () => get("/conflicts"),
    listed: (body, company) =>
      ((body as { items?: Array<{ companyId: string }> }).items ?? []).some((item) => item.companyId === company.id),
  }),

  // ——— Exports, statistics, audit ———
  group<null>({
    route: "GET /api/v1/exports/applications.:format",
    record: "CSV of the submitted files",
    //      ano own ap2 man rev exp pr2 exa of2 con trn tr2 adm
    cells: "401 403 403 403 403 403 403 200 200 200 403 403 200",
    shared: () => null,
    call: () => get("/exports/applications.csv"),
  }),
  group<null>({
    route: "GET /api/v1/exports/payments.:format",
    record: "CSV of the payments",
    //      ano own ap2 man rev exp pr2 exa of2 con trn tr2 adm
    cells: "401 403 403 403 403 403 403 200 200 200 403 403 200",
    shared: () => null,
    call: () => get("/exports/payments.csv"),
  }),
  group<null>({
    route: "GET /api/v1/stats/overview",
    record: "the programme's figures",
    //      ano own ap2 man rev exp pr2 exa of2 con trn tr2 adm
    cells: "401 403 403 403 403 403 403 200 200 200 403 403 200",
    shared: () => null,
    call: () => get("/stats/overview"),
  }),
  group<null>({
    route: "POST /api/v1/stats/refresh",
    record: "the statistics job (keyed: a second request replaces the first)",
    //      ano own ap2 man rev exp pr2 exa of2 con trn tr2 adm
    cells: "401 403 403 403 403 403 403 202 202 202 403 403 202",
    shared: () => null,
    fresh: async () => null,
    call: () => post("/stats/refresh"),
    silent: true,
  }),
  group<null>({
    route: "GET /api/v1/audit",
    record: "the audit log",
    //      ano own ap2 man rev exp pr2 exa of2 con trn tr2 adm
    cells: "401 403 403 403 403 403 403 403 403 403 403 403 200",
    shared: () => null,
    call: () => get("/audit"),
  }),

  // ——— Permis Numérique: sessions and enrolments ———
  group<{ id: string }>({
    route: "GET /api/v1/training/sessions",
    record: "the trainer's session to come (public list)",
    //      ano own ap2 man rev exp pr2 exa of2 con trn tr2 adm
    cells: "L   L   L   L   L   L   L   L   L   L   L   L   L  ",
    shared: (world) => world.sessions.future,
    call: () => get("/training/sessions?pageSize=100"),
    listed: (body, { id }) => listedId(id)(body),
  }),
  group<{ id: string }>({
    route: "GET /api/v1/training/sessions",
    record: "the trainer's session to come, with mine=true",
    //      ano own ap2 man rev exp pr2 exa of2 con trn tr2 adm
    cells: "401 403 403 403 403 403 403 403 403 403 L   H   L  ",
    shared: (world) => world.sessions.future,
    call: () => get("/training/sessions?mine=true&pageSize=100"),
    listed: (body, { id }) => listedId(id)(body),
  }),
  group<{ id: string }>({
    route: "GET /api/v1/training/sessions/:id",
    record: "the trainer's session to come",
    //      ano own ap2 man rev exp pr2 exa of2 con trn tr2 adm
    cells: "200 200 200 200 200 200 200 200 200 200 200 200 200",
    shared: (world) => world.sessions.future,
    call: ({ id }) => get(`/training/sessions/${id}`),
  }),
  group<{ id: string }>({
    route: "GET /api/v1/training/sessions/:id",
    record: "the trainer's cancelled session (shown only to who runs it)",
    //      ano own ap2 man rev exp pr2 exa of2 con trn tr2 adm
    cells: "404 404 404 404 404 404 404 404 404 404 200 404 200",
    shared: (world) => world.sessions.cancelled,
    call: ({ id }) => get(`/training/sessions/${id}`),
  }),
  group<{ trainerId: string }>({
    route: "POST /api/v1/training/sessions",
    record: "a new session naming trainer trn (a trainer always gets its own)",
    //      ano own ap2 man rev exp pr2 exa of2 con trn tr2 adm
    cells: "401 403 403 403 403 403 403 403 403 403 201 201 201",
    shared: (world) => ({ trainerId: world.users.trainer.id }),
    fresh: async (world) => ({ trainerId: world.users.trainer.id }),
    call: ({ trainerId }) => post("/training/sessions", sessionPayload(TEST_NOW, { trainerId })),
  }),
  group<{ id: string }>({
    route: "PATCH /api/v1/training/sessions/:id",
    record: "the trainer's session to come (capacity)",
    //      ano own ap2 man rev exp pr2 exa of2 con trn tr2 adm
    cells: "401 403 403 403 403 403 403 403 403 403 200 403 200",
    shared: (world) => world.sessions.future,
    fresh: (world) => world.fresh.futureSession(),
    call: ({ id }) => patch(`/training/sessions/${id}`, { capacity: 25 }),
    ability: sessionAbility("update", ({ id }) => id),
  }),
  group<{ id: string }>({
    route: "PATCH /api/v1/training/sessions/:id",
    record: "the trainer's session to come, handed to trainer tr2 (the admin's decision)",
    //      ano own ap2 man rev exp pr2 exa of2 con trn tr2 adm
    cells: "401 403 403 403 403 403 403 403 403 403 403 403 200",
    shared: (world) => world.sessions.future,
    fresh: (world) => world.fresh.futureSession(),
    call: ({ id }, world) => patch(`/training/sessions/${id}`, { trainerId: world.users.trainer2.id }),
  }),
  group<{ id: string }>({
    route: "POST /api/v1/training/sessions/:id/enrolments",
    record: "the trainer's session to come, for the manager of client company A",
    //      ano own ap2 man rev exp pr2 exa of2 con trn tr2 adm
    cells: "401 201 422 201 422 422 422 403 403 403 403 403 403",
    shared: (world) => world.sessions.future,
    fresh: (world) => world.fresh.futureSession(),
    call: ({ id }, world) => post(`/training/sessions/${id}/enrolments`, { companyId: world.client.company.id }),
    ability: sessionAbility("enrol", ({ id }) => id),
  }),
  group<EnrolmentTarget>({
    route: "GET /api/v1/training/enrolments",
    record: "the owner's enrolment to come, made by prescriber man (no sessionId)",
    //      ano own ap2 man rev exp pr2 exa of2 con trn tr2 adm
    cells: "401 L   H   L   H   H   H   403 403 403 422 422 422",
    shared: (world) => world.enrolments.future,
    call: () => get("/training/enrolments?pageSize=100"),
    listed: (body, { enrolment }) => listedId(enrolment.id)(body),
  }),
  group<EnrolmentTarget>({
    route: "GET /api/v1/training/enrolments",
    record: "the owner's enrolment in the started session (sessionId given)",
    //      ano own ap2 man rev exp pr2 exa of2 con trn tr2 adm
    cells: "401 L   H   H   H   H   H   403 403 403 L   403 L  ",
    shared: (world) => world.enrolments.started,
    call: ({ session }) => get(`/training/enrolments?sessionId=${session.id}&pageSize=100`),
    listed: (body, { enrolment }) => listedId(enrolment.id)(body),
  }),
  group<EnrolmentTarget>({
    route: "DELETE /api/v1/training/enrolments/:id",
    record: "the owner's enrolment to come, made by prescriber man",
    //      ano own ap2 man rev exp pr2 exa of2 con trn tr2 adm
    cells: "401 200 404 200 404 404 404 404 404 404 403 404 200",
    shared: (world) => world.enrolments.future,
    fresh: (world) => world.fresh.futureEnrolment(),
    call: ({ enrolment }) => del(`/training/enrolments/${enrolment.id}`),
    ability: enrolmentAbility("cancel"),
  }),
  group<EnrolmentTarget>({
    route: "GET /api/v1/training/enrolments",
    record: "the owner's enrolment to come, made by prescriber rev before its mandate was revoked",
    //      ano own ap2 man rev exp pr2 exa of2 con trn tr2 adm
    cells: "401 L   H   H   H   H   H   403 403 403 422 422 422",
    shared: (world) => world.enrolments.byRevoked,
    call: () => get("/training/enrolments?pageSize=100"),
    listed: (body, { enrolment }) => listedId(enrolment.id)(body),
  }),
  group<EnrolmentTarget>({
    route: "DELETE /api/v1/training/enrolments/:id",
    record: "the owner's enrolment to come, made by prescriber rev before its mandate was revoked",
    //      ano own ap2 man rev exp pr2 exa of2 con trn tr2 adm
    cells: "401 200 404 404 404 404 404 404 404 404 403 404 200",
    shared: (world) => world.enrolments.byRevoked,
    fresh: (world) => world.fresh.futureEnrolment("revoked"),
    call: ({ enrolment }) => del(`/training/enrolments/${enrolment.id}`),
    ability: enrolmentAbility("cancel"),
  }),
  group<EnrolmentTarget>({
    route: "POST /api/v1/training/enrolments/:id/result",
    record: "the owner's enrolment in the started session",
    //      ano own ap2 man rev exp pr2 exa of2 con trn tr2 adm
    cells: "401 403 404 404 404 404 404 404 404 404 200 404 200",
    shared: (world) => world.enrolments.started,
    fresh: (world) => world.fresh.startedEnrolment(),
    call: ({ enrolment }) => post(`/training/enrolments/${enrolment.id}/result`, { attended: true, score: 80 }),
    ability: enrolmentAbility("recordResult"),
  }),

  // ——— Permis Numérique: certificates ———
  group<{ id: string }>({
    route: "POST /api/v1/training/sessions/:id/certificates",
    record: "the trainer's started session with a passed enrolment",
    //      ano own ap2 man rev exp pr2 exa of2 con trn tr2 adm
    cells: "401 403 403 403 403 403 403 403 403 403 201 403 201",
    shared: (world) => world.sessions.toCertify,
    fresh: (world) => world.fresh.sessionToCertify(),
    call: ({ id }) => post(`/training/sessions/${id}/certificates`),
    ability: sessionAbility("issueCertificates", ({ id }) => id),
  }),
  group<{ id: string }>({
    route: "GET /api/v1/jobs/:id",
    record: "the certificate batch trainer trn launched",
    //      ano own ap2 man rev exp pr2 exa of2 con trn tr2 adm
    cells: "401 404 404 404 404 404 404 404 404 404 200 404 200",
    shared: (world) => world.job,
    call: ({ id }) => get(`/jobs/${id}`),
  }),
  group<{ id: string }>({
    route: "GET /api/v1/certificates",
    record: "the owner's certificate (no sessionId)",
    //      ano own ap2 man rev exp pr2 exa of2 con trn tr2 adm
    cells: "401 L   H   H   H   H   H   L   L   L   422 422 L  ",
    shared: (world) => world.certificate,
    call: () => get("/certificates?pageSize=100"),
    listed: (body, { id }) => listedId(id)(body),
  }),
  group<{ id: string; sessionId: string }>({
    route: "GET /api/v1/certificates",
    record: "the owner's certificate (sessionId of trainer trn's session)",
    //      ano own ap2 man rev exp pr2 exa of2 con trn tr2 adm
    cells: "401 L   H   H   H   H   H   L   L   L   L   403 L  ",
    shared: (world) => world.certificate,
    call: ({ sessionId }) => get(`/certificates?sessionId=${sessionId}&pageSize=100`),
    listed: (body, { id }) => listedId(id)(body),
  }),
  group<{ id: string }>({
    route: "GET /api/v1/certificates/:id",
    record: "the owner's certificate",
    //      ano own ap2 man rev exp pr2 exa of2 con trn tr2 adm
    cells: "401 200 404 404 404 404 404 200 200 200 200 404 200",
    shared: (world) => world.certificate,
    call: ({ id }) => get(`/certificates/${id}`),
  }),
  group<{ id: string }>({
    route: "GET /api/v1/certificates/:id/pdf",
    record: "the owner's certificate",
    //      ano own ap2 man rev exp pr2 exa of2 con trn tr2 adm
    cells: "401 200 404 404 404 404 404 200 200 200 403 404 200",
    shared: (world) => world.certificate,
    call: ({ id }) => get(`/certificates/${id}/pdf`),
    ability: certificateAbility("download"),
  }),
  group<{ id: string }>({
    route: "GET /api/v1/certificates/:id/credential",
    record: "the owner's certificate",
    //      ano own ap2 man rev exp pr2 exa of2 con trn tr2 adm
    cells: "401 200 404 404 404 404 404 200 200 200 403 404 200",
    shared: (world) => world.certificate,
    call: ({ id }) => get(`/certificates/${id}/credential`),
    ability: certificateAbility("download"),
  }),
  group<{ id: string }>({
    route: "POST /api/v1/certificates/:id/revoke",
    record: "a certificate of trainer trn's session",
    //      ano own ap2 man rev exp pr2 exa of2 con trn tr2 adm
    cells: "401 403 404 404 404 404 404 403 403 403 403 404 200",
    shared: (world) => world.certificate,
    fresh: async (world) => world.fresh.spareCertificate(),
    call: ({ id }) => post(`/certificates/${id}/revoke`, { reason: "Fraude constatée à l'évaluation" }),
    ability: certificateAbility("revoke"),
  }),
];

// ——— Public by design ———

export interface Exemption {
  /** A route key as the walk of the app names it ("USE <path>" for mounted middleware). */
  route: string;
  why: string;
  /** An anonymous request that proves the route answers without a session, and its status. */
  probe: ((world: World) => { call: HttpCall; status: number }) | null;
}

const anonymousGet =
  (path: string, status = 200) =>
  () => ({ call: { method: "GET", path } as HttpCall, status });
const anonymousPost = (path: string, body: object, status: number) => () => ({
  call: { method: "POST", path, body } as HttpCall,
  status,
});
const REFERENCE = "reference data shown on public pages (SPEC: anyone)";
const DEV_ONLY = "development and test only: captured e-mails; the production app does not register it (checked)";

export const EXEMPTIONS: Exemption[] = [
  { route: "GET /healthz", why: "liveness probe for load balancers", probe: anonymousGet("/healthz") },
  { route: "GET /readyz", why: "readiness probe for load balancers", probe: anonymousGet("/readyz") },
  {
    route: "GET /.well-known/permis-numerique-keys.json",
    why: "public key that verifies a Permis Numérique credential",
    probe: anonymousGet("/.well-known/permis-numerique-keys.json"),
  },
  { route: "GET /api/v1/regions", why: REFERENCE, probe: anonymousGet("/api/v1/regions") },
  { route: "GET /api/v1/sectors", why: REFERENCE, probe: anonymousGet("/api/v1/sectors") },
  { route: "GET /api/v1/suppliers", why: REFERENCE, probe: anonymousGet("/api/v1/suppliers") },
  { route: "GET /api/v1/solutions", why: REFERENCE, probe: anonymousGet("/api/v1/solutions") },
  { route: "GET /api/v1/calls", why: REFERENCE, probe: anonymousGet("/api/v1/calls") },
  {
    route: "GET /api/v1/auth/csrf",
    why: "the CSRF token every browser needs first",
    probe: anonymousGet("/api/v1/auth/csrf"),
  },
  {
    route: "POST /api/v1/auth/register",
    why: "self-registration of applicants and prescribers (SPEC: anyone)",
    probe: () =>
      anonymousPost(
        "/api/v1/auth/register",
        {
          email: uniqueEmail("inscription"),
          password: NEW_PASSWORD,
          fullName: "Nouvelle Inscrite",
          role: "applicant",
          locale: "fr",
        },
        201,
      )(),
  },
  {
    route: "POST /api/v1/auth/verify-email",
    why: "the e-mailed token is the credential (SPEC: anyone)",
    probe: anonymousPost("/api/v1/auth/verify-email", { token: "jeton-inconnu-0123456789" }, 400),
  },
  {
    route: "POST /api/v1/auth/verify-email/resend",
    why: "same answer whether the address exists or not",
    probe: anonymousPost("/api/v1/auth/verify-email/resend", { email: "personne@example.ma" }, 202),
  },
  {
    route: "POST /api/v1/auth/login",
    why: "signing in",
    probe: (world) => ({
      call: {
        method: "POST",
        path: "/api/v1/auth/login",
        body: { email: world.users.applicant2.email, password: TEST_PASSWORD },
      },
      status: 200,
    }),
  },
  {
    route: "POST /api/v1/auth/password-reset",
    why: "same answer whether the address exists or not (SPEC: anyone)",
    probe: anonymousPost("/api/v1/auth/password-reset", { email: "personne@example.ma" }, 202),
  },
  {
    route: "POST /api/v1/auth/password-reset/confirm",
    why: "the e-mailed token is the credential (SPEC: anyone)",
    probe: anonymousPost(
      "/api/v1/auth/password-reset/confirm",
      { token: "jeton-inconnu-0123456789", password: NEW_PASSWORD },
      400,
    ),
  },
  {
    route: "POST /api/v1/simulate",
    why: "the public eligibility and subsidy simulator (SPEC: anyone)",
    probe: (world) => ({
      call: {
        method: "POST",
        path: "/api/v1/simulate",
        body: {
          callId: world.callId,
          sectorCode: "textile-habillement",
          lines: [{ category: "software", amountExclTax: "100000.00", vatRate: "0.20" }],
        },
      },
      status: 200,
    }),
  },
  {
    route: "GET /api/v1/verify/:code",
    why: "public certificate verification by its secret code (SPEC: anyone)",
    probe: (world) => anonymousGet(`/api/v1/verify/${world.verificationCode}`)(),
  },
  {
    route: "GET /api/v1/open-data/applications",
    why: "aggregated open data, small cells suppressed (SPEC: anyone)",
    probe: anonymousGet("/api/v1/open-data/applications"),
  },
  {
    route: "GET /api/v1/open-data/applications.csv",
    why: "aggregated open data, small cells suppressed (SPEC: anyone)",
    probe: anonymousGet("/api/v1/open-data/applications.csv"),
  },
  { route: "GET /api/v1/dev/mails", why: DEV_ONLY, probe: anonymousGet("/api/v1/dev/mails") },
  { route: "GET /dev/mail", why: DEV_ONLY, probe: anonymousGet("/dev/mail") },
  {
    route: "GET /dev/mail/:id.html",
    why: DEV_ONLY,
    probe: () => anonymousGet(`/dev/mail/${randomUUID()}.html`, 404)(),
  },
  { route: "GET /api/openapi.json", why: "the public API contract", probe: anonymousGet("/api/openapi.json") },
  { route: "GET /api/docs", why: "API documentation page (redirect)", probe: anonymousGet("/api/docs", 301) },
  { route: "GET /api/docs/", why: "API documentation page", probe: anonymousGet("/api/docs/") },
  { route: "GET /api/docs/index.html", why: "API documentation page", probe: anonymousGet("/api/docs/index.html") },
  {
    route: "GET /api/docs/docs-init.js",
    why: "API documentation script",
    probe: anonymousGet("/api/docs/docs-init.js"),
  },
  { route: "USE /api/docs", why: "Swagger UI's static files", probe: anonymousGet("/api/docs/swagger-ui.css") },
  {
    route: "USE /api",
    why: "the API's not-found answer (problem+json 404)",
    probe: anonymousGet("/api/nothing-here", 404),
  },
  { route: "GET /index.html", why: "the web client's page (present only once the client is built)", probe: null },
  { route: "USE /assets", why: "the web client's hashed static files", probe: null },
];
