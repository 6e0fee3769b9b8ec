import type { kind } from "pepr";
import type { KubeObject } from "../../kubernetes/objects";
import { DEFAULT_PRUNER, type ImagePrunerSpec } from "../../api/pruner";
import { API_VERSION } from "../../api/group";
import { durationSeconds } from "../../api/fields/duration";
import { CONTAINER_SECURITY_CONTEXT, podSecurityContext } from "../pod-security";
import { containerResources } from "../pod-fields";
import { pruneScript } from "./program";
import { ownerReference } from "../owner";
import { MANAGED_BY, PRUNER_OWNER_LABEL } from "../../api/labels";
import { DEFAULT_PRUNER_IMAGE } from "../../api/images";

const PROGRAM_DIR = "/etc/pruner";
const PROGRAM = "prune.js";
const CA_DIR = "/etc/pruner-ca";
const LOGIN_DIR = "/etc/pruner-login";
/** Enough for Node.js walking a registry's catalog; a large one may want more memory. */
const DEFAULT_PRUNER_RESOURCES = {
  requests: { cpu: "50m", memory: "64Mi" },
  limits: { memory: "256Mi" },
};
/** A non-root user for the pruning container (the image needs none of its own). */
const PRUNER_UID = 65532;

/** What a pruning run's Job and pod are (a garbage collection's are `registry-gc`). */
export const PRUNE_COMPONENT = "image-pruner";

/** The labels of an ImagePruner's children: the operator's, and the pruner's owner label. */
export const prunerLabels = (pruner: string, component: string) => ({
  "app.kubernetes.io/name": component,
  "app.kubernetes.io/instance": pruner,
  [MANAGED_BY.key]: MANAGED_BY.value,
  [PRUNER_OWNER_LABEL]: pruner,
});

export const prunerNames = (pruner: string) => ({
  cronJob: pruner,
  program: `${pruner}-program`,
  /** The ImagePushSecret (and its Secret) of the pruner's account, on a registry with logins. */
  login: `${pruner}-pruner`,
});

/** What the pruner needs to know of its Registry. */
export interface PrunerTarget {
  /** The Registry's name (in the pruner's namespace). */
  registry: string;
  /** The registry's in-cluster URL (its Service). */
  url: string;
  /** The ConfigMap holding the CA its certificate chains to (`ca.crt`), when it serves HTTPS. */
  caConfigMap?: string;
  /** The registry asks for logins: the pruner gets a push account. */
  needsLogin: boolean;
}

export interface PrunerInput {
  name: string;
  namespace: string;
  uid: string;
  spec: ImagePrunerSpec;
  target: PrunerTarget;
}

/**
 * An ImagePruner's children (pure): the program in a ConfigMap, the CronJob that runs it with
 * `concurrencyPolicy: Forbid`, and on a registry with logins an ImagePushSecret for its account
 * (the operator keeps the account and the Secret, as for any push secret).
 */
export function renderPruner({ name, namespace, uid, spec, target }: PrunerInput): KubeObject[] {
  const names = prunerNames(name);
  const labels = prunerLabels(name, PRUNE_COMPONENT);
  const owner = ownerReference(name, uid, "ImagePruner");
  const meta = (n: string) => ({ name: n, namespace, labels, ownerReferences: [owner] });
  const env = [
    { name: "REGISTRY_URL", value: target.url },
    {
      name: "KEEP_TAG_REVISIONS",
      value: String(spec.keepTagRevisions ?? DEFAULT_PRUNER.keepTagRevisions),
    },
    {
      name: "KEEP_YOUNGER_THAN_SECONDS",
      value: String(
        durationSeconds(spec.keepYoungerThan ?? DEFAULT_PRUNER.keepYoungerThan) ?? 3600,
      ),
    },
    { name: "DRY_RUN", value: String(spec.dryRun ?? false) },
    ...(target.caConfigMap ? [{ name: "NODE_EXTRA_CA_CERTS", value: `${CA_DIR}/ca.crt` }] : []),
    ...(target.needsLogin
      ? [{ name: "REGISTRY_AUTH_FILE", value: `${LOGIN_DIR}/config.json` }]
      : []),
  ];
  const volumes = [
    { name: "program", configMap: { name: names.program } },
    ...(target.caConfigMap ? [{ name: "ca", configMap: { name: target.caConfigMap } }] : []),
    ...(target.needsLogin
      ? [
          {
            name: "login",
            secret: {
              secretName: names.login,
              items: [{ key: "config.json", path: "config.json" }],
            },
          },
        ]
      : []),
  ];
  const mounts = [
    { name: "program", mountPath: PROGRAM_DIR, readOnly: true },
    ...(target.caConfigMap ? [{ name: "ca", mountPath: CA_DIR, readOnly: true }] : []),
    ...(target.needsLogin ? [{ name: "login", mountPath: LOGIN_DIR, readOnly: true }] : []),
  ];
  const cronJob = {
    apiVersion: "batch/v1",
    kind: "CronJob",
    metadata: meta(names.cronJob),
    spec: {
      schedule: spec.schedule ?? DEFAULT_PRUNER.schedule,
      suspend: spec.suspend ?? false,
      concurrencyPolicy: "Forbid",
      startingDeadlineSeconds: 3600,
      successfulJobsHistoryLimit:
        spec.successfulJobsHistoryLimit ?? DEFAULT_PRUNER.successfulJobsHistoryLimit,
      failedJobsHistoryLimit: spec.failedJobsHistoryLimit ?? DEFAULT_PRUNER.failedJobsHistoryLimit,
      jobTemplate: {
        metadata: { labels },
        spec: {
          backoffLimit: 1,
          activeDeadlineSeconds: 6 * 3600,
          template: {
            metadata: { labels },
            spec: {
              restartPolicy: "Never",
              automountServiceAccountToken: false,
              enableServiceLinks: false,
              securityContext: podSecurityContext(undefined, PRUNER_UID),
              volumes,
              containers: [
                {
                  name: "prune",
                  image: spec.image ?? DEFAULT_PRUNER_IMAGE,
                  command: ["node", `${PROGRAM_DIR}/${PROGRAM}`],
                  env,
                  volumeMounts: mounts,
                  resources: containerResources(spec.resources ?? DEFAULT_PRUNER_RESOURCES),
                  securityContext: CONTAINER_SECURITY_CONTEXT,
                  terminationMessagePolicy: "FallbackToLogsOnError",
                },
              ],
            },
          },
        },
      },
    },
  } satisfies kind.CronJob;
  return [
    {
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: meta(names.program),
      data: { [PROGRAM]: pruneScript() },
    } satisfies kind.ConfigMap,
    ...(target.needsLogin
      ? [
          {
            apiVersion: API_VERSION,
            kind: "ImagePushSecret",
            metadata: meta(names.login),
            spec: { registryRef: { name: target.registry } },
          },
        ]
      : []),
    cronJob,
  ];
}
