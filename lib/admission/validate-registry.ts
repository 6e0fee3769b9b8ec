import { RegistrySchema, RegistryTemplateSchema } from "../api/registry";
import { storageKinds, type RegistrySpec } from "../api/registry-spec";
import { formatIssues } from "./issues";
import { verdict, type Verdict } from "./verdict";

function storageProblems(spec: RegistrySpec | undefined, path: string): string[] {
  const storage = spec?.storage;
  if (!storage) return [];
  const kinds = storageKinds(storage);
  const problems: string[] = [];
  if (kinds.length > 1) {
    problems.push(`${path}.storage: set exactly one storage kind, found ${kinds.join(" and ")}`);
  } else if (kinds.length === 0 && storage.deletionPolicy === undefined) {
    problems.push(
      `${path}.storage: set one of bucketClassName+bucketAccessClass, s3, filesystem, emptyDir`,
    );
  }
  if (kinds.includes("cosi")) {
    if (!storage.bucketClassName)
      problems.push(`${path}.storage.bucketClassName: is required with bucketAccessClass`);
    if (!storage.bucketAccessClass)
      problems.push(`${path}.storage.bucketAccessClass: is required with bucketClassName`);
  }
  return problems;
}

/** Checks a Registry the way admission does, without touching the cluster. */
export function validateRegistry(object: unknown): Verdict {
  const parsed = RegistrySchema.safeParse(object);
  if (!parsed.success) return verdict(formatIssues(parsed.error.issues));
  return verdict(storageProblems(parsed.data.spec, "spec"));
}

/** Checks a RegistryTemplate: the same rules as a Registry's spec. */
export function validateRegistryTemplate(object: unknown): Verdict {
  const parsed = RegistryTemplateSchema.safeParse(object);
  if (!parsed.success) return verdict(formatIssues(parsed.error.issues));
  return verdict(storageProblems(parsed.data.spec, "spec"));
}
