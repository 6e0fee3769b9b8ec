import { DEFAULT_PORT } from "../api/defaults";
import type { RenderContext } from "./context";

/**
 * Names of the children of a Registry or a Cache, all derived from the owner's name (admission
 * keeps it ≤ 52 characters).
 */
export function childNames(owner: string) {
  return {
    workload: owner,
    service: owner,
    config: `${owner}-config`,
    httpSecret: `${owner}-http-secret`,
    data: `${owner}-data`,
    pdb: owner,
    autoscaler: owner,
    /** The managed Redis: StatefulSet, client Service and generated password Secret. */
    redis: `${owner}-redis`,
    redisHeadless: `${owner}-redis-headless`,
    /** The operator's switch over the registry's health (see health-gate.ts). */
    healthGate: `${owner}-health`,
    bucketClaim: owner,
    bucketAccess: owner,
    /** Written by the COSI driver: one JSON document (BucketInfo). */
    cosiCredentials: `${owner}-cosi`,
    /** Derived by the operator from the COSI credentials: one key per S3 setting. */
    bucketCredentials: `${owner}-bucket`,
    /** The server certificate the registry serves (kubernetes.io/tls), unless the user brings one. */
    tls: `${owner}-tls`,
    /** The operator's own CA for it: key, certificate and the previous certificate. */
    tlsCa: `${owner}-tls-ca`,
    /** The CA bundle clients trust (ConfigMap, key ca.crt). */
    caBundle: `${owner}-ca`,
    /** The htpasswd file the registry authenticates with, kept by the operator. */
    htpasswd: `${owner}-htpasswd`,
    /** The node agent (nodeTrust): DaemonSet and the ConfigMap with its program and files. */
    nodeTrust: `${owner}-node-trust`,
    /** The Service of the metrics port (monitoring), and what scrapes and alerts on it. */
    metrics: `${owner}-metrics`,
    serviceMonitor: owner,
    prometheusRule: owner,
    /** Who may reach the registry pods' ports, and the managed Redis'. */
    networkPolicy: owner,
    redisNetworkPolicy: `${owner}-redis`,
    /** The registry browser (spec.ui): Deployment, Service, Ingress and NetworkPolicy. */
    ui: `${owner}-ui`,
    /** spec.prePull: the KubernetesImagePuller, and its operator's Deployment, ConfigMap, DaemonSet. */
    prePull: `${owner}-pre-pull`,
    /** The Grafana dashboard (ConfigMap). */
    dashboard: `${owner}-dashboard`,
  };
}
export type ChildNames = ReturnType<typeof childNames>;

/**
 * Objects whose changes reach running pods without a restart, or are hashed already: the config
 * Secret (its content is the config checksum), the health gate (refreshed in place by design) and
 * the htpasswd file (the registry re-reads it when it changes).
 */
export const liveInputs = (names: ChildNames): { kind: "Secret" | "ConfigMap"; name: string }[] => [
  { kind: "Secret", name: names.config },
  { kind: "ConfigMap", name: names.healthGate },
  { kind: "Secret", name: names.htpasswd },
];

/**
 * Children that outlive a change of spec and the Removed state: Secrets holding generated or
 * derived values (the shared http.secret, the managed Redis password, the bucket credentials, the
 * CA and the certificate it signed: clients that trust the CA keep trusting it).
 */
export const retainedChildren = (names: ChildNames): string[] =>
  [names.httpSecret, names.redis, names.bucketCredentials, names.tls, names.tlsCa].map(
    n => `Secret/${n}`,
  );

/** The Service's host as image references and in-cluster clients name it: `<name>.<namespace>.svc:<port>`. */
export const serviceHost = ({
  spec,
  names,
  namespace,
}: Pick<RenderContext, "spec" | "namespace"> & { names: { service: string } }): string =>
  `${names.service}.${namespace}.svc:${spec.service?.port ?? DEFAULT_PORT}`;
