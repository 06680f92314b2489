// Document uploads with a real progress bar: fetch() cannot report upload progress, XMLHttpRequest
// can. Same rules as apiRequest: same-origin cookies, the session's CSRF token (refreshed and the
// upload sent again once if stale), problem+json answers thrown as ApiError.
import i18n from "../i18n";
import { applicationPath, type AnyDocumentType, type ApplicationDocument } from "./applications";
import { ApiError, NETWORK_ERROR_STATUS, problemFrom, retryAfterFrom, withCsrfToken } from "./client";

/** The server's limit (multer), checked here too so that nobody waits for a refusal. */
export const MAX_UPLOAD_BYTES = 10 * 1024 * 1024;

/** What the file input suggests; the server checks the bytes themselves. */
export const ACCEPTED_UPLOAD_TYPES = "application/pdf,image/png,image/jpeg";

export interface UploadOptions {
  /** Whole percent, 0 to 100, as the bytes leave the browser. */
  onProgress?: (percent: number) => void;
  signal?: AbortSignal;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function postMultipart<T>(url: string, form: FormData, csrfToken: string, options: UploadOptions): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    if (options.signal?.aborted) {
      reject(new DOMException("Upload cancelled", "AbortError"));
      return;
    }
    const xhr = new XMLHttpRequest();
    xhr.open("POST", url);
    xhr.withCredentials = true;
    xhr.setRequestHeader("Accept", "application/json, application/problem+json");
    xhr.setRequestHeader("Accept-Language", i18n.language);
    xhr.setRequestHeader("X-CSRF-Token", csrfToken);
    // No Content-Type: the browser writes multipart/form-data with its boundary.
    xhr.upload.addEventListener("progress", (event) => {
      if (event.lengthComputable && event.total > 0) {
        options.onProgress?.(Math.min(100, Math.floor((event.loaded / event.total) * 100)));
      }
    });
    xhr.addEventListener("load", () => {
      const contentType = xhr.getResponseHeader("content-type") ?? "";
      const body = contentType.includes("json") ? parseJson(xhr.responseText) : undefined;
      if (xhr.status >= 200 && xhr.status < 300) {
        options.onProgress?.(100);
        resolve(body as T);
        return;
      }
      reject(
        new ApiError(
          problemFrom(body, xhr.status, xhr.statusText),
          retryAfterFrom(xhr.getResponseHeader("retry-after")),
        ),
      );
    });
    xhr.addEventListener("error", () =>
      reject(new ApiError({ type: "network-error", title: "Network error", status: NETWORK_ERROR_STATUS })),
    );
    xhr.addEventListener("abort", () => reject(new DOMException("Upload cancelled", "AbortError")));
    options.signal?.addEventListener("abort", () => xhr.abort(), { once: true });
    xhr.send(form);
  });
}

/** POST …/documents: the `type` field first, then the one file (the server reads them in that order). */
export function uploadDocument(
  applicationId: string,
  type: AnyDocumentType,
  file: File,
  options: UploadOptions = {},
): Promise<ApplicationDocument> {
  const form = new FormData();
  form.append("type", type);
  form.append("file", file, file.name);
  return withCsrfToken((token) => {
    options.onProgress?.(0);
    return postMultipart<ApplicationDocument>(`${applicationPath(applicationId)}/documents`, form, token, options);
  });
}
