import type { RegistrySpec } from "../../api/registry-spec";

const oneOf = (path: string, obj: object | undefined, keys: string[]): string[] => {
  if (!obj || typeof obj !== "object") return [];
  const set = keys.filter(k => (obj as Record<string, unknown>)[k] !== undefined);
  return set.length > 1
    ? [`${path}: set only one of ${keys.join(", ")}, found ${set.join(" and ")}`]
    : [];
};

/** Rules that relate several fields of a spec. */
export function crossFieldProblems(spec: RegistrySpec): string[] {
  const problems: string[] = [];
  const svc = spec.service;
  if (svc?.nodePort !== undefined && svc.type !== "NodePort" && svc.type !== "LoadBalancer") {
    problems.push(
      `spec.service.nodePort: needs type NodePort or LoadBalancer, not ${svc.type ?? "ClusterIP"}`,
    );
  }
  problems.push(...oneOf("spec.tls", spec.tls, ["selfSigned", "secretName", "issuerRef"]));
  problems.push(...oneOf("spec.redis", spec.redis, ["managed", "external"]));
  problems.push(...oneOf("spec.auth", spec.auth, ["htpasswd", "token"]));
  if (spec.redis && typeof spec.redis === "object" && !spec.redis.managed && !spec.redis.external) {
    problems.push("spec.redis: set one of managed, external");
  }
  return problems;
}
