import { randomUUID } from "node:crypto";
import { expect } from "chai";
import { Op } from "sequelize";
import type { JobHelpers } from "graphile-worker";
import request, { type Response } from "supertest";
import { SYSTEM_ACTOR } from "../../server/commands/actor.js";
import { sendSessionReminders } from "../../server/commands/training.js";
import { captureTransport } from "../../server/mail/transport.js";
import { workerContext } from "../../server/services/container.js";
import { createDocumentStore } from "../../server/storage/documentStore.js";
import { SESSION_REMINDERS_TASK, taskList } from "../../server/worker.js";
import { AuditEvent, Enrolment, TrainingSession, type Role } from "../../server/models/index.js";
import { createCompany, createMandate } from "../factories/companies.js";
import type { Player } from "../factories/review.js";
import {
  AFTER_DEFAULT_START,
  apiDelete,
  apiGet,
  apiPatch,
  apiPost,
  bulkEnrolments,
  createTrainingSession,
  DAY_MS,
  DEFAULT_STARTS_AT,
  enrolDirectly,
  enrolmentCounts,
  enrolThroughApi,
  HOUR_MS,
  issueCertificates,
  outboxTo,
  passedEnrolments,
  recordResultThroughApi,
  runWorker,
  sessionPayload,
  trainingPlayer,
  trainingPlayers,
  type EnrolmentBody,
  type SessionBody,
} from "../factories/training.js";
import { createUser, uniqueEmail } from "../factories/users.js";
import type { ListBody } from "../helpers/apiTypes.js";
import { anonymousSession, API, clearRateLimits, type BrowserSession } from "../helpers/auth.js";
import { capturedEmailsTo } from "../helpers/mail.js";
import { expectProblem } from "../helpers/problem.js";
import { TEST_SIGNER, testConfig, useTestApp } from "../helpers/testApp.js";
import { TEST_NOW, testLogger } from "../helpers/testDatabase.js";

/** { "201": 20, "409": 30 }: what a batch of parallel requests answered. */
function histogram(values: Array<number | string>): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const value of values) counts[value] = (counts[value] ?? 0) + 1;
  return counts;
}

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, index) => from + index);

/** A city no other test uses: public lists filtered by it show this test's sessions only. */
const uniqueCity = (name: string) => `${name} ${randomUUID().slice(0, 6)}`;

const SESSION_KEYS = [
  "capacity",
  "city",
  "description",
  "endsAt",
  "enrolledCount",
  "hasStarted",
  "id",
  "myEnrolment",
  "onlineUrl",
  "passMark",
  "permissions",
  "seatsLeft",
  "startsAt",
  "status",
  "title",
  "trainer",
  "venue",
  "waitlistCount",
];

const ENROLMENT_KEYS = [
  "attended",
  "certificate",
  "company",
  "createdAt",
  "enrolledBy",
  "holderEmail",
  "holderName",
  "id",
  "permissions",
  "score",
  "session",
  "sessionId",
  "status",
  "waitlistPosition",
];

describe("Permis Numérique: course sessions, enrolments, waiting list, results (issue 7)", function () {
  this.timeout(60_000);

  const context = useTestApp({
    // Fifty people sign in for the race: the per-IP login limit is not what is tested here.
    config: { rateLimits: { ...testConfig().rateLimits, loginPerMinute: 10_000 } },
  });
  let trainer: Player;
  let otherTrainer: Player;
  let admin: Player;
  let officer: Player;
  let prescriber: Player;
  /** An applicant who owns no company. */
  let applicant: Player;

  before(async () => {
    await clearRateLimits();
    trainer = await signedIn("trainer", "Nadia Formatrice");
    otherTrainer = await signedIn("trainer", "Rachid Autre-Formateur");
    admin = await signedIn("admin", "Directrice du programme");
    officer = await signedIn("officer", "Youssef Chargé");
    prescriber = await signedIn("prescriber", "Karima Bennis");
    applicant = await signedIn("applicant", "Samir Sans-Entreprise");
  });

  beforeEach(() => context().clock.set(TEST_NOW));

  const anonymousGet = (path: string) => request(context().app).get(`${API}${path}`);
  const signedIn = (role: Role, fullName: string) => trainingPlayer(context(), role, fullName);
  const applicantPlayer = (fullName: string) => signedIn("applicant", fullName);
  const ownSession = (options: Parameters<typeof createTrainingSession>[0] = {}) =>
    createTrainingSession({ trainer: trainer.user, ...options });

  async function listSessions(query: string, caller?: BrowserSession): Promise<ListBody<SessionBody>> {
    const response = caller
      ? await apiGet(caller, `/training/sessions?${query}`)
      : await anonymousGet(`/training/sessions?${query}`);
    expect(response.status, response.text).to.equal(200);
    return response.body as ListBody<SessionBody>;
  }

  async function sessionAs(caller: BrowserSession, id: string): Promise<SessionBody> {
    const response = await apiGet(caller, `/training/sessions/${id}`);
    expect(response.status, response.text).to.equal(200);
    return response.body as SessionBody;
  }

  async function enrolmentsOf(caller: BrowserSession, query: string): Promise<EnrolmentBody[]> {
    const response = await apiGet(caller, `/training/enrolments?pageSize=100&${query}`);
    expect(response.status, response.text).to.equal(200);
    return (response.body as ListBody<EnrolmentBody>).items;
  }

  const errorPaths = (response: Response, status = 422) =>
    (expectProblem(response, status, "validation-failed").errors ?? []).map((error) => error.path);

  describe("sessions", () => {
    describe("the public list", () => {
      it("is open without sign-in: scheduled, coming sessions sorted by start; cancelled and past ones are not listed", async () => {
        const city = uniqueCity("Ifrane");
        const later = await ownSession({ city, startsAt: "2026-06-25T08:00:00Z", capacity: 3 });
        const sooner = await ownSession({
          city,
          startsAt: "2026-06-20T08:00:00Z",
          onlineUrl: "https://visio.example.ma/s",
        });
        await ownSession({ city, startsAt: "2026-06-21T08:00:00Z", status: "cancelled" });
        await ownSession({ city, startsAt: "2026-06-10T08:00:00Z" });
        await enrolDirectly(later, await createUser({ fullName: "Inscrit Un" }));
        await enrolDirectly(later, await createUser({ fullName: "Inscrit Deux" }), "cancelled");

        const list = await listSessions(`city=${encodeURIComponent(city)}`);
        expect(list).to.deep.include({ total: 2, page: 1, pageSize: 20 });
        expect(list.items.map((item) => item.id)).to.deep.equal([sooner.id, later.id]);
        const [first, second] = list.items;
        expect(Object.keys(first ?? {}).sort()).to.deep.equal(SESSION_KEYS);
        expect(first).to.deep.include({
          city,
          title: "Initiation au numérique — Casablanca",
          description: "",
          onlineUrl: "https://visio.example.ma/s",
          startsAt: "2026-06-20T08:00:00.000Z",
          endsAt: "2026-06-20T15:00:00.000Z",
          capacity: 20,
          passMark: 70,
          status: "scheduled",
          enrolledCount: 0,
          waitlistCount: 0,
          seatsLeft: 20,
          hasStarted: false,
          myEnrolment: null,
        });
        expect(first?.trainer).to.deep.equal({ id: trainer.user.id, fullName: "Nadia Formatrice" });
        expect(first?.permissions).to.deep.equal({
          update: false,
          enrol: false,
          manage: false,
          issueCertificates: false,
        });
        // Cancelled enrolments free their seat.
        expect(second).to.deep.include({ capacity: 3, enrolledCount: 1, waitlistCount: 0, seatsLeft: 2 });
      });

      it("filters by city, case-insensitively, exact match only", async () => {
        const city = uniqueCity("Chefchaouen");
        const session = await ownSession({ city });
        await ownSession({ city: `${city} Nord` });
        for (const variant of [city, city.toUpperCase(), city.toLowerCase()]) {
          const list = await listSessions(`city=${encodeURIComponent(variant)}`);
          expect(
            list.items.map((item) => item.id),
            variant,
          ).to.deep.equal([session.id]);
        }
        expect((await listSessions(`city=${encodeURIComponent(city.slice(0, -1))}`)).total).to.equal(0);
      });

      it("filters from/to by Casablanca days: a session from 23:30 to 00:30 ends the next day there, one at 00:30 starts the next day", async () => {
        const city = uniqueCity("Tanger");
        // 24 June 23:30 → 25 June 00:30 in Casablanca (UTC+1), all of it on 24 June in UTC.
        const lateNight = await ownSession({
          city,
          startsAt: "2026-06-24T22:30:00Z",
          endsAt: "2026-06-24T23:30:00Z",
        });
        // 26 June 00:30 → 02:00 in Casablanca, which is still 25 June in UTC.
        const earlyMorning = await ownSession({
          city,
          startsAt: "2026-06-25T23:30:00Z",
          endsAt: "2026-06-26T01:00:00Z",
        });
        const ids = async (query: string) =>
          (await listSessions(`city=${encodeURIComponent(city)}&${query}`)).items.map((item) => item.id);

        expect(await ids("from=2026-06-25")).to.deep.equal([lateNight.id, earlyMorning.id]);
        expect(await ids("from=2026-06-26")).to.deep.equal([earlyMorning.id]);
        expect(await ids("from=2026-06-27")).to.deep.equal([]);
        expect(await ids("to=2026-06-23")).to.deep.equal([]);
        expect(await ids("to=2026-06-24")).to.deep.equal([lateNight.id]);
        expect(await ids("to=2026-06-25")).to.deep.equal([lateNight.id]);
        expect(await ids("from=2026-06-25&to=2026-06-25")).to.deep.equal([lateNight.id]);
        expect(await ids("to=2026-06-26")).to.deep.equal([lateNight.id, earlyMorning.id]);
        // Malformed dates are refused.
        expect(errorPaths(await anonymousGet(`/training/sessions?from=25-06-2026`))).to.deep.equal(["from"]);
      });

      it("shows one session to anyone; a cancelled one only to those who run it; unknown ids answer 404", async () => {
        const session = await ownSession();
        const response = await anonymousGet(`/training/sessions/${session.id}`);
        expect(response.status, response.text).to.equal(200);
        expect((response.body as SessionBody).id).to.equal(session.id);

        const cancelled = await ownSession({ status: "cancelled" });
        expectProblem(await anonymousGet(`/training/sessions/${cancelled.id}`), 404, "not-found");
        expectProblem(await apiGet(applicant.session, `/training/sessions/${cancelled.id}`), 404, "not-found");
        expectProblem(await apiGet(otherTrainer.session, `/training/sessions/${cancelled.id}`), 404, "not-found");
        expect((await sessionAs(trainer.session, cancelled.id)).status).to.equal("cancelled");
        expect((await sessionAs(admin.session, cancelled.id)).status).to.equal("cancelled");

        expectProblem(await anonymousGet(`/training/sessions/${randomUUID()}`), 404, "not-found");
        expectProblem(await anonymousGet(`/training/sessions/pas-un-uuid`), 404, "not-found");
      });

      it("gives each reader the permissions it has", async () => {
        const session = await ownSession();
        expect((await sessionAs(trainer.session, session.id)).permissions).to.deep.equal({
          update: true,
          enrol: false,
          manage: true,
          issueCertificates: true,
        });
        expect((await sessionAs(admin.session, session.id)).permissions).to.deep.equal({
          update: true,
          enrol: false,
          manage: true,
          issueCertificates: true,
        });
        const none = { update: false, enrol: false, manage: false, issueCertificates: false };
        expect((await sessionAs(otherTrainer.session, session.id)).permissions).to.deep.equal(none);
        expect((await sessionAs(officer.session, session.id)).permissions).to.deep.equal(none);
        const canEnrol = { ...none, enrol: true };
        expect((await sessionAs(applicant.session, session.id)).permissions).to.deep.equal(canEnrol);
        expect((await sessionAs(prescriber.session, session.id)).permissions).to.deep.equal(canEnrol);
        // Once started, nobody enrols any more.
        context().clock.set(AFTER_DEFAULT_START);
        const started = await sessionAs(applicant.session, session.id);
        expect(started).to.deep.include({ hasStarted: true });
        expect(started.permissions.enrol).to.equal(false);
      });
    });

    describe("mine=true", () => {
      it("lists a trainer's own sessions only, past and cancelled ones included", async () => {
        const own = await signedIn("trainer", "Formatrice Mine");
        const past = await createTrainingSession({ trainer: own.user, startsAt: "2026-05-01T08:00:00Z" });
        const cancelled = await createTrainingSession({
          trainer: own.user,
          startsAt: "2026-07-01T08:00:00Z",
          status: "cancelled",
        });
        const coming = await createTrainingSession({ trainer: own.user, startsAt: "2026-06-30T08:00:00Z" });
        await ownSession();

        const list = await listSessions("mine=true", own.session);
        expect(list.total).to.equal(3);
        expect(list.items.map((item) => item.id).sort()).to.deep.equal([past.id, cancelled.id, coming.id].sort());
        for (const item of list.items) expect(item.permissions.manage).to.equal(true);
      });

      it("is sorted by startsAt ascending, like every session list of the contract", async () => {
        const own = await signedIn("trainer", "Formatrice Ordre");
        const second = await createTrainingSession({ trainer: own.user, startsAt: "2026-07-02T08:00:00Z" });
        const first = await createTrainingSession({ trainer: own.user, startsAt: "2026-05-02T08:00:00Z" });
        const third = await createTrainingSession({ trainer: own.user, startsAt: "2026-08-02T08:00:00Z" });
        const list = await listSessions("mine=true", own.session);
        expect(list.items.map((item) => item.id)).to.deep.equal([first.id, second.id, third.id]);
      });

      it("lists every trainer's sessions to an admin, past and cancelled included", async () => {
        const city = uniqueCity("Agadir");
        const mine = await ownSession({ city, startsAt: "2026-04-01T08:00:00Z" });
        const theirs = await createTrainingSession({ trainer: otherTrainer.user, city, status: "cancelled" });
        const list = await listSessions(`mine=true&city=${encodeURIComponent(city)}`, admin.session);
        expect(list.items.map((item) => item.id).sort()).to.deep.equal([mine.id, theirs.id].sort());
        // Without `mine`, the public list hides both.
        expect((await listSessions(`city=${encodeURIComponent(city)}`, admin.session)).total).to.equal(0);
      });

      it("answers 403 to an applicant or an officer and 401 to an anonymous visitor", async () => {
        expectProblem(await apiGet(applicant.session, "/training/sessions?mine=true"), 403, "forbidden");
        expectProblem(await apiGet(officer.session, "/training/sessions?mine=true"), 403, "forbidden");
        expectProblem(await anonymousGet("/training/sessions?mine=true"), 401, "unauthenticated");
      });
    });

    describe("creation", () => {
      it("by a trainer: 201, the trainer is the creator whatever trainerId says, pass mark 70 by default, audited", async () => {
        const body = sessionPayload(TEST_NOW, { trainerId: otherTrainer.user.id });
        const response = await apiPost(trainer.session, "/training/sessions", body);
        expect(response.status, response.text).to.equal(201);
        const created = response.body as SessionBody;
        expect(Object.keys(created).sort()).to.deep.equal(SESSION_KEYS);
        expect(created).to.deep.include({
          title: "Initiation au numérique — Fès",
          description: "Messagerie, facturation en ligne, sécurité des comptes.",
          city: "Fès",
          venue: "Chambre de commerce, avenue des FAR",
          onlineUrl: null,
          startsAt: body.startsAt,
          endsAt: body.endsAt,
          capacity: 20,
          passMark: 70,
          status: "scheduled",
          enrolledCount: 0,
          waitlistCount: 0,
          seatsLeft: 20,
          hasStarted: false,
          myEnrolment: null,
        });
        expect(created.trainer).to.deep.equal({ id: trainer.user.id, fullName: "Nadia Formatrice" });
        expect(created.permissions).to.deep.equal({
          update: true,
          enrol: false,
          manage: true,
          issueCertificates: true,
        });
        const stored = await TrainingSession.findByPk(created.id);
        expect(stored?.createdBy).to.equal(trainer.user.id);
        const events = await AuditEvent.findAll({
          where: { entityId: created.id, action: "training-session.created" },
        });
        expect(events).to.have.length(1);
        expect(events[0]?.actorId).to.equal(trainer.user.id);
        expect(events[0]?.after).to.deep.include({ trainerId: trainer.user.id, capacity: 20, passMark: 70 });
      });

      it("by an admin for a trainer: 201 with that trainer; online only, with a pass mark of 0", async () => {
        const response = await apiPost(
          admin.session,
          "/training/sessions",
          sessionPayload(TEST_NOW, {
            trainerId: otherTrainer.user.id,
            venue: null,
            onlineUrl: "https://visio.example.ma/permis",
            passMark: 0,
          }),
        );
        expect(response.status, response.text).to.equal(201);
        const created = response.body as SessionBody;
        expect(created.trainer.id).to.equal(otherTrainer.user.id);
        expect(created).to.deep.include({ venue: null, onlineUrl: "https://visio.example.ma/permis", passMark: 0 });
        expect((await TrainingSession.findByPk(created.id))?.createdBy).to.equal(admin.user.id);
        // The trainer named runs it.
        expect((await sessionAs(otherTrainer.session, created.id)).permissions.manage).to.equal(true);
      });

      it("by an admin without trainerId, or naming someone who is not a trainer: 422 on trainerId", async () => {
        const notTrainer = await createUser({ role: "applicant" });
        const disabledTrainer = await createUser({ role: "trainer", disabled: true });
        for (const trainerId of [undefined, null, notTrainer.id, disabledTrainer.id, randomUUID()]) {
          const title = `Sans formateur ${randomUUID().slice(0, 8)}`;
          const body = sessionPayload(TEST_NOW, { title, ...(trainerId === undefined ? {} : { trainerId }) });
          const response = await apiPost(admin.session, "/training/sessions", body);
          expect(errorPaths(response), String(trainerId)).to.deep.equal(["trainerId"]);
          expect(await TrainingSession.count({ where: { title } })).to.equal(0);
        }
      });

      const INVALID: Array<[string, Record<string, unknown>, string]> = [
        [
          "ends before it starts",
          { endsAt: "2026-06-25T08:00:00.000Z", startsAt: "2026-06-25T09:00:00.000Z" },
          "endsAt",
        ],
        ["ends when it starts", { endsAt: "2026-06-25T09:00:00.000Z", startsAt: "2026-06-25T09:00:00.000Z" }, "endsAt"],
        ["has neither venue nor onlineUrl", { venue: null, onlineUrl: null }, "venue"],
        ["has an http:// onlineUrl", { venue: null, onlineUrl: "http://visio.example.ma/s" }, "onlineUrl"],
        ["has a capacity of 0", { capacity: 0 }, "capacity"],
        ["has a capacity of 1001", { capacity: 1001 }, "capacity"],
        ["has a fractional capacity", { capacity: 2.5 }, "capacity"],
        ["has a pass mark of 101", { passMark: 101 }, "passMark"],
        ["has a pass mark of -1", { passMark: -1 }, "passMark"],
        [
          "starts in the past",
          { startsAt: "2026-06-15T09:00:00.000Z", endsAt: "2026-06-15T16:00:00.000Z" },
          "startsAt",
        ],
        ["has no title", { title: undefined }, "title"],
        ["has no city", { city: undefined }, "city"],
      ];
      for (const [label, overrides, path] of INVALID) {
        it(`refuses a session that ${label}: 422 on ${path}, nothing created`, async () => {
          const title = `Invalide ${randomUUID().slice(0, 8)}`;
          const body: Record<string, unknown> = { ...sessionPayload(TEST_NOW, { title }), ...overrides };
          for (const key of Object.keys(body)) if (body[key] === undefined) delete body[key];
          expect(errorPaths(await apiPost(trainer.session, "/training/sessions", body))).to.deep.equal([path]);
          expect(await TrainingSession.count({ where: { title } })).to.equal(0);
        });
      }

      it("answers 403 to officers, applicants and prescribers, 401 to anonymous visitors", async () => {
        const body = sessionPayload(TEST_NOW, { trainerId: trainer.user.id });
        for (const caller of [officer, applicant, prescriber]) {
          expectProblem(await apiPost(caller.session, "/training/sessions", body), 403, "forbidden");
        }
        const anonymous = await anonymousSession(context().app);
        expectProblem(await apiPost(anonymous, "/training/sessions", body), 401, "unauthenticated");
      });
    });

    describe("changes", () => {
      it("by its trainer or an admin: 200; by another trainer or an officer: 403; an applicant: 403", async () => {
        const session = await ownSession();
        const renamed = await apiPatch(trainer.session, `/training/sessions/${session.id}`, { title: "Nouveau titre" });
        expect(renamed.status, renamed.text).to.equal(200);
        expect((renamed.body as SessionBody).title).to.equal("Nouveau titre");
        const byAdmin = await apiPatch(admin.session, `/training/sessions/${session.id}`, { city: "Meknès" });
        expect(byAdmin.status, byAdmin.text).to.equal(200);
        expect(byAdmin.body as SessionBody).to.deep.include({ title: "Nouveau titre", city: "Meknès" });
        for (const caller of [otherTrainer, officer, applicant]) {
          expectProblem(
            await apiPatch(caller.session, `/training/sessions/${session.id}`, { title: "Piraté" }),
            403,
            "forbidden",
          );
        }
        expect((await TrainingSession.findByPk(session.id))?.title).to.equal("Nouveau titre");
      });

      it("once started, only the description may change (409 otherwise)", async () => {
        const session = await ownSession();
        context().clock.set(AFTER_DEFAULT_START);
        const described = await apiPatch(trainer.session, `/training/sessions/${session.id}`, {
          description: "Support de cours envoyé après la séance.",
        });
        expect(described.status, described.text).to.equal(200);
        expect((described.body as SessionBody).description).to.equal("Support de cours envoyé après la séance.");
        for (const change of [
          { title: "Autre titre" },
          { capacity: 30 },
          { venue: "Autre salle, rue X" },
          { startsAt: "2026-07-01T08:00:00.000Z", endsAt: "2026-07-01T15:00:00.000Z" },
          { description: "Encore", passMark: 50 },
        ]) {
          expectProblem(await apiPatch(trainer.session, `/training/sessions/${session.id}`, change), 409, "conflict");
        }
        const stored = await TrainingSession.findByPk(session.id);
        expect(stored).to.deep.include({
          capacity: 20,
          passMark: 70,
          description: "Support de cours envoyé après la séance.",
        });
      });

      it("refuses a capacity below the number of people enrolled: 422 on capacity", async () => {
        const session = await ownSession({ capacity: 5 });
        for (const name of ["Amal", "Badr", "Chama"])
          await enrolDirectly(session, await createUser({ fullName: name }));
        expect(
          errorPaths(await apiPatch(trainer.session, `/training/sessions/${session.id}`, { capacity: 2 })),
        ).to.deep.equal(["capacity"]);
        const exact = await apiPatch(trainer.session, `/training/sessions/${session.id}`, { capacity: 3 });
        expect(exact.status, exact.text).to.equal(200);
        expect(exact.body as SessionBody).to.deep.include({ capacity: 3, enrolledCount: 3, seatsLeft: 0 });
      });

      it("seats the waiting list in order when the capacity grows, and e-mails those seated (enrolment-promoted)", async () => {
        const session = await ownSession({ capacity: 2 });
        for (const name of ["Assis Un", "Assis Deux"])
          await enrolDirectly(session, await createUser({ fullName: name }));
        const first = await createUser({ fullName: "Attente Un" });
        const second = await createUser({ fullName: "Attente Deux" });
        const third = await createUser({ fullName: "Attente Trois" });
        const waiting = [];
        for (const user of [first, second, third]) waiting.push(await enrolDirectly(session, user, "waitlisted"));

        const response = await apiPatch(trainer.session, `/training/sessions/${session.id}`, { capacity: 4 });
        expect(response.status, response.text).to.equal(200);
        expect(response.body as SessionBody).to.deep.include({
          capacity: 4,
          enrolledCount: 4,
          waitlistCount: 1,
          seatsLeft: 0,
        });
        const statuses = await Enrolment.findAll({ where: { id: waiting.map((item) => item.id) } });
        expect(Object.fromEntries(statuses.map((item) => [item.holderName, item.status]))).to.deep.equal({
          "Attente Un": "enrolled",
          "Attente Deux": "enrolled",
          "Attente Trois": "waitlisted",
        });
        const remaining = await enrolmentsOf(trainer.session, `sessionId=${session.id}&status=waitlisted`);
        expect(remaining.map((item) => [item.holderName, item.waitlistPosition])).to.deep.equal([["Attente Trois", 1]]);

        expect(await outboxTo(first.email, "enrolment-promoted")).to.have.length(1);
        expect(await outboxTo(second.email, "enrolment-promoted")).to.have.length(1);
        expect(await outboxTo(third.email, "enrolment-promoted")).to.have.length(0);
        await runWorker(context().clock);
        const [mail] = await capturedEmailsTo(first.email);
        expect(mail?.textBody).to.contain("Attente Un");
        const promoted = await AuditEvent.findAll({
          where: { action: "enrolment.promoted", entityId: waiting.map((item) => item.id) },
        });
        expect(promoted.map((event) => event.entityId).sort()).to.deep.equal([waiting[0]?.id, waiting[1]?.id].sort());
      });
    });
  });

  describe("enrolment", () => {
    const enrolRequest = (caller: Player, sessionId: string, body: object = {}) =>
      apiPost(caller.session, `/training/sessions/${sessionId}/enrolments`, body);

    it("an applicant without company enrols themself: 201 enrolled, e-mailed (enrolment-confirmed), shown as myEnrolment", async () => {
      const session = await ownSession({ city: "Oujda" });
      const response = await enrolRequest(applicant, session.id);
      expect(response.status, response.text).to.equal(201);
      const enrolment = response.body as EnrolmentBody;
      expect(Object.keys(enrolment).sort()).to.deep.equal(ENROLMENT_KEYS);
      expect(enrolment).to.deep.include({
        sessionId: session.id,
        status: "enrolled",
        attended: null,
        score: null,
        holderName: "Samir Sans-Entreprise",
        holderEmail: applicant.user.email,
        company: null,
        waitlistPosition: null,
        certificate: null,
      });
      expect(enrolment.enrolledBy).to.deep.equal({
        id: applicant.user.id,
        fullName: "Samir Sans-Entreprise",
        role: "applicant",
      });
      expect(enrolment.session).to.deep.include({ id: session.id, city: "Oujda", passMark: 70 });
      expect(enrolment.permissions).to.deep.equal({ cancel: true, recordResult: false });
      expect((await Enrolment.findByPk(enrolment.id))?.userId).to.equal(applicant.user.id);

      const seen = await sessionAs(applicant.session, session.id);
      expect(seen.myEnrolment).to.deep.equal({ id: enrolment.id, status: "enrolled", waitlistPosition: null });
      expect(seen).to.deep.include({ enrolledCount: 1, seatsLeft: 19 });
      // Nobody else sees it as theirs.
      expect((await sessionAs(prescriber.session, session.id)).myEnrolment).to.equal(null);

      const queued = await outboxTo(applicant.user.email, "enrolment-confirmed");
      expect(queued.filter((message) => message.data.sessionUrl?.endsWith(session.id))).to.have.length(1);
      await runWorker(context().clock);
      const mails = await capturedEmailsTo(applicant.user.email);
      expect(mails.some((mail) => mail.links.some((link) => link.endsWith(`/formations/${session.id}`)))).to.equal(
        true,
      );
    });

    it("an applicant with one company is enrolled for it", async () => {
      const manager = await applicantPlayer("Leila Une-Entreprise");
      const company = await createCompany({ owner: manager.user, name: "Atlas Couture SARL" });
      const session = await ownSession();
      const enrolment = await enrolThroughApi(manager.session, session.id);
      expect(enrolment.company).to.deep.equal({ id: company.id, name: "Atlas Couture SARL" });
    });

    it("an applicant with two companies must say which (422 on companyId), and may", async () => {
      const manager = await applicantPlayer("Omar Deux-Entreprises");
      await createCompany({ owner: manager.user, name: "Première SARL" });
      const second = await createCompany({ owner: manager.user, name: "Seconde SARL" });
      const session = await ownSession();
      expect(errorPaths(await enrolRequest(manager, session.id))).to.deep.equal(["companyId"]);
      const enrolment = await enrolThroughApi(manager.session, session.id, { companyId: second.id });
      expect(enrolment.company).to.deep.equal({ id: second.id, name: "Seconde SARL" });
    });

    it("an applicant naming someone else's company: 422 on companyId, nothing recorded", async () => {
      const manager = await applicantPlayer("Nora Curieuse");
      await createCompany({ owner: manager.user });
      const foreign = await createCompany({ owner: await createUser({ role: "applicant" }) });
      const session = await ownSession();
      expect(errorPaths(await enrolRequest(manager, session.id, { companyId: foreign.id }))).to.deep.equal([
        "companyId",
      ]);
      expect(errorPaths(await enrolRequest(applicant, session.id, { companyId: foreign.id }))).to.deep.equal([
        "companyId",
      ]);
      expect(await enrolmentCounts(session.id)).to.deep.equal({});
    });

    it("a prescriber with a live mandate enrols the owner of a claimed client; the owner then cannot enrol again (409)", async () => {
      const owner = await applicantPlayer("Hassan Tazi");
      const company = await createCompany({ owner: owner.user, name: "Client Cuir SARL" });
      await createMandate({ company, prescriber: prescriber.user });
      const session = await ownSession();

      const enrolment = await enrolThroughApi(prescriber.session, session.id, { companyId: company.id });
      expect(enrolment).to.deep.include({
        status: "enrolled",
        holderName: "Hassan Tazi",
        holderEmail: owner.user.email,
      });
      expect(enrolment.company).to.deep.equal({ id: company.id, name: "Client Cuir SARL" });
      expect(enrolment.enrolledBy).to.deep.equal({
        id: prescriber.user.id,
        fullName: "Karima Bennis",
        role: "prescriber",
      });
      expect(enrolment.permissions.cancel).to.equal(true);
      expect((await Enrolment.findByPk(enrolment.id))?.userId).to.equal(owner.user.id);

      // The owner sees it as theirs, in the list and on the session.
      const mine = await enrolmentsOf(owner.session, `sessionId=${session.id}`);
      expect(mine.map((item) => item.id)).to.deep.equal([enrolment.id]);
      expect((await sessionAs(owner.session, session.id)).myEnrolment?.id).to.equal(enrolment.id);
      const [confirmation] = await outboxTo(owner.user.email, "enrolment-confirmed");
      expect(confirmation?.data.enrolledByLine).to.be.a("string").and.contain("Cabinet Test");

      expectProblem(await enrolRequest(owner, session.id), 409, "conflict");
      expectProblem(await enrolRequest(prescriber, session.id, { companyId: company.id }), 409, "conflict");
      expect(await enrolmentCounts(session.id)).to.deep.equal({ enrolled: 1 });
    });

    it("a prescriber enrols the invited manager of an unclaimed client (managerName, managerEmail), without an account", async () => {
      const managerEmail = uniqueEmail("dirigeant");
      const company = await createCompany({
        owner: null,
        createdBy: prescriber.user,
        name: "Client Non Revendiqué SARL",
        managerName: "Fatima Invitée",
        managerEmail,
      });
      await createMandate({ company, prescriber: prescriber.user });
      const session = await ownSession();
      const enrolment = await enrolThroughApi(prescriber.session, session.id, { companyId: company.id });
      expect(enrolment).to.deep.include({
        holderName: "Fatima Invitée",
        holderEmail: managerEmail,
        status: "enrolled",
      });
      expect((await Enrolment.findByPk(enrolment.id))?.userId).to.equal(null);
      expect(await outboxTo(managerEmail, "enrolment-confirmed")).to.have.length(1);
      // The prescriber finds it among the enrolments it made.
      const made = await enrolmentsOf(prescriber.session, `sessionId=${session.id}`);
      expect(made.map((item) => item.id)).to.deep.equal([enrolment.id]);
    });

    it("a prescriber without a live mandate, or without companyId: 422 on companyId", async () => {
      const owner = await createUser({ role: "applicant" });
      const unrelated = await createCompany({ owner });
      const expired = await createCompany({ owner });
      await createMandate({ company: expired, prescriber: prescriber.user, expiresOn: "2026-06-14" });
      const revoked = await createCompany({ owner });
      await createMandate({ company: revoked, prescriber: prescriber.user, revokedAt: "2026-06-01T10:00:00Z" });
      const session = await ownSession();
      for (const body of [{}, { companyId: unrelated.id }, { companyId: expired.id }, { companyId: revoked.id }]) {
        expect(errorPaths(await enrolRequest(prescriber, session.id, body)), JSON.stringify(body)).to.deep.equal([
          "companyId",
        ]);
      }
      expect(await enrolmentCounts(session.id)).to.deep.equal({});
    });

    it("officers, trainers and admins cannot enrol (403); anonymous visitors 401", async () => {
      const session = await ownSession();
      for (const caller of [officer, trainer, otherTrainer, admin]) {
        expectProblem(await enrolRequest(caller, session.id), 403, "forbidden");
      }
      const anonymous = await anonymousSession(context().app);
      expectProblem(await apiPost(anonymous, `/training/sessions/${session.id}/enrolments`), 401, "unauthenticated");
      expect(await enrolmentCounts(session.id)).to.deep.equal({});
    });

    it("enrolling twice: 409; after a cancellation the person may enrol again", async () => {
      const person = await applicantPlayer("Zineb Deux-Fois");
      const session = await ownSession();
      const first = await enrolThroughApi(person.session, session.id);
      expectProblem(await enrolRequest(person, session.id), 409, "conflict");
      expect((await apiDelete(person.session, `/training/enrolments/${first.id}`)).status).to.equal(200);
      const again = await enrolThroughApi(person.session, session.id);
      expect(again.status).to.equal("enrolled");
      expect(await enrolmentCounts(session.id)).to.deep.equal({ cancelled: 1, enrolled: 1 });
    });

    it("a session that has started, or is cancelled: 409", async () => {
      const started = await ownSession();
      const cancelled = await ownSession({ status: "cancelled" });
      expectProblem(await enrolRequest(applicant, cancelled.id), 409, "conflict");
      context().clock.set(AFTER_DEFAULT_START);
      expectProblem(await enrolRequest(applicant, started.id), 409, "conflict");
      // The very instant it starts counts as started.
      const exact = await ownSession({ startsAt: "2026-06-16T08:00:00Z" });
      context().clock.set("2026-06-16T08:00:00Z");
      expectProblem(await enrolRequest(applicant, exact.id), 409, "conflict");
      expect(await enrolmentCounts(started.id)).to.deep.equal({});
      expect(await enrolmentCounts(exact.id)).to.deep.equal({});
    });

    it("a full session puts people on the waiting list with their position, and says so by e-mail (enrolment-waitlisted)", async () => {
      const session = await ownSession({ capacity: 1 });
      const seated = await applicantPlayer("Premier Arrivé");
      const secondPerson = await applicantPlayer("Deuxième Arrivé");
      const thirdPerson = await applicantPlayer("Troisième Arrivé");
      expect((await enrolThroughApi(seated.session, session.id)).status).to.equal("enrolled");
      const second = await enrolThroughApi(secondPerson.session, session.id);
      const third = await enrolThroughApi(thirdPerson.session, session.id);
      expect(second).to.deep.include({ status: "waitlisted", waitlistPosition: 1 });
      expect(third).to.deep.include({ status: "waitlisted", waitlistPosition: 2 });
      expect((await sessionAs(thirdPerson.session, session.id)).myEnrolment).to.deep.equal({
        id: third.id,
        status: "waitlisted",
        waitlistPosition: 2,
      });
      expect(await sessionAs(thirdPerson.session, session.id)).to.deep.include({
        enrolledCount: 1,
        waitlistCount: 2,
        seatsLeft: 0,
      });
      expect(
        (await outboxTo(secondPerson.user.email, "enrolment-waitlisted")).map((m) => m.data.waitlistPosition),
      ).to.deep.equal(["1"]);
      expect(
        (await outboxTo(thirdPerson.user.email, "enrolment-waitlisted")).map((m) => m.data.waitlistPosition),
      ).to.deep.equal(["2"]);
      expect(await outboxTo(thirdPerson.user.email, "enrolment-confirmed")).to.have.length(0);
      await runWorker(context().clock);
      expect(await capturedEmailsTo(thirdPerson.user.email)).to.have.length(1);
    });

    it("lists enrolments: each their own; the trainer and admins those of a session (sessionId required); others 403", async () => {
      const session = await ownSession({ capacity: 2 });
      const zed = await enrolDirectly(session, await createUser({ fullName: "Zakaria Zed" }));
      const amine = await enrolDirectly(session, await createUser({ fullName: "Amine Alpha" }));
      const waitB = await enrolDirectly(session, await createUser({ fullName: "Attente B" }), "waitlisted");
      const waitA = await enrolDirectly(session, await createUser({ fullName: "Attente A" }), "waitlisted");
      const gone = await enrolDirectly(session, await createUser({ fullName: "Annulé" }), "cancelled");

      const expected = [amine.id, zed.id, waitB.id, waitA.id, gone.id];
      expect((await enrolmentsOf(trainer.session, `sessionId=${session.id}`)).map((item) => item.id)).to.deep.equal(
        expected,
      );
      const byAdmin = await enrolmentsOf(admin.session, `sessionId=${session.id}`);
      expect(byAdmin.map((item) => item.id)).to.deep.equal(expected);
      expect(byAdmin.map((item) => item.waitlistPosition)).to.deep.equal([null, null, 1, 2, null]);
      expect(
        (await enrolmentsOf(trainer.session, `sessionId=${session.id}&status=waitlisted`)).map((item) => item.id),
      ).to.deep.equal([waitB.id, waitA.id]);

      expect(errorPaths(await apiGet(trainer.session, "/training/enrolments"))).to.deep.equal(["sessionId"]);
      expect(errorPaths(await apiGet(admin.session, "/training/enrolments"))).to.deep.equal(["sessionId"]);
      expectProblem(
        await apiGet(otherTrainer.session, `/training/enrolments?sessionId=${session.id}`),
        403,
        "forbidden",
      );
      expectProblem(await apiGet(officer.session, `/training/enrolments?sessionId=${session.id}`), 403, "forbidden");
      // An applicant sees nothing of other people's enrolments.
      expect(await enrolmentsOf(applicant.session, `sessionId=${session.id}`)).to.deep.equal([]);
    });
  });

  describe("the race for seats", function () {
    this.timeout(90_000);

    it("50 parallel enrolments in 20 seats: 20 enrolled, 30 waitlisted 1…30; 5 cancellations seat the first 5 waiting; a person's 10 parallel enrolments: one 201", async () => {
      const session = await ownSession({ capacity: 20 });
      const people = await trainingPlayers(
        context(),
        "applicant",
        range(1, 50).map((n) => `Candidat ${String(n).padStart(2, "0")}`),
      );

      const responses = await Promise.all(
        people.map((person) => apiPost(person.session, `/training/sessions/${session.id}/enrolments`, {})),
      );
      expect(histogram(responses.map((response) => response.status))).to.deep.equal({ 201: 50 });
      const bodies = responses.map((response) => response.body as EnrolmentBody);
      expect(histogram(bodies.map((body) => body.status))).to.deep.equal({ enrolled: 20, waitlisted: 30 });
      const positions = bodies
        .filter((body) => body.status === "waitlisted")
        .map((body) => body.waitlistPosition ?? 0)
        .sort((a, b) => a - b);
      expect(positions).to.deep.equal(range(1, 30));
      for (const body of bodies.filter((item) => item.status === "enrolled"))
        expect(body.waitlistPosition).to.equal(null);
      expect(await enrolmentCounts(session.id)).to.deep.equal({ enrolled: 20, waitlisted: 30 });

      // Arrival order: every seated person arrived before everyone waiting, and the waiting list
      // is in arrival order.
      const rows = await Enrolment.findAll({ where: { sessionId: session.id }, order: [["position", "ASC"]] });
      expect(rows.map((row) => row.status)).to.deep.equal([
        ...Array<string>(20).fill("enrolled"),
        ...Array<string>(30).fill("waitlisted"),
      ]);
      const positionById = new Map(bodies.map((body) => [body.id, body.waitlistPosition]));
      expect(rows.slice(20).map((row) => positionById.get(row.id))).to.deep.equal(range(1, 30));
      // One e-mail each, saying which.
      const mailedPositions: number[] = [];
      for (const [index, person] of people.entries()) {
        const template = bodies[index]?.status === "enrolled" ? "enrolment-confirmed" : "enrolment-waitlisted";
        const mails = await outboxTo(person.user.email, template);
        expect(mails, person.user.fullName).to.have.length(1);
        if (template === "enrolment-waitlisted") {
          // The position the e-mail gives is the one the answer gave.
          expect(Number(mails[0]?.data.waitlistPosition), person.user.fullName).to.equal(
            bodies[index]?.waitlistPosition,
          );
          mailedPositions.push(Number(mails[0]?.data.waitlistPosition));
        }
      }
      expect(mailedPositions.sort((a, b) => a - b)).to.deep.equal(range(1, 30));
      expect(await sessionAs(admin.session, session.id)).to.deep.include({
        enrolledCount: 20,
        waitlistCount: 30,
        seatsLeft: 0,
      });

      // Five seated people cancel at once: the first five waiting, in arrival order, take the seats.
      const cancelling = people.filter((_person, index) => bodies[index]?.status === "enrolled").slice(0, 5);
      const cancellations = await Promise.all(
        cancelling.map((person) => {
          const enrolmentId = bodies[people.indexOf(person)]?.id ?? "";
          return apiDelete(person.session, `/training/enrolments/${enrolmentId}`);
        }),
      );
      expect(histogram(cancellations.map((response) => response.status))).to.deep.equal({ 200: 5 });
      for (const response of cancellations) expect((response.body as EnrolmentBody).status).to.equal("cancelled");
      expect(await enrolmentCounts(session.id)).to.deep.equal({ enrolled: 20, waitlisted: 25, cancelled: 5 });
      const firstFiveWaiting = rows.slice(20, 25).map((row) => row.id);
      const promoted = await Enrolment.findAll({ where: { id: firstFiveWaiting } });
      expect(promoted.map((row) => row.status)).to.deep.equal(Array<string>(5).fill("enrolled"));
      for (const row of promoted) expect(await outboxTo(row.holderEmail, "enrolment-promoted")).to.have.length(1);
      const stillWaiting = await enrolmentsOf(trainer.session, `sessionId=${session.id}&status=waitlisted`);
      expect(stillWaiting.map((item) => item.id)).to.deep.equal(rows.slice(25).map((row) => row.id));
      expect(stillWaiting.map((item) => item.waitlistPosition)).to.deep.equal(range(1, 25));

      // One person, ten clicks at once.
      const eager = await applicantPlayer("Candidat Pressé");
      const clicks = await Promise.all(
        range(1, 10).map(() => apiPost(eager.session, `/training/sessions/${session.id}/enrolments`, {})),
      );
      expect(histogram(clicks.map((response) => response.status))).to.deep.equal({ 201: 1, 409: 9 });
      for (const response of clicks.filter((item) => item.status === 409)) expectProblem(response, 409, "conflict");
      expect(await Enrolment.count({ where: { sessionId: session.id, holderEmail: eager.user.email } })).to.equal(1);
      expect((await enrolmentCounts(session.id)).waitlisted).to.equal(26);
    });
  });

  describe("cancellation", () => {
    const cancelRequest = (caller: Player, enrolmentId: string) =>
      apiDelete(caller.session, `/training/enrolments/${enrolmentId}`);

    it("by the person enrolled: 200 cancelled, the seat goes to the first person waiting", async () => {
      const session = await ownSession({ capacity: 1 });
      const person = await applicantPlayer("Annule Lui-Même");
      const enrolment = await enrolThroughApi(person.session, session.id);
      const waiting = await enrolDirectly(session, await createUser({ fullName: "En Attente" }), "waitlisted");
      const response = await cancelRequest(person, enrolment.id);
      expect(response.status, response.text).to.equal(200);
      expect(response.body as EnrolmentBody).to.deep.include({ id: enrolment.id, status: "cancelled" });
      expect((response.body as EnrolmentBody).permissions).to.deep.equal({ cancel: false, recordResult: false });
      expect((await Enrolment.findByPk(enrolment.id))?.cancelledAt?.toISOString()).to.equal(
        new Date(TEST_NOW).toISOString(),
      );
      expect((await Enrolment.findByPk(waiting.id))?.status).to.equal("enrolled");
      expect((await sessionAs(person.session, session.id)).myEnrolment).to.equal(null);
    });

    it("by the prescriber who made it, and by an admin: 200", async () => {
      const owner = await createUser({ role: "applicant", fullName: "Client Annulé" });
      const company = await createCompany({ owner });
      await createMandate({ company, prescriber: prescriber.user });
      const session = await ownSession();
      const byPrescriber = await enrolThroughApi(prescriber.session, session.id, { companyId: company.id });
      const response = await cancelRequest(prescriber, byPrescriber.id);
      expect(response.status, response.text).to.equal(200);
      expect((response.body as EnrolmentBody).status).to.equal("cancelled");

      const person = await applicantPlayer("Annulé Par Admin");
      const enrolment = await enrolThroughApi(person.session, session.id);
      const byAdmin = await cancelRequest(admin, enrolment.id);
      expect(byAdmin.status, byAdmin.text).to.equal(200);
      expect((byAdmin.body as EnrolmentBody).status).to.equal("cancelled");
    });

    it("by another applicant or an officer: 404; by the session's trainer: 403", async () => {
      const session = await ownSession();
      const person = await applicantPlayer("Pas Touche");
      const enrolment = await enrolThroughApi(person.session, session.id);
      expectProblem(await cancelRequest(applicant, enrolment.id), 404, "not-found");
      expectProblem(await cancelRequest(officer, enrolment.id), 404, "not-found");
      expectProblem(await cancelRequest(otherTrainer, enrolment.id), 404, "not-found");
      expectProblem(await cancelRequest(trainer, enrolment.id), 403, "forbidden");
      expectProblem(await cancelRequest(person, randomUUID()), 404, "not-found");
      expect((await Enrolment.findByPk(enrolment.id))?.status).to.equal("enrolled");
    });

    it("after the start, or a second time: 409", async () => {
      const session = await ownSession();
      const person = await applicantPlayer("Trop Tard");
      const late = await enrolThroughApi(person.session, session.id);
      const twice = await enrolThroughApi(applicant.session, session.id);
      expect((await cancelRequest(applicant, twice.id)).status).to.equal(200);
      expectProblem(await cancelRequest(applicant, twice.id), 409, "conflict");
      context().clock.set(AFTER_DEFAULT_START);
      expectProblem(await cancelRequest(person, late.id), 409, "conflict");
      expectProblem(await cancelRequest(admin, late.id), 409, "conflict");
      expect((await Enrolment.findByPk(late.id))?.status).to.equal("enrolled");
    });
  });

  describe("results", () => {
    const resultRequest = (caller: Player, enrolmentId: string, body: object) =>
      apiPost(caller.session, `/training/enrolments/${enrolmentId}/result`, body);

    it("before the session starts: 409", async () => {
      const session = await ownSession();
      const enrolment = await enrolDirectly(session, await createUser());
      expectProblem(await resultRequest(trainer, enrolment.id, { attended: true, score: 90 }), 409, "conflict");
      expect((await Enrolment.findByPk(enrolment.id))?.status).to.equal("enrolled");
    });

    it("by another trainer or an officer, who cannot read the enrolment: 404; by the holder: 403", async () => {
      const session = await ownSession();
      const holder = await applicantPlayer("Titulaire Curieux");
      const enrolment = await enrolThroughApi(holder.session, session.id);
      context().clock.set(AFTER_DEFAULT_START);
      const body = { attended: true, score: 90 };
      expectProblem(await resultRequest(otherTrainer, enrolment.id, body), 404, "not-found");
      expectProblem(await resultRequest(officer, enrolment.id, body), 404, "not-found");
      expectProblem(await resultRequest(holder, enrolment.id, body), 403, "forbidden");
      expect((await Enrolment.findByPk(enrolment.id))?.status).to.equal("enrolled");
    });

    const TABLE: Array<[string, { attended: boolean; score: number | null }, number, string]> = [
      ["absent", { attended: false, score: null }, 70, "failed"],
      ["present without a score", { attended: true, score: null }, 70, "attended"],
      ["present, 69 for 70", { attended: true, score: 69 }, 70, "failed"],
      ["present, 70 for 70", { attended: true, score: 70 }, 70, "passed"],
      ["present, 100 for 70", { attended: true, score: 100 }, 70, "passed"],
      ["present, 0 for 0", { attended: true, score: 0 }, 0, "passed"],
      ["present, 0 for 70", { attended: true, score: 0 }, 70, "failed"],
      ["present, 100 for 100", { attended: true, score: 100 }, 100, "passed"],
    ];
    for (const [label, body, passMark, status] of TABLE) {
      it(`${label} (pass mark ${passMark}) → ${status}`, async () => {
        const session = await ownSession({ passMark });
        const enrolment = await enrolDirectly(session, await createUser({ fullName: "Élève Noté" }));
        context().clock.set(AFTER_DEFAULT_START);
        const answer = await recordResultThroughApi(trainer.session, enrolment.id, body.attended, body.score);
        expect(answer).to.deep.include({ status, attended: body.attended, score: body.score });
        expect(answer.permissions).to.deep.equal({ cancel: false, recordResult: true });
        const stored = await Enrolment.findByPk(enrolment.id);
        expect(stored).to.deep.include({ status, attended: body.attended, score: body.score });
        expect(stored?.resultRecordedBy).to.equal(trainer.user.id);
        expect(stored?.resultRecordedAt?.toISOString()).to.equal(AFTER_DEFAULT_START.toISOString());
      });
    }

    it("absent with a score: 422 on score", async () => {
      const session = await ownSession();
      const enrolment = await enrolDirectly(session, await createUser());
      context().clock.set(AFTER_DEFAULT_START);
      expect(errorPaths(await resultRequest(trainer, enrolment.id, { attended: false, score: 50 }))).to.deep.equal([
        "score",
      ]);
      for (const score of [-1, 101, 55.5]) {
        expect(
          errorPaths(await resultRequest(trainer, enrolment.id, { attended: true, score })),
          String(score),
        ).to.deep.equal(["score"]);
      }
      expect(errorPaths(await resultRequest(trainer, enrolment.id, { score: 80 }))).to.deep.equal(["attended"]);
      expect((await Enrolment.findByPk(enrolment.id))?.status).to.equal("enrolled");
    });

    it("may be corrected, and recorded by an admin", async () => {
      const session = await ownSession();
      const enrolment = await enrolDirectly(session, await createUser());
      context().clock.set(AFTER_DEFAULT_START);
      await recordResultThroughApi(trainer.session, enrolment.id, true, 50);
      const corrected = await recordResultThroughApi(admin.session, enrolment.id, true, 75);
      expect(corrected).to.deep.include({ status: "passed", score: 75 });
      expect((await Enrolment.findByPk(enrolment.id))?.resultRecordedBy).to.equal(admin.user.id);
    });

    it("for a waitlisted or cancelled enrolment: 409", async () => {
      const session = await ownSession({ capacity: 1 });
      await enrolDirectly(session, await createUser());
      const waiting = await enrolDirectly(session, await createUser(), "waitlisted");
      const cancelled = await enrolDirectly(session, await createUser(), "cancelled");
      context().clock.set(AFTER_DEFAULT_START);
      for (const enrolment of [waiting, cancelled]) {
        expectProblem(await resultRequest(trainer, enrolment.id, { attended: true, score: 90 }), 409, "conflict");
        expect((await Enrolment.findByPk(enrolment.id))?.status).to.equal(enrolment.status);
      }
      const listed = await enrolmentsOf(trainer.session, `sessionId=${session.id}`);
      expect(listed.map((item) => [item.status, item.permissions.recordResult])).to.deep.equal([
        ["enrolled", true],
        ["waitlisted", false],
        ["cancelled", false],
      ]);
    });

    it("once the certificate is issued: 409, the result stays", async () => {
      const session = await ownSession();
      const holder = await createUser({ fullName: "Reçu Définitif" });
      const enrolment = await enrolDirectly(session, holder);
      context().clock.set(AFTER_DEFAULT_START);
      await recordResultThroughApi(trainer.session, enrolment.id, true, 88);
      await issueCertificates(trainer.session, session.id, context().clock);
      const [listed] = await enrolmentsOf(trainer.session, `sessionId=${session.id}`);
      expect(listed?.certificate).to.deep.include({ status: "valid" });
      expect(listed?.certificate?.number).to.match(/^PN-2026-\d{6}$/);
      expect(listed?.permissions.recordResult).to.equal(false);
      expectProblem(await resultRequest(trainer, enrolment.id, { attended: true, score: 10 }), 409, "conflict");
      expectProblem(await resultRequest(admin, enrolment.id, { attended: false, score: null }), 409, "conflict");
      expect(await Enrolment.findByPk(enrolment.id)).to.deep.include({ status: "passed", score: 88 });
    });
  });

  describe("the reminder the day before", () => {
    const deps = () => ({ sequelize: context().sequelize, clock: context().clock, publicUrl: testConfig().publicUrl });
    /** The hourly task as the worker runs it (server/worker.ts), with the app's clock. */
    const reminderTask = () => {
      const tasks = taskList(
        workerContext({
          config: testConfig(),
          logger: testLogger,
          clock: context().clock,
          sequelize: context().sequelize,
          transport: captureTransport(),
          documentStore: createDocumentStore(testConfig().storage),
          signer: TEST_SIGNER,
        }),
      );
      const task = tasks[SESSION_REMINDERS_TASK];
      if (!task) throw new Error(`no ${SESSION_REMINDERS_TASK} task in the worker`);
      // The task reads neither its payload nor the job helpers.
      return task({}, {} as JobHelpers);
    };

    it("reaches every seated person once, the day before in Casablanca; not those waiting or cancelled", async () => {
      // 10 September, 09:00 in Casablanca; and one at 00:30 on 10 September there (still 9 September in UTC).
      const session = await ownSession({ startsAt: "2026-09-10T08:00:00Z", capacity: 2 });
      const midnight = await ownSession({ startsAt: "2026-09-09T23:30:00Z" });
      const later = await ownSession({ startsAt: "2026-09-11T08:00:00Z" });
      const seated = [await createUser({ fullName: "Rappel Un" }), await createUser({ fullName: "Rappel Deux" })];
      for (const user of seated) await enrolDirectly(session, user);
      const waiting = await createUser({ fullName: "Rappel Attente" });
      await enrolDirectly(session, waiting, "waitlisted");
      const cancelled = await createUser({ fullName: "Rappel Annulé" });
      await enrolDirectly(session, cancelled, "cancelled");
      const nightOwl = await createUser({ fullName: "Rappel Minuit" });
      await enrolDirectly(midnight, nightOwl);
      const tooEarly = await createUser({ fullName: "Rappel Trop Tôt" });
      await enrolDirectly(later, tooEarly);

      // Two days before: nothing yet.
      context().clock.set("2026-09-08T10:00:00Z");
      expect(await sendSessionReminders(deps(), SYSTEM_ACTOR)).to.equal(0);

      context().clock.set("2026-09-09T10:00:00Z");
      await reminderTask();
      for (const user of [...seated, nightOwl]) {
        expect(await outboxTo(user.email, "session-reminder"), user.fullName).to.have.length(1);
      }
      for (const user of [waiting, cancelled, tooEarly]) {
        expect(await outboxTo(user.email, "session-reminder"), user.fullName).to.have.length(0);
      }
      const [reminder] = await outboxTo(seated[0]?.email ?? "", "session-reminder");
      expect(reminder?.data).to.deep.include({ recipientName: "Rappel Un", trainerName: "Nadia Formatrice" });

      // The hourly run again: nobody twice.
      context().clock.set("2026-09-09T11:00:00Z");
      expect(await sendSessionReminders(deps(), SYSTEM_ACTOR)).to.equal(0);
      for (const user of [...seated, nightOwl])
        expect(await outboxTo(user.email, "session-reminder")).to.have.length(1);
      const reminded = await AuditEvent.count({
        where: {
          action: "enrolment.reminded",
          entityId: { [Op.in]: (await Enrolment.findAll({ where: { sessionId: session.id } })).map((row) => row.id) },
        },
      });
      expect(reminded).to.equal(2);

      await runWorker(context().clock);
      const [mail] = await capturedEmailsTo(seated[1]?.email ?? "");
      expect(mail?.textBody).to.contain("Rappel Deux");
    });
  });

  describe("audit trail", () => {
    it("records session creation, enrolment, waiting, cancellation, promotion and results with who did it", async () => {
      const created = await apiPost(
        trainer.session,
        "/training/sessions",
        sessionPayload(TEST_NOW, { capacity: 1, title: "Session auditée" }),
      );
      expect(created.status, created.text).to.equal(201);
      const sessionId = (created.body as SessionBody).id;
      const first = await applicantPlayer("Audit Premier");
      const second = await applicantPlayer("Audit Second");
      const seated = await enrolThroughApi(first.session, sessionId);
      const waiting = await enrolThroughApi(second.session, sessionId);
      expect((await apiDelete(first.session, `/training/enrolments/${seated.id}`)).status).to.equal(200);
      const session = await TrainingSession.findByPk(sessionId);
      context().clock.set(new Date((session?.startsAt.getTime() ?? 0) + HOUR_MS));
      await recordResultThroughApi(trainer.session, waiting.id, true, 95);

      const events = await AuditEvent.findAll({
        where: { entityId: [sessionId, seated.id, waiting.id] },
        order: [["position", "ASC"]],
      });
      expect(events.map((event) => [event.action, event.entityId, event.actorId])).to.deep.equal([
        ["training-session.created", sessionId, trainer.user.id],
        ["enrolment.created", seated.id, first.user.id],
        ["enrolment.waitlisted", waiting.id, second.user.id],
        ["enrolment.cancelled", seated.id, first.user.id],
        ["enrolment.promoted", waiting.id, first.user.id],
        ["enrolment.result-recorded", waiting.id, trainer.user.id],
      ]);
      const byAction = new Map(events.map((event) => [event.action, event]));
      expect(byAction.get("enrolment.cancelled")?.before).to.deep.include({ status: "enrolled" });
      expect(byAction.get("enrolment.cancelled")?.after).to.deep.include({ status: "cancelled" });
      expect(byAction.get("enrolment.promoted")?.after).to.deep.include({ status: "enrolled" });
      expect(byAction.get("enrolment.result-recorded")?.after).to.deep.include({
        status: "passed",
        attended: true,
        score: 95,
      });
      expect(events.every((event) => typeof event.requestId === "string" && event.requestId !== "")).to.equal(true);
    });
  });

  describe("fixtures", () => {
    it("the factory writes 1,000 passed enrolments in one statement", async () => {
      const session = await ownSession({
        capacity: 1000,
        startsAt: new Date(DEFAULT_STARTS_AT.getTime() + 30 * DAY_MS),
      });
      const started = Date.now();
      const ids = await passedEnrolments(session, 1000);
      expect(Date.now() - started).to.be.below(5000);
      expect(new Set(ids).size).to.equal(1000);
      expect(await enrolmentCounts(session.id)).to.deep.equal({ passed: 1000 });
      expect((await bulkEnrolments(session, 3, { status: "waitlisted" })).length).to.equal(3);
      expect(await sessionAs(admin.session, session.id)).to.deep.include({
        enrolledCount: 1000,
        waitlistCount: 3,
        seatsLeft: 0,
      });
    });
  });
});
