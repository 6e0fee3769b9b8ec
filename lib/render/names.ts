/** Names of a Registry's children, all derived from its name (admission keeps it ≤ 52 characters). */
export function childNames(registry: string) {
  return {
    workload: registry,
    service: registry,
    config: `${registry}-config`,
    httpSecret: `${registry}-http-secret`,
    data: `${registry}-data`,
    pdb: registry,
    /** The managed Redis: StatefulSet, client Service and generated password Secret. */
    redis: `${registry}-redis`,
    redisHeadless: `${registry}-redis-headless`,
    /** The operator's switch over the registry's health (see health-gate.ts). */
    healthGate: `${registry}-health`,
    bucketClaim: registry,
    bucketAccess: registry,
    /** Written by the COSI driver: one JSON document (BucketInfo). */
    cosiCredentials: `${registry}-cosi`,
    /** Derived by the operator from the COSI credentials: one key per S3 setting. */
    bucketCredentials: `${registry}-bucket`,
  };
}
export type ChildNames = ReturnType<typeof childNames>;

/**
 * Objects whose changes reach running pods without a restart, or are hashed already: the config
 * Secret (its content is the config checksum) and the health gate (refreshed in place by design).
 */
export const liveInputs = (names: ChildNames): { kind: "Secret" | "ConfigMap"; name: string }[] => [
  { kind: "Secret", name: names.config },
  { kind: "ConfigMap", name: names.healthGate },
];

/**
 * Children that outlive a change of spec and the Removed state: Secrets holding generated or
 * derived values (the shared http.secret, the managed Redis password, the bucket credentials).
 */
export const retainedChildren = (names: ChildNames): string[] =>
  [names.httpSecret, names.redis, names.bucketCredentials].map(n => `Secret/${n}`);
