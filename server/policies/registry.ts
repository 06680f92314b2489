import { AppError } from "../errors.js";
import type { User } from "../models/index.js";

/**
 * Per-record permissions, declared in one place: `allow(subject, actions, condition)`. Handlers
 * ask `authorize(...)`; answers carry `permissionsFor(...)` so the client hides what is refused.
 * A record the actor may not even read answers 404, as if it did not exist.
 */
export interface PolicyContext {
  /** Today in Africa/Casablanca (YYYY-MM-DD), for expiring mandates. */
  today: string;
}

type Condition<R> = (actor: User, record: R, context: PolicyContext) => boolean;

export class PolicyRegistry<Subjects extends Record<string, { record: unknown; action: string }>> {
  private readonly rules = new Map<string, Array<Condition<unknown>>>();

  allow<S extends keyof Subjects & string>(
    subject: S,
    actions: ReadonlyArray<Subjects[S]["action"]>,
    condition: Condition<Subjects[S]["record"]>,
  ): void {
    for (const action of actions) {
      const key = `${subject}:${action}`;
      const conditions = this.rules.get(key) ?? [];
      conditions.push(condition as Condition<unknown>);
      this.rules.set(key, conditions);
    }
  }

  can<S extends keyof Subjects & string>(
    actor: User,
    action: Subjects[S]["action"],
    subject: S,
    record: Subjects[S]["record"],
    context: PolicyContext,
  ): boolean {
    const conditions = this.rules.get(`${subject}:${action}`) ?? [];
    return conditions.some((condition) => condition(actor, record, context));
  }

  /** 404 when the actor may not read the record at all, 403 when it may read but not do this. */
  authorize<S extends keyof Subjects & string>(
    actor: User,
    action: Subjects[S]["action"],
    subject: S,
    record: Subjects[S]["record"],
    context: PolicyContext,
  ): void {
    if (this.can(actor, action, subject, record, context)) return;
    if (action !== "read" && this.can(actor, "read" as Subjects[S]["action"], subject, record, context)) {
      throw new AppError("forbidden", 403);
    }
    throw AppError.notFound();
  }

  permissionsFor<S extends keyof Subjects & string>(
    actor: User,
    subject: S,
    actions: ReadonlyArray<Subjects[S]["action"]>,
    record: Subjects[S]["record"],
    context: PolicyContext,
  ): Record<string, boolean> {
    return Object.fromEntries(actions.map((action) => [action, this.can(actor, action, subject, record, context)]));
  }
}
