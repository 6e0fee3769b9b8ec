// Whole objects of each kind for the fuzz suites: valid ones, mutated ones, and objects with a
// random JSON spec and random extra fields, in proportions that let a good share through.
import fc from "fast-check";
import { mutated } from "./mutate";
import { cacheSpec, credentialSpec, dnsLabel, objectName, prunerSpec, registrySpec } from "./specs";
import { anyValue, oddString, unknownKey } from "./values";

export const API_VERSION = "registry-operator.dev/v1alpha1";
export const FUZZ_KINDS = [
  "Registry",
  "RegistryTemplate",
  "Cache",
  "ImagePullSecret",
  "ImagePushSecret",
  "ImagePruner",
] as const;
export type FuzzKind = (typeof FUZZ_KINDS)[number];

export type Obj = Record<string, unknown> & { metadata?: Record<string, unknown> };

/** The namespaces objects are created in (and credentials point at). */
export const NAMESPACES = ["ns", "other"];

/**
 * Metadata as the API server decodes it: typed (strings, maps of strings), however odd the
 * values; a name that is no DNS name is refused by the API server itself before the validating
 * webhook, but the mutating one sees it.
 */
const metadata = (name: fc.Arbitrary<string>) =>
  fc
    .record({
      name: fc.oneof({ arbitrary: name, weight: 20 }, { arbitrary: oddString, weight: 1 }),
      labels: fc.option(fc.dictionary(fc.string(), fc.string(), { maxKeys: 3 }), {
        nil: undefined,
      }),
      annotations: fc.option(fc.dictionary(fc.string(), fc.string(), { maxKeys: 3 }), {
        nil: undefined,
      }),
    })
    .map(m => Object.fromEntries(Object.entries(m).filter(([, v]) => v !== undefined)));

const SPEC: Record<FuzzKind, fc.Arbitrary<Record<string, unknown>>> = {
  Registry: registrySpec,
  RegistryTemplate: registrySpec,
  Cache: cacheSpec,
  ImagePullSecret: credentialSpec(true),
  ImagePushSecret: credentialSpec(false),
  ImagePruner: prunerSpec,
};

/** A valid object of `kind` (the template field of a Registry too, sometimes). */
export function validObject(kind: FuzzKind, templates: string[] = ["tpl"]): fc.Arbitrary<Obj> {
  const name = kind === "ImagePullSecret" || kind === "ImagePushSecret" ? objectName : dnsLabel;
  return fc
    .record({
      metadata: metadata(name),
      spec: SPEC[kind],
      template: fc.oneof(
        { arbitrary: fc.constant(undefined), weight: 12 },
        { arbitrary: fc.constantFrom(...templates), weight: 5 },
        { arbitrary: fc.constant("missing"), weight: 1 },
      ),
    })
    .map(({ metadata, spec, template }) => ({
      apiVersion: API_VERSION,
      kind,
      metadata,
      ...(kind === "Registry" && template ? { template } : {}),
      spec,
    }));
}

/** An object with a random JSON spec and random fields beside it. */
export function randomObject(kind: FuzzKind): fc.Arbitrary<Obj> {
  return fc
    .record({
      metadata: metadata(dnsLabel),
      spec: anyValue,
      extra: fc.dictionary(unknownKey, anyValue, { maxKeys: 3 }),
      typeMeta: fc.constantFrom("keep", "drop", "wrong"),
    })
    .map(({ metadata, spec, extra, typeMeta }) => {
      const obj: Obj = { ...extra, metadata, spec };
      if (typeMeta === "keep") Object.assign(obj, { apiVersion: API_VERSION, kind });
      if (typeMeta === "wrong") Object.assign(obj, { apiVersion: 1, kind: ["x"] });
      return obj;
    });
}

/** The fuzz mix of one kind: about 35% valid, 50% mutated and 15% random objects. */
export function fuzzObject(kind: FuzzKind, templates?: string[]): fc.Arbitrary<Obj> {
  const valid = validObject(kind, templates);
  return fc.oneof(
    { arbitrary: valid, weight: 7 },
    { arbitrary: mutated(valid), weight: 10 },
    { arbitrary: randomObject(kind), weight: 3 },
  );
}
