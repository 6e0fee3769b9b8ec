import { ALTERNATIVES, onlyOneOf } from "../../api/alternatives";
import { UI_HOST_MESSAGE, type RegistrySpec } from "../../api/registry-spec";

/** Blocks that set two alternatives (storage has its own rule: it must also set one). */
function alternativeProblems(spec: RegistrySpec): string[] {
  return Object.entries(ALTERNATIVES)
    .filter(([block]) => block !== "storage")
    .flatMap(([block, units]) => {
      const obj = (spec as Record<string, unknown>)[block];
      if (!obj || typeof obj !== "object") return [];
      const keys = units.flat();
      const set = keys.filter(k => (obj as Record<string, unknown>)[k] !== undefined);
      return set.length > 1
        ? [`spec.${block}: ${onlyOneOf(block)}, found ${set.join(" and ")}`]
        : [];
    });
}

/** Rules that relate several fields of a spec. */
export function crossFieldProblems(spec: RegistrySpec): string[] {
  const problems: string[] = [];
  const svc = spec.service;
  if (svc?.nodePort !== undefined && svc.type !== "NodePort" && svc.type !== "LoadBalancer") {
    problems.push(
      `spec.service.nodePort: needs type NodePort or LoadBalancer, not ${svc.type ?? "ClusterIP"}`,
    );
  }
  problems.push(...alternativeProblems(spec));
  const uiHost = spec.ui?.ingress?.host;
  if (uiHost !== undefined && uiHost === spec.ingress?.host)
    problems.push(`spec.ui.ingress.host: ${UI_HOST_MESSAGE}`);
  if (spec.redis && typeof spec.redis === "object" && !spec.redis.managed && !spec.redis.external) {
    problems.push("spec.redis: set one of managed, external");
  }
  return problems;
}
