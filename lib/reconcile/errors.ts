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
