import { Informer, type Informed, type WatchEventType } from "../kube/informer";
import { gvkOf, WATCHED } from "./kinds";

const informers = new Map<string, Informer>();
/** The label every child carries, which the informers select; set when they start. */
let managedBy: { key: string; value: string } | undefined;
const id = (apiVersion: string, kind: string) => `${apiVersion}/${kind}`;

/**
 * Starts one informer per watched kind, selecting objects labelled `label`; `onChild` hears of
 * every change (to requeue the owner). Reads of children are then answered from memory.
 */
export function startChildInformers(
  label: { key: string; value: string },
  onChild: (type: WatchEventType, obj: Informed) => void,
  onError: (kind: string, err: unknown, retryInMs: number) => void,
): void {
  managedBy = label;
  for (const [apiVersion, kind] of WATCHED) {
    if (informers.has(id(apiVersion, kind))) continue;
    const selector = `${label.key}=${label.value}`;
    const informer = new Informer(gvkOf(apiVersion, kind), selector, onChild, {
      onError: (err, ms) => onError(kind, err, ms),
    });
    informers.set(id(apiVersion, kind), informer.start());
  }
}

/** The label every child carries (undefined before the informers start). */
export const managedByLabel = () => managedBy;

const synced = (apiVersion: string, kind: string) => {
  const i = informers.get(id(apiVersion, kind));
  return i?.synced ? i : undefined;
};

/**
 * Whether the informer of this kind has synced: then every object carrying the operator's label
 * is in memory, and one it does not hold does not exist as ours.
 */
export function childrenKnown(apiVersion: string, kind: string): boolean {
  return synced(apiVersion, kind) !== undefined;
}

/**
 * The child as last seen by its informer, or undefined when the informer does not hold it (not
 * started, not synced, or no such object with our label): then ask the API server. A hit may be a
 * moment stale; any change since brings an event, and with it another reconcile.
 */
export function cachedChild(
  apiVersion: string,
  kind: string,
  namespace: string,
  name: string,
): Informed | undefined {
  return synced(apiVersion, kind)?.get(namespace, name);
}

/** Children of one kind in `namespace` (undefined: in any) with these labels, or undefined when not synced. */
export function cachedChildren(
  apiVersion: string,
  kind: string,
  namespace: string | undefined,
  labels: Record<string, string>,
): Informed[] | undefined {
  return synced(apiVersion, kind)?.list(namespace, labels);
}

/** Records what a write returned, so the next read sees it before its watch event arrives. */
export function rememberChild(obj: unknown): void {
  const o = obj as Informed | undefined;
  if (!o?.metadata?.name || !o.apiVersion || !o.kind) return;
  // The informer would never have seen one without the label.
  if (!managedBy || o.metadata.labels?.[managedBy.key] !== managedBy.value) return;
  informers.get(id(o.apiVersion as string, o.kind as string))?.remember(o);
}
