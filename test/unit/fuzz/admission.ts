// The webhook's handlers, in process: each kind's mutate and validate steps as capabilities/*.ts
// run them, with the cluster look-ups they make answered from a generated world, and the answer
// made by respond() (lib/admission/respond.ts), which capabilities/respond.ts wraps with a counter.
import type { PeprMutateRequest, PeprValidateRequest } from "pepr";
import type { KubernetesObject } from "kubernetes-fluent-client";
import { clone } from "ramda";
import { respond } from "../../../lib/admission/respond";
import {
  applyResolution,
  resolveRegistry,
  type RegistryLike,
} from "../../../lib/admission/resolve";
import {
  validateRegistry,
  validateRegistryTemplate,
} from "../../../lib/admission/validate-registry";
import { resolveCache, validateCache } from "../../../lib/admission/validate-cache";
import { registryRefOf, validateCredential } from "../../../lib/admission/validate-credential";
import { prunerRegistry, validatePruner } from "../../../lib/admission/validate-pruner";
import type { Verdict } from "../../../lib/admission/verdict";
import type { NamespaceFacts } from "../../../lib/api/node-trust";
import type { RegistrySpec } from "../../../lib/api/registry-spec";
import type { TemplateLike } from "../../../lib/api/template-like";
import { fallbackTls } from "../../../lib/api/tls";
import { needsNamespaceLabels } from "../../../lib/dependencies/auth/allowed";
import type { FuzzKind, Obj } from "./objects";
import { overTheWire } from "./values";

/** What the cluster holds when a request comes: the look-ups' answers. */
export interface World {
  operation: "CREATE" | "UPDATE";
  namespace: string;
  /** The stored object, on UPDATE. */
  old?: Obj;
  /** RegistryTemplates by name. */
  templates: Record<string, TemplateLike>;
  /** The labels of the request's namespace. */
  namespaceLabels: Record<string, string>;
  /** The Registry a credential or a pruner names, when it exists (any name finds it). */
  registry?: { spec: RegistrySpec };
}

export interface Admitted {
  kind: FuzzKind;
  /** The object as the validating webhook received it (after the mutating one). */
  object: Obj;
  /** What the validation threw (the webhook would answer "operator error"). */
  thrown?: unknown;
  /** What the mutation threw (the webhook leaves the object as sent, and validates that). */
  mutationThrown?: unknown;
  verdict?: Verdict;
  response: { allowed: boolean; statusCode?: number; statusMessage?: string; warnings?: string[] };
  /** How long the mutate and validate steps took. */
  ms: number;
}

type Request = ConstructorParameters<typeof PeprValidateRequest<KubernetesObject>>[0];

/**
 * Pepr's request wrappers as the module's handlers see them (pepr/src/lib/mutate-request.ts and
 * validate-request.ts, 1.1.4): `Raw` is Ramda's clone of the object, and Approve and Deny build the
 * answer. Pepr's own classes cannot load under jest (its client is an ES module), and these are
 * all of them the handlers use.
 */
function request<R>(input: Request, extra: object): R {
  return {
    Raw: clone(input.object),
    Request: input,
    OldResource: input.oldObject,
    ...extra,
  } as R;
}
const validateRequest = (input: Request) =>
  request<PeprValidateRequest<KubernetesObject>>(input, {
    Approve: (warnings?: string[]) => ({ allowed: true, warnings }),
    Deny: (statusMessage?: string, statusCode?: number, warnings?: string[]) => ({
      allowed: false,
      statusCode,
      statusMessage,
      warnings,
    }),
  });
const mutateRequest = (input: Request) => request<PeprMutateRequest<KubernetesObject>>(input, {});
type Check = (req: PeprValidateRequest<KubernetesObject>, world: World) => Verdict;
type Mutate = (req: PeprMutateRequest<KubernetesObject>, world: World) => void;

// capabilities/registry.ts looks a template up only by a string name.
const lookUpTemplate = (world: World, name: unknown) =>
  typeof name === "string" && name ? world.templates[name] : undefined;

// lib/kube/registry-lookup.ts nodeTrustNamespace: the namespace's labels when nodeTrust is on.
function nodeTrustNamespace(raw: unknown, world: World): NamespaceFacts | undefined {
  const o = raw as {
    metadata?: { namespace?: string };
    spec?: { nodeTrust?: { enabled?: boolean } };
  };
  const namespace = o.metadata?.namespace;
  if (!namespace || !o.spec?.nodeTrust?.enabled) return undefined;
  return { namespace, labels: world.namespaceLabels };
}

const MUTATE: Partial<Record<FuzzKind, Mutate>> = {
  // capabilities/registry.ts
  Registry: (req, world) => {
    const raw = req.Raw as RegistryLike;
    const template = lookUpTemplate(world, raw.template);
    const old = req.OldResource as RegistryLike | undefined;
    applyResolution(raw, resolveRegistry({ incoming: raw, old, template }));
  },
  // capabilities/cache.ts
  Cache: req => {
    const old =
      req.Request.operation === "UPDATE" ? ((req.OldResource as Obj | null) ?? {}) : undefined;
    (req.Raw as Obj).spec = resolveCache(
      (req.Raw as Obj).spec,
      fallbackTls(old as { spec?: unknown }),
    );
  },
};

function credentialCheck(kind: "ImagePullSecret" | "ImagePushSecret"): Check {
  // capabilities/credentials.ts
  return (req, world) => {
    const namespace = req.Request.namespace ?? req.Raw.metadata?.namespace ?? "";
    const ref = registryRefOf(req.Raw, namespace);
    const registry = ref ? world.registry : undefined;
    const labels =
      ref && registry && needsNamespaceLabels(registry.spec?.auth, ref.namespace, namespace)
        ? world.namespaceLabels
        : undefined;
    return validateCredential(req.Raw, { kind, namespace, registry, namespaceLabels: labels });
  };
}

const CHECK: Record<FuzzKind, Check> = {
  Registry: (req, world) => {
    const raw = req.Raw as RegistryLike;
    const name = raw.template;
    const templateFound =
      typeof name === "string" && name ? !!lookUpTemplate(world, name) : undefined;
    return validateRegistry(req.Raw, {
      old: req.OldResource as RegistryLike | undefined,
      templateFound,
      namespace: nodeTrustNamespace(req.Raw, world),
    });
  },
  RegistryTemplate: req =>
    validateRegistryTemplate(req.Raw, (req.OldResource as { spec?: unknown } | null) ?? undefined),
  Cache: (req, world) =>
    validateCache(
      req.Raw,
      req.Request.operation === "UPDATE",
      req.OldResource ?? undefined,
      nodeTrustNamespace(req.Raw, world),
    ),
  ImagePullSecret: credentialCheck("ImagePullSecret"),
  ImagePushSecret: credentialCheck("ImagePushSecret"),
  // capabilities/pruner.ts
  ImagePruner: (req, world) => {
    const namespace = req.Request.namespace ?? req.Raw.metadata?.namespace ?? "";
    return validatePruner(req.Raw, {
      namespace,
      registryExists: prunerRegistry(req.Raw) ? !!world.registry : false,
      previousRegistry: req.OldResource ? prunerRegistry(req.OldResource) : undefined,
    });
  },
};

/** The AdmissionRequest the API server sends for `object` (namespace filled in, as it does). */
function admissionRequest(kind: FuzzKind, object: Obj, world: World) {
  const namespaced = kind !== "RegistryTemplate";
  const wire = overTheWire(object);
  const meta = wire.metadata;
  if (namespaced && typeof meta === "object" && meta !== null && !Array.isArray(meta))
    meta.namespace = world.namespace;
  const name = typeof meta?.name === "string" ? meta.name : "";
  return {
    uid: "fuzz",
    kind: { group: "registry-operator.dev", version: "v1alpha1", kind },
    resource: { group: "registry-operator.dev", version: "v1alpha1", resource: kind.toLowerCase() },
    name,
    ...(namespaced ? { namespace: world.namespace } : {}),
    operation: world.operation,
    userInfo: { username: "fuzz" },
    object: wire,
    ...(world.old ? { oldObject: overTheWire(world.old) } : {}),
    dryRun: false,
  } as unknown as Request;
}

/** One request through the webhook: mutate (for Registry and Cache), then validate and respond. */
export async function admit(kind: FuzzKind, object: Obj, world: World): Promise<Admitted> {
  const start = performance.now();
  let request = admissionRequest(kind, object, world);
  let mutationThrown: unknown;
  const mutate = MUTATE[kind];
  if (mutate) {
    const req = mutateRequest(request);
    try {
      mutate(req, world);
    } catch (err) {
      mutationThrown = err;
    }
    // The API server applies the patch and hands the result to the validating webhook.
    request = { ...request, object: overTheWire(req.Raw) };
  }
  const req = validateRequest(request);
  let thrown: unknown;
  let verdict: Verdict | undefined;
  const response = await respond(req, () => {
    try {
      verdict = CHECK[kind](req, world);
      return verdict;
    } catch (err) {
      thrown = err;
      throw err;
    }
  });
  return {
    kind,
    object: request.object as Obj,
    thrown,
    mutationThrown,
    verdict,
    response,
    ms: performance.now() - start,
  };
}
