// Handler latency from the module's own log. Pepr 1.1.4's pepr_mutate / pepr_validate summaries
// stay empty (its admission handler observes "pepr_Mutate"/"pepr_Validate", which do not exist),
// so the per-request `duration` Pepr logs at info level for each POST /mutate and /validate —
// request in to response out, inside the module — is used instead.
import { closeSync, openSync, readSync, statSync } from "node:fs";
import { summary } from "./stats";

/** The log's current size: pass it to `handlerLatencies` to read only what comes after. */
export const logOffset = (path?: string): number => {
  try {
    return path ? statSync(path).size : 0;
  } catch {
    return 0;
  }
};

function readFrom(path: string, offset: number): string {
  const size = statSync(path).size;
  const buf = Buffer.alloc(Math.max(0, size - offset));
  const fd = openSync(path, "r");
  try {
    readSync(fd, buf, 0, buf.length, offset);
  } finally {
    closeSync(fd);
  }
  return buf.toString("utf8");
}

export function handlerLatencies(path: string | undefined, offset = 0) {
  if (!path) return undefined;
  let text: string;
  try {
    text = readFrom(path, offset);
  } catch {
    return undefined;
  }
  // eslint-disable-next-line no-control-regex
  const clean = text.replace(/\x1b\[[0-9;]*m/g, "");
  const mutate: number[] = [];
  const validate: number[] = [];
  let kind: "mutate" | "validate" | undefined;
  // scripts/operator-deployed.ts prefixes each line of a pod with its Deployment's name.
  for (const line of clean.split("\n").map(l => l.replace(/^\[[\w.-]+\] /, ""))) {
    if (/^\[\d\d:\d\d:\d\d\.\d{3}\]/.test(line) || line.startsWith("{")) kind = undefined;
    // pretty logs: `url: "/mutate/<hash>?timeout=30s"` then `duration: "12 ms"`; JSON logs: one line.
    const url = /"?url"?: ?"\/(mutate|validate)\//.exec(line);
    if (url) kind = url[1] as "mutate" | "validate";
    const d = /"?duration"?: ?"?(\d+(?:\.\d+)?) ?ms"?/.exec(line);
    if (d && kind) {
      (kind === "mutate" ? mutate : validate).push(Number(d[1]));
      kind = undefined;
    }
  }
  return {
    source: "module log (Pepr request duration)",
    mutateMs: summary(mutate),
    validateMs: summary(validate),
  };
}
