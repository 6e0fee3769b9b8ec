// Reading our objects' status conditions, as `kubectl wait --for=condition=…` does.
import { eventually, getJson } from "./kubectl";

export type Cond = { type: string; status: string; reason: string; message: string };
type WithStatus = { status?: { conditions?: Cond[] } & Record<string, unknown> };

/** An object of ours (`registry`, `imagepullsecret`, …) as `kubectl get -o json` returns it. */
export const getObject = <T = WithStatus>(namespace: string, kind: string, name: string) =>
  getJson<T & WithStatus>(["-n", namespace, kind, name]);

/** One condition of an object, or undefined while it has none of that type. */
export const conditionOf = (namespace: string, kind: string, name: string, type: string) =>
  getObject(namespace, kind, name).status?.conditions?.find(c => c.type === type);

/** Waits until the condition has `status` (and `reason`, when given); returns it. */
export function waitForCondition(
  namespace: string,
  kind: string,
  name: string,
  want: { type: string; status: string; reason?: string },
  timeoutMs = 60_000,
): Promise<Cond> {
  return eventually(
    () => {
      const c = conditionOf(namespace, kind, name, want.type);
      const ok = c && c.status === want.status && (!want.reason || c.reason === want.reason);
      return ok ? c : undefined;
    },
    timeoutMs,
    `${kind} ${name}: ${want.type}=${want.status}${want.reason ? ` (${want.reason})` : ""}`,
  );
}
