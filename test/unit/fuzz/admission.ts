// The webhook's handlers, in process: each kind's mutate and validate steps as capabilities/*.ts
// bind them (lib/admission/handlers.ts), with the cluster look-ups they make answered from a
// generated world, and the answer made by respond() (lib/admission/respond.ts), which
// capabilities/respond.ts wraps with a counter.
import type { PeprMutateRequest, PeprValidateRequest } from "pepr";
import type { KubernetesObject } from "kubernetes-fluent-client";
import { clone } from "ramda";
import {
  admissionHandlers,
  type AdmissionLookups,
  type Mutation,
} from "../../../lib/admission/handlers";
import { respond } from "../../../lib/admission/respond";
import type { Verdict } from "../../../lib/admission/verdict";
import type { RegistrySpec } from "../../../lib/api/registry-spec";
import type { TemplateLike } from "../../../lib/api/template-like";
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
/** The look-ups answered from the world: any Registry name finds `world.registry`. */
const fromWorld = (world: World): AdmissionLookups => ({
  findTemplate: async name =>
    Object.hasOwn(world.templates, name) ? world.templates[name] : undefined,
  findRegistry: async () => world.registry,
  namespaceLabels: async () => world.namespaceLabels,
});

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
  const { mutate, validate } = admissionHandlers(fromWorld(world));
  const mutation = (mutate as Partial<Record<FuzzKind, Mutation>>)[kind];
  if (mutation) {
    const req = mutateRequest(request);
    mutationThrown = await mutation(req);
    // The API server applies the patch and hands the result to the validating webhook.
    request = { ...request, object: overTheWire(req.Raw) };
  }
  const req = validateRequest(request);
  let thrown: unknown;
  let verdict: Verdict | undefined;
  const response = await respond(req, async () => {
    try {
      verdict = await validate[kind](req);
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
