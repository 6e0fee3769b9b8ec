import { Log } from "pepr";
import { selectorMatches } from "../api/fields/label-selector";
import { GVK, type ImagePullSecret } from "../api/kinds";
import { MANAGED_PULL_SECRET_LABELS } from "../api/labels";
import { recordEvent } from "../engine/events";
import { KeyedQueue } from "../engine/queue";
import { client } from "../engine/kinds";
import { K8s } from "../kube/client";
import { describeError } from "../kube/errors";
import { findRegistry } from "../kube/registry-lookup";
import { managedPullSecret } from "../render/credentials/managed-pull-secret";

const queue = new KeyedQueue((key, err, ms) =>
  Log.error(`managed pull secrets of Registry ${key}: ${describeError(err)}; retrying in ${ms} ms`),
);
/** Registries that select namespaces, by `namespace/name`: a namespace's change requeues them. */
const selecting = new Set<string>();

type Namespace = {
  metadata: { name: string; labels?: Record<string, string> };
  status?: { phase?: string };
};

/**
 * Keeps one ImagePullSecret for the Registry in every namespace its
 * `spec.auth.managedPullSecrets.namespaceSelector` matches, and deletes those in namespaces it no
 * longer matches, or all of them once the Registry is gone.
 */
async function sync(namespace: string, name: string): Promise<void> {
  const key = `${namespace}/${name}`;
  const registry = await findRegistry(namespace, name, "reconcile");
  const managed = registry?.metadata?.deletionTimestamp
    ? undefined
    : registry?.spec?.auth?.managedPullSecrets;
  if (managed) selecting.add(key);
  else selecting.delete(key);
  const namespaces = managed
    ? (await client<Namespace>("v1", "Namespace").Get()).items.filter(
        n =>
          n.status?.phase !== "Terminating" &&
          selectorMatches(managed.namespaceSelector, n.metadata.labels),
      )
    : [];
  const existing = (
    await K8s<ImagePullSecret>(GVK.ImagePullSecret)
      .WithLabel(MANAGED_PULL_SECRET_LABELS.registry, name)
      .WithLabel(MANAGED_PULL_SECRET_LABELS.namespace, namespace)
      .Get()
  ).items;
  const added: string[] = [];
  for (const n of namespaces) {
    const want = managedPullSecret({ name, namespace }, managed!, n.metadata.name);
    const live = existing.find(e => e.metadata?.namespace === n.metadata.name);
    if (live && JSON.stringify(live.spec) === JSON.stringify(want.spec)) continue;
    await K8s(GVK.ImagePullSecret).Apply(want, { force: true });
    if (!live) added.push(n.metadata.name);
  }
  const kept = new Set(namespaces.map(n => n.metadata.name));
  const removed: string[] = [];
  for (const e of existing)
    if (!kept.has(e.metadata!.namespace!)) {
      await K8s(GVK.ImagePullSecret).InNamespace(e.metadata!.namespace!).Delete(e.metadata!.name!);
      removed.push(e.metadata!.namespace!);
    }
  if (registry && (added.length || removed.length))
    await recordEvent(
      registry as Parameters<typeof recordEvent>[0],
      "Normal",
      "ManagedPullSecrets",
      [
        added.length ? `Created pull secrets in namespaces ${added.join(", ")}.` : "",
        removed.length ? `Removed those of namespaces ${removed.join(", ")}.` : "",
      ]
        .join(" ")
        .trim(),
    );
}

/** Requeues a Registry's managed pull secrets, when it selects namespaces or did. */
export function enqueueManagedPullSecrets(namespace: string, name: string, selects: boolean) {
  const key = `${namespace}/${name}`;
  if (selects || selecting.has(key)) queue.enqueue(key, () => sync(namespace, name));
}

/** A namespace appeared or its labels changed: every selecting Registry looks again. */
export function namespaceChanged(): void {
  for (const key of selecting) {
    const [namespace, name] = key.split("/");
    queue.enqueue(key, () => sync(namespace, name));
  }
}

/**
 * Requeues the Registries of every managed ImagePullSecret (found by label): a Registry deleted
 * while the module was down still has its pull secrets removed.
 */
export async function sweepManagedPullSecrets(): Promise<void> {
  const { items } = await K8s<ImagePullSecret>(GVK.ImagePullSecret)
    .WithLabel(MANAGED_PULL_SECRET_LABELS.registry)
    .Get();
  const owners = new Set(
    items.map(
      i =>
        `${i.metadata?.labels?.[MANAGED_PULL_SECRET_LABELS.namespace]}/${i.metadata?.labels?.[MANAGED_PULL_SECRET_LABELS.registry]}`,
    ),
  );
  for (const key of owners) {
    const [namespace, name] = key.split("/");
    queue.enqueue(key, () => sync(namespace, name));
  }
}
