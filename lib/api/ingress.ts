import { z } from "zod";
import { isDns1123Subdomain, ObjectName } from "./fields/kube";
import { matches, schemaRules } from "./fields/schema-rule";

const d = (description: string) => ({ description });

// A host name as an Ingress rule takes it: a lowercase DNS name, each label at most 63 characters
// (no IP address, no wildcard: clients pull from one name).
const HOST = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?(\.[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?)*$/;
const HOST_MESSAGE =
  "must be a lowercase DNS name such as registry.example.com (labels of a-z, 0-9 and '-', at most 63 characters each; no IP address, no wildcard)";
const isHost = (v: string) =>
  isDns1123Subdomain(v) && v.split(".").every(l => l.length <= 63) && !/^[\d.]+$/.test(v);

const PATH = /^\/[^\s]*$/;

export const Ingress = z
  .strictObject({
    host: z
      .string()
      .min(1)
      .refine(isHost, { message: HOST_MESSAGE })
      .meta({
        ...d("The host name clients pull and push by; the certificate covers it."),
        maxLength: 253,
        ...schemaRules(matches(HOST, HOST_MESSAGE), {
          rule: "!self.matches(r'^[0-9.]+$')",
          message: HOST_MESSAGE,
        }),
      }),
    className: ObjectName.optional().meta(d("The IngressClass (default: the cluster's default).")),
    annotations: z
      .record(z.string(), z.string())
      .optional()
      .meta(d("Annotations of the Ingress (controller settings).")),
    path: z
      .string()
      .max(256)
      .regex(PATH, { message: "must start with / and hold no spaces" })
      .optional()
      .meta({
        ...d("Path prefix routed to the registry (default /: the registry API lives at /v2/)."),
        ...schemaRules(matches(PATH, "must start with / and hold no spaces")),
      }),
  })
  .meta(
    d(
      "An Ingress in front of the registry, with TLS from spec.tls (the same certificate, which then covers the host).",
    ),
  );
export type Ingress = z.infer<typeof Ingress>;
