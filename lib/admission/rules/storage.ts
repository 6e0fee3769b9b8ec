import { storageKinds, type RegistrySpec } from "../../api/registry-spec";
import { singleReplicaStorage } from "../resolve";

/** Exactly one storage kind; COSI needs both of its classes. */
export function storageProblems(spec: RegistrySpec): string[] {
  const storage = spec.storage;
  if (!storage || typeof storage !== "object") return [];
  const kinds = storageKinds(storage);
  const problems: string[] = [];
  if (kinds.length > 1) {
    problems.push(`spec.storage: set exactly one storage kind, found ${kinds.join(" and ")}`);
  } else if (kinds.length === 0) {
    problems.push(
      "spec.storage: set one of bucketClassName+bucketAccessClass, s3, filesystem, emptyDir",
    );
  }
  if (kinds.includes("cosi")) {
    if (!storage.bucketClassName)
      problems.push("spec.storage.bucketClassName: is required with bucketAccessClass");
    if (!storage.bucketAccessClass)
      problems.push("spec.storage.bucketAccessClass: is required with bucketClassName");
  }
  const single = spec.autoscaling ? singleReplicaStorage(spec) : undefined;
  if (single)
    problems.push(
      `spec.autoscaling: needs storage the replicas share (s3, or bucketClassName+bucketAccessClass); ${single} storage keeps the registry at one replica`,
    );
  return problems;
}
