import { Log } from "pepr";
import { selectorMatches } from "../api/fields/label-selector";
import { GVK, type ImagePullSecret, type Registry } from "../api/kinds";
import { MANAGED_PULL_SECRET_LABELS } from "../api/labels";
import { recordEvent } from "../engine/events";
import { KeyedQueue } from "../engine/queue";
import { client } from "../engine/kinds";
import { K8s } from "../kube/client";
import { describeError, unlessMissing } from "../kube/errors";
import { findRegistry } from "../kube/registry-lookup";
import {
  managedPullSecret,
  managedPullSecretName,
} from "../render/credentials/managed-pull-secret";

const findPullSecret = (namespace: string, name: string) =>
  unlessMissing(K8s<ImagePullSecret>(GVK.ImagePullSecret).InNamespace(namespace).Get(name));

const queue = new KeyedQueue((key, err, ms) =>
  Log.error(`managed pull secrets of Registry ${key}: ${describeError(err)}; retrying in ${ms} ms`),
);
/** Namespaces of the control plane and of the module: never given pull secrets. */
const SYSTEM_NAMESPACES = /^(kube-.*|pepr-system)$/;

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
          !SYSTEM_NAMESPACES.test(n.metadata.name) &&
          selectorMatches(managed.namespaceSelector, n.metadata.labels),
      )
    : [];
  const existing = (
    await K8s<ImagePullSecret>(GVK.ImagePullSecret)
      .WithLabel(MANAGED_PULL_SECRET_LABELS.registry, name)
      .WithLabel(MANAGED_PULL_SECRET_LABELS.namespace, namespace)
      .Get()
  ).items;
  const done = { added: [] as string[], removed: [] as string[], skipped: [] as string[] };
  const failures: string[] = [];
  // One namespace that fails does not stop the others; the queue retries the whole.
  const each = async (ns: string, work: () => Promise<void>) => {
    try {
      await work();
    } catch (err) {
      failures.push(`${ns}: ${describeError(err)}`);
    }
  };
  for (const n of namespaces)
    await each(n.metadata.name, async () => {
      const want = managedPullSecret({ name, namespace }, managed!, n.metadata.name);
      const live = existing.find(e => e.metadata?.namespace === n.metadata.name);
      if (live && JSON.stringify(live.spec) === JSON.stringify(want.spec)) return;
      // Someone's own ImagePullSecret of that name is never taken over.
      if (!live && (await findPullSecret(n.metadata.name, want.metadata.name))) {
        done.skipped.push(n.metadata.name);
        return;
      }
      await K8s(GVK.ImagePullSecret).Apply(want, { force: true });
      if (!live) done.added.push(n.metadata.name);
    });
  const kept = new Set(namespaces.map(n => n.metadata.name));
  for (const e of existing.filter(e => !kept.has(e.metadata!.namespace!)))
    await each(e.metadata!.namespace!, async () => {
      await K8s(GVK.ImagePullSecret).InNamespace(e.metadata!.namespace!).Delete(e.metadata!.name!);
      done.removed.push(e.metadata!.namespace!);
    });
  if (registry) await report(registry, done);
  if (failures.length) throw new Error(`could not sync namespaces ${failures.join("; ")}`);
}

async function report(
  registry: Registry,
  done: { added: string[]; removed: string[]; skipped: string[] },
): Promise<void> {
  const target = registry as Parameters<typeof recordEvent>[0];
  if (done.added.length || done.removed.length)
    await recordEvent(
      target,
      "Normal",
      "ManagedPullSecrets",
      [
        done.added.length ? `Created pull secrets in namespaces ${done.added.join(", ")}.` : "",
        done.removed.length ? `Removed those of namespaces ${done.removed.join(", ")}.` : "",
      ]
        .join(" ")
        .trim(),
    );
  if (done.skipped.length)
    await recordEvent(
      target,
      "Warning",
      "ManagedPullSecretConflict",
      `An ImagePullSecret named ${managedPullSecretName(registry.metadata!.name!, registry.metadata!.namespace!)} that the operator did not make exists in namespaces ${done.skipped.join(", ")}; it is left alone, and those namespaces get no managed pull secret.`,
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
