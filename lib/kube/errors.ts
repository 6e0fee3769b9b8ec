/** A non-2xx answer of the API server; `status` and `data` as the fluent client reports them. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly data: unknown,
    readonly request: string,
  ) {
    const msg = typeof data === "string" ? data : (data as { message?: string })?.message;
    super(`HTTP ${status}${msg ? `: ${msg}` : ""}`);
    this.name = "ApiError";
  }
}

/** A one-line description of an error, including the API server's message for fluent-client errors (`{status, data}`). */
export function describeError(err: unknown): string {
  if (err instanceof Error) return err.message;
  const e = err as { status?: number; data?: { message?: string } | string };
  if (e && typeof e === "object" && "status" in e) {
    const msg = typeof e.data === "string" ? e.data : e.data?.message;
    return `HTTP ${e.status}${msg ? `: ${msg}` : ""}`;
  }
  return String(err);
}

/**
 * Why a write of `obj` failed, in words: a kind the API server does not serve answers a bare
 * "404 page not found" (its CRDs — cert-manager's, COSI's — are not installed).
 */
export function describeApplyError(
  obj: { apiVersion: string; kind: string },
  err: unknown,
): string {
  const message = describeError(err);
  if ((err as { status?: number }).status === 404 && message.includes("page not found"))
    return `this cluster does not serve ${obj.apiVersion} ${obj.kind} (its CRDs are not installed)`;
  return message;
}

/** Whether a fluent-client error is the API server's 404. */
const isNotFound = (err: unknown): boolean =>
  (err as { status?: number } | undefined)?.status === 404;

/**
 * The result of a read, or undefined when the object does not exist. Other errors are thrown:
 * "could not ask" must never pass for "not there".
 */
export async function unlessMissing<T>(read: Promise<T>): Promise<T | undefined> {
  try {
    return await read;
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}
