import { parseQuantity } from "../../kubernetes/quantity";
import { storageKinds, type Storage } from "../../api/registry-spec";
import { isObject } from "../merge";

const asStorage = (spec: unknown): Storage | undefined =>
  isObject(spec) && isObject(spec.storage) ? (spec.storage as Storage) : undefined;

/** Changes that would strand the registry's data or that Kubernetes cannot make to a volume. */
export function immutableProblems(oldSpec: unknown, newSpec: unknown): string[] {
  const before = asStorage(oldSpec);
  const after = asStorage(newSpec);
  if (!before || !after) return [];
  const [was, now] = [storageKinds(before), storageKinds(after)];
  if (was.length !== 1 || now.length !== 1) return [];
  if (was[0] !== now[0]) {
    return [
      `spec.storage: cannot change from ${was[0]} to ${now[0]}: the images stored there would be left behind; create a new Registry and copy the images`,
    ];
  }
  const problems: string[] = [];
  if (was[0] === "cosi") {
    for (const key of ["bucketClassName", "bucketAccessClass"] as const) {
      if (before[key] !== after[key])
        problems.push(`spec.storage.${key}: cannot change: the bucket holds the registry's images`);
    }
  }
  // A filesystem that is not an object is the schema's to refuse: comparing it says nothing more.
  if (was[0] === "filesystem" && isObject(before.filesystem) && isObject(after.filesystem)) {
    const [b, a] = [before.filesystem, after.filesystem];
    if ((b.storageClassName ?? "") !== (a.storageClassName ?? "")) {
      problems.push(
        "spec.storage.filesystem.storageClassName: cannot change: a claim's class is fixed when it is created",
      );
    }
    if (JSON.stringify(b.accessModes ?? []) !== JSON.stringify(a.accessModes ?? [])) {
      problems.push(
        "spec.storage.filesystem.accessModes: cannot change: a claim's access modes are fixed when it is created",
      );
    }
    const [was, now] = [parseQuantity(b.size ?? 0), parseQuantity(a.size ?? 0)];
    if (a.size !== undefined && was !== undefined && now !== undefined && now < was) {
      problems.push(
        `spec.storage.filesystem.size: cannot shrink from ${String(b.size)} to ${String(a.size)}: volumes only grow`,
      );
    }
  }
  return problems;
}
