// The webhook's steps per kind — what capabilities/*.ts bind to Pepr — with the cluster look-ups
// they make given in: lib/kube's clients in the module, a generated world in the fuzz tests, so
// both run the same wiring.
import type { NamespaceFacts } from "../api/node-trust";
import type { RegistrySpec } from "../api/registry-spec";
import type { TemplateLike } from "../api/template-like";
import { fallbackTls } from "../api/tls";
import { needsNamespaceLabels } from "../dependencies/auth/allowed";
import { isObject } from "./merge";
import { applyResolution, resolveRegistry, type RegistryLike } from "./resolve";
import { resolveCache, validateCache, type CacheLike } from "./validate-cache";
import { registryRefOf, validateCredential } from "./validate-credential";
import { prunerRegistry, validatePruner } from "./validate-pruner";
import { validateRegistry, validateRegistryTemplate } from "./validate-registry";
import type { Verdict } from "./verdict";

/** What admission asks the cluster. A look-up that fails throws: "could not ask" is not "absent". */
export interface AdmissionLookups {
  findTemplate(name: string): Promise<TemplateLike | undefined>;
  findRegistry(namespace: string, name: string): Promise<{ spec?: RegistrySpec } | undefined>;
  namespaceLabels(namespace: string): Promise<Record<string, string> | undefined>;
}

/** The parts of Pepr's mutate and validate requests the steps read (and, mutating, write). */
export interface AdmissionRequest {
  Raw: { metadata?: { namespace?: string }; spec?: unknown };
  OldResource?: unknown;
  Request: { operation: string; namespace?: string };
}

export type AdmittedKind =
  | "Registry"
  | "RegistryTemplate"
  | "Cache"
  | "ImagePullSecret"
  | "ImagePushSecret"
  | "ImagePruner";

/** A mutation leaves the object as sent when it fails; it returns what failed (or undefined). */
export type Mutation = (req: AdmissionRequest) => Promise<unknown>;
export type Validation = (req: AdmissionRequest) => Promise<Verdict>;

export const namespaceOf = (req: AdmissionRequest) =>
  req.Request.namespace ?? req.Raw.metadata?.namespace ?? "";

// A spec sent as a string, number or list is left as sent for the schema to name: filled with
// defaults instead, what was sent would be lost without a word.
const notAnObject = (spec: unknown) => spec !== undefined && spec !== null && !isObject(spec);

/** Runs `step`; an error is returned, not thrown — validation runs next and explains the object. */
async function leavingAsSent(step: () => unknown): Promise<unknown> {
  try {
    await step();
    return undefined;
  } catch (err) {
    return err;
  }
}

export function admissionHandlers(look: AdmissionLookups) {
  // A template name of another type is the schema's to refuse.
  const named = (name: unknown): name is string => typeof name === "string" && name !== "";
  const template = (name: unknown) =>
    named(name) ? look.findTemplate(name) : Promise.resolve(undefined);

  // The namespace's labels when nodeTrust is on, for a warning when its Pod Security level refuses
  // the agent; labels that cannot be read skip that warning rather than refuse.
  async function nodeTrustNamespace(raw: AdmissionRequest["Raw"]) {
    const namespace = raw.metadata?.namespace;
    const nodeTrust = (raw.spec as { nodeTrust?: { enabled?: unknown } } | undefined)?.nodeTrust;
    if (!namespace || !nodeTrust?.enabled) return undefined;
    try {
      const facts: NamespaceFacts = { namespace, labels: await look.namespaceLabels(namespace) };
      return facts;
    } catch {
      return undefined;
    }
  }

  const credential =
    (kind: "ImagePullSecret" | "ImagePushSecret"): Validation =>
    async req => {
      const namespace = namespaceOf(req);
      const ref = registryRefOf(req.Raw, namespace);
      const registry = ref ? await look.findRegistry(ref.namespace, ref.name) : undefined;
      const labels =
        ref && registry && needsNamespaceLabels(registry.spec?.auth, ref.namespace, namespace)
          ? await look.namespaceLabels(namespace)
          : undefined;
      return validateCredential(req.Raw, { kind, namespace, registry, namespaceLabels: labels });
    };

  const mutate = {
    // Template values, defaults and the one-replica rule of filesystem storage, stored on the object.
    Registry: req =>
      leavingAsSent(async () => {
        if (notAnObject(req.Raw.spec)) return;
        const raw = req.Raw as RegistryLike;
        const found = await template(raw.template);
        const old = req.OldResource as RegistryLike | undefined;
        applyResolution(raw, resolveRegistry({ incoming: raw, old, template: found }));
      }),
    // A new Cache serves TLS; an update keeps what the stored one has.
    Cache: req =>
      leavingAsSent(() => {
        if (notAnObject(req.Raw.spec)) return;
        const old =
          req.Request.operation === "UPDATE"
            ? ((req.OldResource as { spec?: unknown } | null) ?? {})
            : undefined;
        req.Raw.spec = resolveCache(req.Raw.spec, fallbackTls(old));
      }),
  } satisfies Partial<Record<AdmittedKind, Mutation>>;

  const validate: Record<AdmittedKind, Validation> = {
    Registry: async req => {
      const raw = req.Raw as RegistryLike;
      return validateRegistry(req.Raw, {
        old: req.OldResource as RegistryLike | undefined,
        templateFound: named(raw.template)
          ? (await template(raw.template)) !== undefined
          : undefined,
        namespace: await nodeTrustNamespace(req.Raw),
      });
    },
    RegistryTemplate: async req =>
      validateRegistryTemplate(
        req.Raw,
        (req.OldResource as { spec?: unknown } | null) ?? undefined,
      ),
    Cache: async req =>
      validateCache(
        req.Raw,
        req.Request.operation === "UPDATE",
        (req.OldResource as CacheLike | null) ?? undefined,
        await nodeTrustNamespace(req.Raw),
      ),
    ImagePullSecret: credential("ImagePullSecret"),
    ImagePushSecret: credential("ImagePushSecret"),
    // The pruner's Registry must exist in its namespace (when it is named anew).
    ImagePruner: async req => {
      const namespace = namespaceOf(req);
      const registry = prunerRegistry(req.Raw);
      return validatePruner(req.Raw, {
        namespace,
        registryExists: registry ? !!(await look.findRegistry(namespace, registry)) : false,
        previousRegistry: req.OldResource ? prunerRegistry(req.OldResource) : undefined,
      });
    },
  };
  return { mutate, validate };
}
