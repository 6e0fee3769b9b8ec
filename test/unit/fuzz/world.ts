// The cluster a request meets: the operation, the stored object on UPDATE (as admission stored it,
// from before TLS was the default, or hand-edited garbage), the templates, the namespace's labels,
// and the Registry a credential or pruner names.
import fc from "fast-check";
import {
  applyResolution,
  resolveRegistry,
  withRegistryDefaults,
} from "../../../lib/admission/resolve";
import { resolveCache } from "../../../lib/admission/validate-cache";
import { ANNOTATIONS } from "../../../lib/api/annotations";
import { RegistrySpec } from "../../../lib/api/registry-spec";
import type { TemplateLike } from "../../../lib/api/template-like";
import type { World } from "./admission";
import { mutated } from "./mutate";
import { fuzzObject, NAMESPACES, validObject, type FuzzKind, type Obj } from "./objects";
import { registrySpec } from "./specs";
import { overTheWire } from "./values";

const TEMPLATE = "tpl";

const templates = fc
  .option(registrySpec, { nil: undefined })
  .map(
    (spec): Record<string, TemplateLike> =>
      spec === undefined ? {} : { [TEMPLATE]: { name: TEMPLATE, resourceVersion: "42", spec } },
  );

const namespaceLabels = fc.constantFrom<Record<string, string>>(
  {},
  { "pod-security.kubernetes.io/enforce": "privileged" },
  { "pod-security.kubernetes.io/enforce": "restricted", team: "a" },
  { "registry-access": "true", "pulls-from-my-registry": "true" },
);

const status = fc.record(
  {
    image: fc.constantFrom("registry:2.8.3", "docker.io/library/registry:3.0.0"),
    lastHealthyImage: fc.constantFrom("registry:2.8.3", "registry:3.1.0"),
    rollback: fc.constantFrom({ from: "registry:3.1.0", to: "registry:2.8.3" }),
  },
  { requiredKeys: [] },
);

/** A Registry as admission stored it; or one from before TLS by default; or a hand-edited one. */
function storedRegistry(kind: "Registry" | "Cache") {
  const resolved = fc
    .tuple(validObject(kind, [TEMPLATE]), templates, status)
    .map(([generated, tpls, st]) => {
      const obj = overTheWire(generated);
      if (kind === "Registry")
        applyResolution(obj, resolveRegistry({ incoming: obj, template: tpls[TEMPLATE] }));
      else obj.spec = resolveCache(obj.spec, { selfSigned: {} });
      return { ...obj, status: st } as Obj;
    });
  const legacy = resolved.map(obj => {
    const spec = { ...(obj.spec as Obj) };
    delete spec.tls;
    const annotations = { ...(obj.metadata?.annotations as Record<string, string>) };
    delete annotations[ANNOTATIONS.userSpec];
    return { ...obj, metadata: { ...obj.metadata, annotations }, spec };
  });
  return fc.oneof(
    { arbitrary: resolved, weight: 6 },
    { arbitrary: legacy, weight: 2 },
    { arbitrary: mutated(resolved), weight: 1 },
  );
}

/** The Registry a credential or a pruner names, as reconcile resolves it. */
const namedRegistry = fc.option(registrySpec, { nil: undefined, freq: 4 }).map(spec => {
  if (!spec) return undefined;
  const parsed = RegistrySpec.safeParse(withRegistryDefaults(spec));
  return parsed.success ? { spec: parsed.data } : { spec: {} };
});

/** The old object of an UPDATE of `kind`. */
function stored(kind: FuzzKind): fc.Arbitrary<Obj> {
  if (kind === "Registry" || kind === "Cache") return storedRegistry(kind);
  return fc.oneof(
    { arbitrary: validObject(kind), weight: 5 },
    { arbitrary: mutated(validObject(kind)), weight: 1 },
  );
}

export interface Case {
  world: World;
  object: Obj;
}

/**
 * A request of `kind` and the world it meets. An UPDATE's new object is a fresh one (an apply)
 * or the stored one edited.
 */
export function fuzzCase(kind: FuzzKind): fc.Arbitrary<Case> {
  // Only what the kind's handlers look up is generated; the rest stays empty.
  const uses = (k: FuzzKind[]) => k.includes(kind);
  const base = fc.record({
    namespace: fc.constantFrom(...NAMESPACES),
    templates: uses(["Registry"]) ? templates : fc.constant({}),
    namespaceLabels: uses(["Registry", "Cache", "ImagePullSecret", "ImagePushSecret"])
      ? namespaceLabels
      : fc.constant({}),
    registry: uses(["ImagePullSecret", "ImagePushSecret", "ImagePruner"])
      ? namedRegistry
      : fc.constant(undefined),
  });
  const create = fc
    .tuple(base, fuzzObject(kind, [TEMPLATE]))
    .map(([w, object]) => ({ world: { ...w, operation: "CREATE" as const }, object }));
  const update = fc
    .tuple(base, stored(kind))
    .chain(([w, old]) =>
      fc
        .oneof(fuzzObject(kind, [TEMPLATE]), mutated(fc.constant(old)), fc.constant(old))
        .map(object => ({ world: { ...w, operation: "UPDATE" as const, old }, object })),
    );
  return fc.oneof({ arbitrary: create, weight: 3 }, { arbitrary: update, weight: 2 });
}
