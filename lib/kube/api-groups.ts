import { transport } from "./client";
import { unlessMissing } from "./errors";

const served = new Map<string, Promise<boolean>>();

/**
 * Whether the API server serves `group` (discovery, `GET /apis/<group>`). Asked once per process:
 * a cluster does not change what it is; a failed ask is not remembered, so it is asked again.
 */
export function servesApiGroup(group: string): Promise<boolean> {
  let answer = served.get(group);
  if (!answer) {
    answer = unlessMissing(transport().request({ method: "GET", path: `/apis/${group}` })).then(
      found => found !== undefined,
    );
    answer.catch(() => served.delete(group));
    served.set(group, answer);
  }
  return answer;
}

/** Forgets every answer (tests that change what the API server serves). */
export function forgetApiGroups(): void {
  served.clear();
}
