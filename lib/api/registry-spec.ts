import { z } from "zod";
import { HostPort } from "./fields/host-port";
import { HttpUrl } from "./fields/http-url";
import { Image } from "./fields/image";
import { PodSecurity } from "./fields/pod-security";
import { ConfigMapKeyRef, ObjectName, Opaque, Port, Replicas, SecretKeyRef } from "./fields/kube";
import { Quantity } from "./fields/quantity";
import { Resources } from "./fields/resources";
import { schemaRules, showingValue } from "./fields/schema-rule";
import { atMostOneAlternative, onlyOneOf } from "./alternatives";
import { pendingDescription } from "./not-yet";
import { LabelSelector } from "./fields/label-selector";
import { ServiceAccountNames } from "./fields/service-accounts";
import { Tls } from "./tls";
import { Ingress } from "./ingress";
import { NodeTrust } from "./node-trust";
import { Toleration } from "./fields/toleration";
import { Autoscaling, ManagementState, Upgrade } from "./fields/rollout";
import { Monitoring } from "./fields/monitoring";
import { NetworkPolicy } from "./fields/network-policy";
import { Ui } from "./fields/ui";
import { PrePull } from "./fields/pre-pull";

const d = (description: string) => ({ description });

const IP_MESSAGE = "must be an IPv4 or IPv6 address";
/** Why a Service's cluster IP cannot change (said by the webhook and the schema). */
export const CLUSTER_IP_FIXED =
  "Kubernetes fixes a Service's cluster IP when it is created; create a new one with this IP instead";
const CLUSTER_IP_CHANGE = `"cannot change from " + oldSelf + " to " + self + ": ${CLUSTER_IP_FIXED}"`;
export const REPLICATED_REDIS_NOT_YET =
  "a replicated managed Redis (with Sentinel) is not available yet; use 1, or redis.external pointing at an HA Redis";

export const UI_HOST_MESSAGE =
  "must differ from spec.ingress.host: the registry's Ingress routes / on that host";

export const STORAGE_KINDS = ["emptyDir", "filesystem", "s3", "cosi"] as const;
export type StorageKind = (typeof STORAGE_KINDS)[number];

const EmptyDirStorage = z
  .strictObject({
    sizeLimit: Quantity.optional().meta(
      d("Upper bound of the volume; the pod is evicted above it."),
    ),
  })
  .meta(
    d("Ephemeral storage: images are lost when the pod goes. The default when no storage is set."),
  );

const FilesystemStorage = z
  .strictObject({
    size: Quantity.optional().meta(
      d("Requested size of the PersistentVolumeClaim (default 10Gi)."),
    ),
    storageClassName: z
      .string()
      .optional()
      .meta(d("StorageClass of the claim; the cluster default when unset.")),
    accessModes: z
      .array(z.enum(["ReadWriteOnce", "ReadWriteOncePod", "ReadWriteMany"]))
      .min(1)
      .optional()
      .meta(d("Access modes of the claim (default ReadWriteOnce).")),
  })
  .meta(d("A PersistentVolumeClaim. A single writer: replicas are forced to 1."));

const S3Storage = z
  .strictObject({
    bucket: z.string().min(3).max(63).meta(d("Bucket name.")),
    region: z.string().min(1).meta(d("Bucket region, e.g. us-east-1.")),
    endpoint: HttpUrl.optional().meta(
      d("Endpoint of an S3-compatible service (MinIO, Ceph, …); AWS when unset."),
    ),
    forcePathStyle: z
      .boolean()
      .optional()
      .meta(d("Use path-style bucket addressing (most S3-compatible services).")),
    rootDirectory: z
      .string()
      .optional()
      .meta(d("Prefix inside the bucket under which the registry stores data.")),
    encrypt: z.boolean().optional().meta(d("Ask S3 for server-side encryption.")),
    secretRef: z
      .strictObject({
        name: ObjectName.meta(d("Secret in the Registry's namespace holding the access keys.")),
        accessKeyKey: z
          .string()
          .optional()
          .meta(d("Key of the access key id (default AWS_ACCESS_KEY_ID).")),
        secretKeyKey: z
          .string()
          .optional()
          .meta(d("Key of the secret key (default AWS_SECRET_ACCESS_KEY).")),
      })
      .meta(d("Credentials; read by the pod from the Secret, never copied into a ConfigMap.")),
  })
  .meta(d("An S3 (or S3-compatible) bucket."));

export const Storage = z
  .strictObject({
    bucketClassName: ObjectName.optional().meta(
      d("COSI BucketClass: the operator claims a bucket of this class."),
    ),
    bucketAccessClass: ObjectName.optional().meta(
      d("COSI BucketAccessClass used to obtain the bucket's credentials."),
    ),
    s3: S3Storage.optional(),
    filesystem: FilesystemStorage.optional(),
    emptyDir: EmptyDirStorage.optional(),
    deletionPolicy: z
      .enum(["Retain", "Delete"])
      .optional()
      .meta(
        d("What happens to data (claim, bucket) when the Registry is deleted. Default Retain."),
      ),
  })
  .meta({
    ...d(
      "Where images are stored: exactly one of COSI (bucketClassName + bucketAccessClass), s3, filesystem, emptyDir.",
    ),
    ...schemaRules(
      atMostOneAlternative("storage", "set exactly one storage kind"),
      {
        rule: "!has(self.bucketAccessClass) || has(self.bucketClassName)",
        message: "is required with bucketAccessClass",
        fieldPath: ".bucketClassName",
      },
      {
        rule: "!has(self.bucketClassName) || has(self.bucketAccessClass)",
        message: "is required with bucketClassName",
        fieldPath: ".bucketAccessClass",
      },
    ),
  });
export type Storage = z.infer<typeof Storage>;

/** Which storage kinds a storage block names (a valid one names exactly one). */
export function storageKinds(storage: Storage | undefined): StorageKind[] {
  if (!storage) return [];
  const kinds: StorageKind[] = [];
  if (storage.emptyDir) kinds.push("emptyDir");
  if (storage.filesystem) kinds.push("filesystem");
  if (storage.s3) kinds.push("s3");
  if (storage.bucketClassName !== undefined || storage.bucketAccessClass !== undefined)
    kinds.push("cosi");
  return kinds;
}

export const Service = z
  .strictObject({
    type: z
      .enum(["ClusterIP", "NodePort", "LoadBalancer"])
      .optional()
      .meta(d("Service type (default ClusterIP).")),
    port: Port.optional().meta(d("Port the Service exposes (default 5000).")),
    nodePort: z
      .number()
      .int()
      .min(30000)
      .max(32767)
      .optional()
      .meta(d("Fixed node port, for type NodePort or LoadBalancer.")),
    clusterIP: z
      .union([z.ipv4(), z.ipv6().refine(v => !/[.%]/.test(v))], { error: IP_MESSAGE })
      .meta({
        maxLength: 45,
        // isIP refuses IPv4-mapped IPv6 and zones, as Kubernetes does for a Service's IP.
        ...schemaRules(
          { rule: "isIP(self)", message: IP_MESSAGE },
          {
            rule: "self == oldSelf",
            messageExpression: CLUSTER_IP_CHANGE,
          },
        ),
      })
      .optional()
      .meta(d("Fixed cluster IP, so node runtimes can reach the registry without cluster DNS.")),
    annotations: z
      .record(z.string(), z.string())
      .optional()
      .meta(d("Annotations for the Service (e.g. load balancer options).")),
  })
  .meta({
    ...d("How the registry is exposed inside the cluster."),
    ...schemaRules({
      rule: "!has(self.nodePort) || (has(self.type) && self.type in ['NodePort', 'LoadBalancer'])",
      messageExpression:
        "'needs type NodePort or LoadBalancer, not ' + (has(self.type) ? self.type : 'ClusterIP')",
      fieldPath: ".nodePort",
    }),
  });

const PodDisruptionBudget = z
  .strictObject({
    enabled: z
      .boolean()
      .optional()
      .meta(d("Create a PodDisruptionBudget (default: when replicas > 1).")),
    maxUnavailable: z
      .union([z.number().int().min(0), z.string().regex(/^\d+%$/)])
      .optional()
      .meta({
        description: "Pods that may be down at once (default 1).",
        "x-kubernetes-int-or-string": true,
        ...schemaRules({
          rule: "type(self) == int ? self >= 0 : self.matches(r'^[0-9]+%$')",
          ...showingValue('must be a number of pods (0 or more) or a percentage such as "25%"'),
        }),
      }),
  })
  .meta(d("Keeps enough registry pods up during voluntary disruptions (node drains)."));

export const Redis = z
  .strictObject({
    managed: z
      .strictObject({
        image: Image.optional().meta(
          d(
            "Any Redis-protocol server image taking Redis flags (default a pinned Valkey release).",
          ),
        ),
        replicas: z
          .number()
          .int()
          .min(1)
          .max(9)
          .optional()
          .meta({
            ...d("Redis pods; only 1 is available yet (use external for an HA Redis)."),
            ...schemaRules({ rule: "self <= 1", message: REPLICATED_REDIS_NOT_YET }),
          }),
        resources: Resources.optional().meta(
          d("Resources; maxmemory is set to 3/4 of the memory limit (default limit 256Mi)."),
        ),
        persistence: z
          .strictObject({ size: Quantity.optional(), storageClassName: z.string().optional() })
          .optional()
          .meta(d("Keep the cache on a claim (append-only file) instead of an emptyDir.")),
      })
      .optional()
      .meta(d("A Redis the operator runs beside the registry, with a generated password.")),
    external: z
      .strictObject({
        addrs: z
          .array(HostPort)
          .min(1)
          .max(32)
          .meta(d("host:port of the server; several for a Cluster, or Sentinels with masterName.")),
        masterName: z
          .string()
          .min(1)
          .optional()
          .meta(d("Sentinel master name (addrs are Sentinels).")),
        db: z.number().int().min(0).max(15).optional().meta(d("Database number (default 0).")),
        passwordSecretRef: SecretKeyRef.optional().meta(
          d("Secret key holding the password (key default: password); read through env."),
        ),
        tls: z
          .strictObject({
            enabled: z.boolean().optional().meta(d("Default true when tls is set.")),
            caSecretRef: SecretKeyRef.optional().meta(
              d(
                "Secret key with the CA bundle that signed the server's certificate (key default ca.crt).",
              ),
            ),
            caConfigMapRef: ConfigMapKeyRef.optional().meta(
              d(
                "ConfigMap key with that CA bundle (key default ca.crt); one of the two, or neither for the image's system roots.",
              ),
            ),
          })
          .optional()
          .meta(d("TLS to Redis, verifying the server; needs a registry 3.1 or later image.")),
      })
      .optional()
      .meta(d("A Redis you run.")),
    required: z
      .boolean()
      .optional()
      .meta(
        d(
          "Report the registry unhealthy (503, so the readiness probe takes its pods out of the Service) while the operator finds Redis unusable. Default false: it keeps serving, reading blob descriptors from storage.",
        ),
      ),
  })
  .meta({
    ...d(
      "Redis as the registry's blob-descriptor cache, shared by every replica: managed or external.",
    ),
    ...schemaRules(atMostOneAlternative("redis", onlyOneOf("redis")), {
      rule: "has(self.managed) || has(self.external)",
      message: "set one of managed, external",
    }),
  });

const AllowedNamespaces = z
  .strictObject({
    from: z
      .enum(["Same", "All", "Selector"])
      .optional()
      .meta(
        d(
          "Same (default): only the Registry's own namespace. All: every namespace. Selector: namespaces whose labels match `selector`.",
        ),
      ),
    selector: LabelSelector.optional(),
  })
  .meta({
    ...d(
      "Namespaces whose ImagePullSecrets and ImagePushSecrets may hold accounts on this registry (besides its own).",
    ),
    ...schemaRules({
      rule: "!has(self.from) || self.from != 'Selector' || has(self.selector)",
      message: "selector is required when from is Selector",
    }),
  });

const Auth = z
  .strictObject({
    htpasswd: z
      .strictObject({
        secretRef: SecretKeyRef.optional().meta(
          d(
            "A Secret of yours with more htpasswd entries, bcrypt only (`user:$2y$…`), under key `htpasswd` unless `key` says otherwise.",
          ),
        ),
      })
      .optional()
      .meta(
        d(
          "Basic auth from an htpasswd file the operator keeps: one account per ImagePullSecret and ImagePushSecret that targets this registry, plus the entries of `secretRef`. On by default while any credential targets the registry; set it to keep auth on without one.",
        ),
      ),
    token: z
      .strictObject({ realm: HttpUrl, service: z.string(), issuer: z.string() })
      .optional()
      .meta(pendingDescription("auth.token")),
    allowedNamespaces: AllowedNamespaces.optional(),
    managedPullSecrets: z
      .strictObject({
        namespaceSelector: LabelSelector.meta(
          d("Namespaces that get a pull secret ({} selects every namespace)."),
        ),
        serviceAccounts: ServiceAccountNames.optional().meta(
          d('ServiceAccounts there that get it injected (default ["*"]: all).'),
        ),
      })
      .optional()
      .meta(
        d(
          "In every namespace the selector matches, the operator keeps an ImagePullSecret named <registry>.<namespace> for this registry and injects its Secret into the ServiceAccounts; both go when the namespace stops matching or the registry goes. Those namespaces may hold accounts on the registry.",
        ),
      ),
  })
  .meta({
    ...d("Who may pull and push."),
    ...schemaRules(atMostOneAlternative("auth", onlyOneOf("auth"))),
  });

const ExtraConfig = z
  .strictObject({
    log: z
      .strictObject({
        level: z.enum(["error", "warn", "info", "debug"]).optional(),
        formatter: z.enum(["text", "json", "logstash"]).optional(),
      })
      .optional(),
    http: z
      .strictObject({ headers: z.record(z.string(), z.array(z.string())).optional() })
      .optional(),
  })
  .meta(d("A narrow escape hatch for registry config.yml keys the operator does not model."));

/** The spec of a Registry and of a RegistryTemplate: every field optional, so templates can supply any of them. */
export const RegistrySpec = z
  .strictObject({
    replicas: Replicas.optional().meta(
      d("Number of registry pods (default 1). Forced to 1 with filesystem storage."),
    ),
    image: Image.optional().meta(
      d(
        "Registry server image; the config format (v2 or v3) follows its version. Default a pinned registry:3 release.",
      ),
    ),
    resources: Resources.optional().meta(d("Resources of the registry container.")),
    nodeSelector: z
      .record(z.string(), z.string())
      .optional()
      .meta(d("Node labels the pods must match.")),
    tolerations: z.array(Toleration).optional().meta(d("Taints the pods tolerate.")),
    affinity: Opaque.optional().meta(d("Pod affinity, as in a pod spec.")),
    topologySpreadConstraints: z
      .array(Opaque)
      .optional()
      .meta(d("As in a pod spec; default: spread over nodes.")),
    podDisruptionBudget: PodDisruptionBudget.optional(),
    podSecurity: PodSecurity.optional(),
    service: Service.optional(),
    storage: Storage.optional(),
    managementState: ManagementState.optional(),
    upgrade: Upgrade.optional(),
    autoscaling: Autoscaling.optional(),
    redis: Redis.optional(),
    tls: Tls.optional(),
    ingress: Ingress.optional(),
    auth: Auth.optional(),
    monitoring: Monitoring.optional(),
    networkPolicy: NetworkPolicy.optional(),
    nodeTrust: NodeTrust.optional(),
    ui: Ui.optional(),
    prePull: PrePull.optional(),
    config: ExtraConfig.optional(),
  })
  .meta({
    ...d("Desired state of a registry."),
    ...schemaRules({
      rule: "!has(self.ui) || !has(self.ui.ingress) || !has(self.ingress) || self.ui.ingress.host != self.ingress.host",
      message: UI_HOST_MESSAGE,
      fieldPath: ".ui.ingress.host",
    }),
  });
export type RegistrySpec = z.infer<typeof RegistrySpec>;
/** `redis.external.tls`. */
export type RedisTls = NonNullable<
  NonNullable<NonNullable<RegistrySpec["redis"]>["external"]>["tls"]
>;
