import { z } from "zod";
import { matches, schemaRules } from "./schema-rule";

// Kubernetes naming rules (apimachinery validation), reused wherever a field names an object.
export const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

export const isDns1123Label = (v: string): boolean => v.length <= 63 && DNS1123_LABEL.test(v);
export const isDns1123Subdomain = (v: string): boolean =>
  v.length <= 253 && DNS1123_SUBDOMAIN.test(v);

const OBJECT_NAME_MESSAGE =
  "must be a lowercase RFC 1123 subdomain (a-z, 0-9, '-', '.'), at most 253 characters";
/** The name of another object: a DNS-1123 subdomain, as Kubernetes requires for most kinds. */
export const ObjectName = z
  .string()
  .refine(isDns1123Subdomain, { message: OBJECT_NAME_MESSAGE })
  .meta({ maxLength: 253, ...schemaRules(matches(DNS1123_SUBDOMAIN, OBJECT_NAME_MESSAGE)) });

export const Port = z.number().int().min(1).max(65535);

/** A reference to a key of a Secret in the same namespace. */
export const SecretKeyRef = z.strictObject({
  name: ObjectName.meta({ description: "Name of the Secret, in the same namespace." }),
  key: z.string().min(1).optional().meta({ description: "Key in the Secret." }),
});

export const ConfigMapKeyRef = z.strictObject({
  name: ObjectName.meta({ description: "Name of the ConfigMap, in the same namespace." }),
  key: z.string().min(1).optional().meta({ description: "Key in the ConfigMap." }),
});

/** Free-form Kubernetes structures we pass through unchanged (affinity, topology constraints). */
export const Opaque = z
  .record(z.string(), z.unknown())
  .meta({ "x-kubernetes-preserve-unknown-fields": true });

/** A pod count, bounded so a typo cannot start thousands of pods. */
export const Replicas = z.number().int().min(0).max(100);

// A label key (an optional DNS-subdomain prefix and a name) and value, as the API server checks them.
const LABEL_NAME = "[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?";
const LABEL_KEY = new RegExp(`^([a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?/)?${LABEL_NAME}$`);
const LABEL_VALUE = new RegExp(`^(${LABEL_NAME})?$`);
const LABELS_MESSAGE =
  "keys must be label names (an optional DNS prefix and /, then up to 63 letters, digits, -, _ or .) and values up to 63 such characters";

const MAX_LABELS = 16;
/** Labels the operator puts on objects it creates: checked here, not left to fail the apply. */
export const Labels = z
  .record(z.string().max(317), z.string().max(63))
  .refine(l => Object.keys(l).length <= MAX_LABELS, { message: `at most ${MAX_LABELS} labels` })
  .refine(l => Object.entries(l).every(([k, v]) => LABEL_KEY.test(k) && LABEL_VALUE.test(v)), {
    message: LABELS_MESSAGE,
  })
  .meta({
    maxProperties: MAX_LABELS,
    ...schemaRules({
      rule: `self.all(k, k.matches(r'${LABEL_KEY.source}') && self[k].matches(r'${LABEL_VALUE.source}'))`,
      message: LABELS_MESSAGE,
    }),
  });
