import { z } from "zod";
import { Duration } from "./fields/duration";
import { Image } from "./fields/image";
import { ManagementState, Upgrade } from "./fields/rollout";
import { Monitoring } from "./fields/monitoring";
import { NetworkPolicy } from "./fields/network-policy";
import { PodSecurity } from "./fields/pod-security";
import { ObjectName, Replicas } from "./fields/kube";
import { Quantity } from "./fields/quantity";
import { Resources } from "./fields/resources";
import { schemaRules } from "./fields/schema-rule";
import { UpstreamUrl } from "./fields/upstream-url";
import { DEFAULT_CACHE_TTL, DEFAULT_REGISTRY_IMAGE } from "./defaults";
import { Redis, Service } from "./registry-spec";
import { Tls } from "./tls";
import {
  CacheNodeTrust,
  foreignMirrors,
  MIRROR_MESSAGE,
  mirrorRule,
  upstreamHost,
} from "./node-trust";

const d = (description: string) => ({ description });

const CredentialsSecretRef = z
  .strictObject({
    name: ObjectName.meta(d("Secret in the Cache's namespace.")),
    usernameKey: z.string().min(1).optional().meta(d("Key of the user name (default username).")),
    passwordKey: z
      .string()
      .min(1)
      .optional()
      .meta(d("Key of the password or token (default password).")),
  })
  .meta(
    d(
      "Credentials for a private upstream; read by the pod from the Secret through env, never copied into config.",
    ),
  );

const ONLY_EMPTY_DIR =
  'only "emptyDir" is supported: a cache holds copies that can always be pulled again';

const CacheVolume = z
  .strictObject({
    type: z
      .string()
      .refine(t => t === "emptyDir", { message: ONLY_EMPTY_DIR })
      .meta({
        ...d('Volume type; only "emptyDir".'),
        ...schemaRules({ rule: "self == 'emptyDir'", message: ONLY_EMPTY_DIR }),
      }),
    size: Quantity.optional().meta(
      d("Size of the cache volume (its emptyDir sizeLimit when maxCacheSize is unset)."),
    ),
    accessMode: z
      .enum(["ReadWriteOnce", "ReadWriteOncePod", "ReadWriteMany", "ReadOnlyMany"])
      .optional()
      .meta(
        d("Accepted for compatibility with the primary design; an emptyDir has no access mode."),
      ),
  })
  .meta(d("Where cached blobs are kept."));

export const CacheSpec = z
  .strictObject({
    upstreamRegistryURL: UpstreamUrl.meta(
      d(
        "The registry to cache, e.g. https://registry-1.docker.io: scheme, host and optional port only.",
      ),
    ),
    credentialsSecretRef: CredentialsSecretRef.optional(),
    volume: CacheVolume.optional(),
    cacheTTL: Duration.optional().meta({
      default: DEFAULT_CACHE_TTL,
      ...d(
        'How long a cached blob is kept after it was last pulled (default "168h"; "0" keeps it). registry v2 images always use 168h.',
      ),
    }),
    maxCacheSize: Quantity.optional().meta(
      d(
        "Upper bound of the cache's disk use: the emptyDir sizeLimit; at the limit the kubelet evicts the pod and a new one starts empty.",
      ),
    ),
    // Schema defaults, applied by the API server also when the webhook is not called. (A
    // Registry has none: they would count as its own fields and override its template's.)
    replicas: Replicas.optional().meta({
      default: 1,
      ...d("Cache pods (default 1); each keeps its own copy."),
    }),
    image: Image.optional().meta({
      default: DEFAULT_REGISTRY_IMAGE,
      ...d("Registry server image (default a pinned registry:3 release)."),
    }),
    resources: Resources.optional().meta(d("Resources of the cache container.")),
    nodeSelector: z
      .record(z.string(), z.string())
      .optional()
      .meta(d("Node labels the pods must match.")),
    podSecurity: PodSecurity.optional(),
    service: Service.optional(),
    redis: Redis.optional(),
    tls: Tls.optional(),
    monitoring: Monitoring.optional(),
    networkPolicy: NetworkPolicy.optional(),
    nodeTrust: CacheNodeTrust.optional(),
    managementState: ManagementState.optional(),
    upgrade: Upgrade.optional(),
  })
  .superRefine((spec, ctx) => {
    const foreign = foreignMirrors(spec.upstreamRegistryURL, spec.nodeTrust?.mirrorFor);
    if (foreign.length)
      ctx.addIssue({
        code: "custom",
        path: ["nodeTrust", "mirrorFor"],
        message: `${MIRROR_MESSAGE} (${foreign.join(", ")} is not ${upstreamHost(spec.upstreamRegistryURL)})`,
      });
  })
  .meta({ ...d("Desired state of a pull-through cache."), ...mirrorRule });
export type CacheSpec = z.infer<typeof CacheSpec>;
