import type { z } from "zod";
import { GROUP, VERSION } from "./group";
import { schemaRules, type SchemaRule } from "./fields/schema-rule";
import { toOpenApi } from "./openapi";
import { NAME_SCHEMA_RULES } from "./owner-name";
import { CacheSchema, RegistrySchema, RegistryTemplateSchema } from "./registry";
import { ImagePullSecretSchema, ImagePushSecretSchema } from "./credentials";
import { ImagePrunerSchema, MAX_PRUNER_NAME, PRUNER_NAME_MESSAGE } from "./pruner";

interface PrinterColumn {
  name: string;
  type: string;
  jsonPath: string;
  description?: string;
}

interface CrdOptions {
  kind: string;
  plural: string;
  singular: string;
  shortNames: string[];
  scope: "Namespaced" | "Cluster";
  schema: z.ZodType;
  /** Rules on the whole object (the only place CEL can read metadata.name). */
  rules?: SchemaRule[];
  /** Keep rules comparing with the stored object (oldSelf): not for a template, which runs nothing. */
  transitions?: boolean;
  status: boolean;
  columns: PrinterColumn[];
}

const AGE: PrinterColumn = { name: "Age", type: "date", jsonPath: ".metadata.creationTimestamp" };
const READY: PrinterColumn = {
  name: "Ready",
  type: "string",
  jsonPath: '.status.conditions[?(@.type=="Ready")].status',
};

/** Removes, in place, every CEL rule of `schema` that reads the stored object (`oldSelf`). */
function dropTransitionRules(schema: unknown): void {
  if (Array.isArray(schema)) return schema.forEach(dropTransitionRules);
  if (!schema || typeof schema !== "object") return;
  const node = schema as Record<string, unknown>;
  const rules = node["x-kubernetes-validations"] as SchemaRule[] | undefined;
  if (rules) {
    const kept = rules.filter(r => !r.rule.includes("oldSelf"));
    if (kept.length) node["x-kubernetes-validations"] = kept;
    else delete node["x-kubernetes-validations"];
  }
  Object.values(node).forEach(dropTransitionRules);
}

/** A CustomResourceDefinition whose schema is generated from the kind's zod schema. */
function crd(o: CrdOptions) {
  const schema = toOpenApi(o.schema) as { properties: Record<string, unknown> };
  // The API server owns metadata's schema; a CRD may only say it is an object.
  schema.properties.metadata = { type: "object" };
  if (o.rules) Object.assign(schema, schemaRules(...o.rules));
  if (o.transitions === false) dropTransitionRules(schema);
  return {
    apiVersion: "apiextensions.k8s.io/v1",
    kind: "CustomResourceDefinition",
    metadata: { name: `${o.plural}.${GROUP}` },
    spec: {
      group: GROUP,
      scope: o.scope,
      names: {
        kind: o.kind,
        listKind: `${o.kind}List`,
        plural: o.plural,
        singular: o.singular,
        shortNames: o.shortNames,
        categories: ["registry-operator"],
      },
      versions: [
        {
          name: VERSION,
          served: true,
          storage: true,
          schema: { openAPIV3Schema: schema },
          ...(o.status ? { subresources: { status: {} } } : {}),
          additionalPrinterColumns: [...o.columns, AGE],
        },
      ],
    },
  };
}

const CREDENTIAL_COLUMNS: PrinterColumn[] = [
  READY,
  {
    name: "Registry",
    type: "string",
    jsonPath: ".status.registry",
    description: "The registry host the Secret is for",
  },
  {
    // A time to come: a date column would print it as an age (<invalid>).
    name: "Rotates",
    type: "string",
    jsonPath: ".status.nextRotationTime",
    description: "When the password is next replaced",
  },
];

/** Every CRD this module serves, in the order they are installed. */
export function customResourceDefinitions() {
  return [
    crd({
      kind: "Registry",
      plural: "registries",
      singular: "registry",
      shortNames: ["reg"],
      scope: "Namespaced",
      schema: RegistrySchema,
      rules: NAME_SCHEMA_RULES,
      status: true,
      columns: [
        READY,
        {
          name: "Replicas",
          type: "integer",
          jsonPath: ".status.readyReplicas",
          description: "Ready registry pods",
        },
        { name: "URL", type: "string", jsonPath: ".status.url", description: "In-cluster address" },
      ],
    }),
    crd({
      kind: "RegistryTemplate",
      plural: "registrytemplates",
      singular: "registrytemplate",
      shortNames: ["regtpl"],
      scope: "Cluster",
      schema: RegistryTemplateSchema,
      transitions: false,
      status: false,
      columns: [{ name: "Image", type: "string", jsonPath: ".spec.image" }],
    }),
    crd({
      kind: "Cache",
      plural: "caches",
      singular: "cache",
      shortNames: ["regcache"],
      scope: "Namespaced",
      schema: CacheSchema,
      rules: NAME_SCHEMA_RULES,
      status: true,
      columns: [
        READY,
        {
          name: "Upstream",
          type: "string",
          jsonPath: ".spec.upstreamRegistryURL",
          description: "The registry it caches",
        },
        { name: "URL", type: "string", jsonPath: ".status.url", description: "In-cluster address" },
      ],
    }),
    crd({
      kind: "ImagePullSecret",
      plural: "imagepullsecrets",
      singular: "imagepullsecret",
      shortNames: ["pullsecret"],
      scope: "Namespaced",
      schema: ImagePullSecretSchema,
      status: true,
      columns: CREDENTIAL_COLUMNS,
    }),
    crd({
      kind: "ImagePushSecret",
      plural: "imagepushsecrets",
      singular: "imagepushsecret",
      shortNames: ["pushsecret"],
      scope: "Namespaced",
      schema: ImagePushSecretSchema,
      status: true,
      columns: CREDENTIAL_COLUMNS,
    }),
    crd({
      kind: "ImagePruner",
      plural: "imagepruners",
      singular: "imagepruner",
      shortNames: ["pruner"],
      scope: "Namespaced",
      schema: ImagePrunerSchema,
      rules: [
        { rule: `self.metadata.name.size() <= ${MAX_PRUNER_NAME}`, message: PRUNER_NAME_MESSAGE },
      ],
      status: true,
      columns: [
        READY,
        { name: "Registry", type: "string", jsonPath: ".spec.registryRef.name" },
        { name: "Schedule", type: "string", jsonPath: ".spec.schedule" },
        { name: "Suspend", type: "boolean", jsonPath: ".spec.suspend" },
        {
          name: "Last Run",
          type: "date",
          jsonPath: ".status.lastRun.startTime",
          description: "When the last run started",
        },
        {
          name: "Result",
          type: "string",
          jsonPath: ".status.lastRun.result",
          description: "Running, Succeeded or Failed",
        },
      ],
    }),
  ];
}
