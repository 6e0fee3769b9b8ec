import { RegistrySchema, RegistryTemplateSchema } from "../api/registry";
import type { RegistrySpec } from "../api/registry-spec";
import { formatIssues } from "./issues";
import { isObject } from "./merge";
import { ownSpec } from "../api/own-spec";
import { forcedToOneReplica, type RegistryLike, singleReplicaStorage } from "./resolve";
import { crossFieldProblems } from "./rules/cross-field";
import { immutableProblems } from "./rules/immutable";
import { nameProblems } from "../api/owner-name";
import { podSecurityWarnings } from "./rules/pod-security";
import { uiWarnings } from "./rules/ui";
import { redisProblems, redisWarnings } from "./rules/redis";
import { serviceUpdateProblems } from "./rules/service";
import { notYetActedOn } from "../api/not-yet";
import { storageProblems } from "./rules/storage";
import { ingressWarnings } from "./rules/ingress";
import { networkPolicyProblems, networkPolicyWarnings } from "./rules/network-policy";
import { tlsWarnings } from "./rules/tls";
import { authProblems, authWarnings } from "./rules/auth";
import { nodeTrustProblems, nodeTrustWarnings } from "./rules/node-trust";
import { imageProblems, runningImages } from "./rules/version";
import type { NamespaceFacts } from "../api/node-trust";
import { verdict, type Verdict } from "./verdict";

export interface RegistryContext {
  /** The stored object, on UPDATE. */
  old?: RegistryLike;
  /** Whether the named template exists; undefined when no template is named. */
  templateFound?: boolean;
  /** The namespace's labels, when nodeTrust is on (its Pod Security level must admit the agent). */
  namespace?: NamespaceFacts;
}

const imageOf = (spec: unknown): string | undefined =>
  isObject(spec) && typeof spec.image === "string" ? spec.image : undefined;

/**
 * The rules beyond the schema, also on a spec the schema refuses (every problem is reported at
 * once). They read the spec as its type says, so there a field of another type may make one
 * throw: it then says nothing, as the schema's message names that field. On a spec the schema
 * accepts, a throw is the operator's bug, and surfaces.
 */
function specProblems(spec: unknown, parsed: { error?: { issues: { path: PropertyKey[] }[] } }) {
  if (!isObject(spec)) return [];
  const refused = parsed.error?.issues.some(issue => issue.path[0] === "spec");
  const rules = [
    storageProblems,
    crossFieldProblems,
    redisProblems,
    authProblems,
    networkPolicyProblems,
  ];
  return rules.flatMap(rule => {
    if (!refused) return rule(spec as RegistrySpec);
    try {
      return rule(spec as RegistrySpec);
    } catch {
      return [];
    }
  });
}

function templateVerdict(
  obj: RegistryLike,
  ctx: RegistryContext,
): { problems: string[]; warnings: string[] } {
  // A template that is not a string is the schema's to refuse.
  if (typeof obj.template !== "string" || !obj.template || ctx.templateFound !== false)
    return { problems: [], warnings: [] };
  const missing = `RegistryTemplate "${obj.template}" not found`;
  // An existing Registry keeps running on the values its template gave it; only a new reference must resolve.
  if (ctx.old && ctx.old.template === obj.template) {
    return { problems: [], warnings: [`template: ${missing}; keeping the values it gave earlier`] };
  }
  return {
    problems: [`template: ${missing} (create it first, or remove the template field)`],
    warnings: [],
  };
}

const WHY_ONE_REPLICA: Record<string, string> = {
  filesystem: "filesystem storage is a single-writer volume",
  emptyDir:
    "emptyDir storage is a separate empty directory in each pod, so an image pushed through one pod could not be pulled through another",
};

function oneReplicaWarning(spec: Record<string, unknown>): string {
  const kind = singleReplicaStorage(spec)!;
  return `spec.replicas: ${String(spec.replicas)} requested, set to 1: ${WHY_ONE_REPLICA[kind]}; use s3 or COSI storage to run several replicas`;
}

/** Checks a Registry (after mutation) the way admission does; I/O results come in `ctx`. */
export function validateRegistry(object: unknown, ctx: RegistryContext = {}): Verdict {
  const obj = (isObject(object) ? object : {}) as RegistryLike;
  const parsed = RegistrySchema.safeParse(object);
  const template = templateVerdict(obj, ctx);
  const problems = [
    ...(parsed.success ? [] : formatIssues(parsed.error.issues)),
    ...specProblems(obj.spec, parsed),
    ...(parsed.success ? nodeTrustProblems(parsed.data.spec ?? {}) : []),
    ...imageProblems(
      imageOf(ctx.old?.spec),
      imageOf(obj.spec),
      !!ctx.old,
      "spec.image",
      runningImages(ctx.old),
    ),
    ...(ctx.old
      ? [
          ...immutableProblems(ctx.old.spec, obj.spec),
          ...serviceUpdateProblems(ctx.old.spec, obj.spec),
        ]
      : nameProblems(obj.metadata?.name)),
    ...template.problems,
  ];
  const own = ownSpec(obj);
  const warnings = [
    ...template.warnings,
    ...notYetActedOn(own),
    ...(parsed.success ? redisWarnings(parsed.data.spec ?? {}) : []),
    ...(parsed.success ? podSecurityWarnings(parsed.data.spec ?? {}) : []),
    ...(parsed.success ? tlsWarnings(parsed.data.spec ?? {}, ctx.old) : []),
    ...(parsed.success ? ingressWarnings(parsed.data.spec ?? {}) : []),
    ...(parsed.success ? networkPolicyWarnings(parsed.data.spec ?? {}) : []),
    ...(parsed.success ? authWarnings(parsed.data.spec ?? {}) : []),
    ...(parsed.success ? uiWarnings(parsed.data.spec ?? {}) : []),
    ...(parsed.success ? nodeTrustWarnings(parsed.data.spec ?? {}, [], ctx.namespace) : []),
  ];
  const requested = { ...(isObject(obj.spec) ? obj.spec : {}), replicas: own.replicas };
  if (forcedToOneReplica(requested)) warnings.push(oneReplicaWarning(requested));
  return verdict([...new Set(problems)], warnings);
}

/** Checks a RegistryTemplate: the same spec rules as a Registry. */
export function validateRegistryTemplate(object: unknown, old?: { spec?: unknown }): Verdict {
  const parsed = RegistryTemplateSchema.safeParse(object);
  const spec = isObject(object) ? object.spec : undefined;
  const problems = [
    ...(parsed.success ? [] : formatIssues(parsed.error.issues)),
    ...specProblems(spec, parsed),
    // Registries taking their image from it would all be refused the change it brings them.
    ...imageProblems(imageOf(old?.spec), imageOf(spec), !!old),
  ];
  return verdict([...new Set(problems)]);
}
