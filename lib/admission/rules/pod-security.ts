import type { PodSecurity } from "../../api/fields/pod-security";

/** Assigned works only where something assigns a non-root UID: say so. */
export function podSecurityWarnings(spec: { podSecurity?: PodSecurity }): string[] {
  if (spec.podSecurity?.uid !== "Assigned") return [];
  return [
    "spec.podSecurity.uid: Assigned sets no user ID and no fsGroup, so the pods start only where the platform assigns them (OpenShift's restricted SCC does) or the image's USER is non-root, and a claim is writable only if its volume already is for that user; the default registry and Valkey images run as root, so elsewhere use Auto or Fixed",
  ];
}
