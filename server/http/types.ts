import type { Locale } from "../i18n/index.js";
import type { User as UserRecord } from "../models/index.js";

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      /** Language of the answer: the signed-in user's, else Accept-Language, else French. */
      locale: Locale;
    }
    interface Locals {
      /** Per-request nonce allowed by the CSP for the client's <style> elements. */
      cspNonce: string;
    }
    // Passport's req.user is our User record.
    // eslint-disable-next-line @typescript-eslint/no-empty-object-type
    interface User extends UserRecord {}
  }
}

export interface ListPage<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}
