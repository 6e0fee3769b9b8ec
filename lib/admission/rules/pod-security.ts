import type { PodSecurity } from "../../api/fields/pod-security";

/** Assigned works only where something assigns a non-root UID: say so. */
export function podSecurityWarnings(spec: { podSecurity?: PodSecurity }): string[] {
  if (spec.podSecurity?.uid !== "Assigned") return [];
  return [
    "spec.podSecurity.uid: Assigned sets no user ID, so the pods start only where the platform assigns one (OpenShift's restricted SCC does) or the image's USER is non-root; the default registry and Valkey images run as root, so elsewhere use Auto or Fixed",
  ];
}
