import type { PodSecurity } from "../api/fields/pod-security";
import { servesApiGroup } from "../kube/api-groups";

/** OpenShift's SecurityContextConstraints: where it is served, the platform assigns pod UIDs. */
export const OPENSHIFT_SECURITY_GROUP = "security.openshift.io";

/** The spec with `podSecurity.uid: Auto` decided for this cluster: Assigned on OpenShift, else Fixed. */
export async function withClusterUidMode<T extends { podSecurity?: PodSecurity }>(
  spec: T,
): Promise<T> {
  if ((spec.podSecurity?.uid ?? "Auto") !== "Auto") return spec;
  const assigned = await servesApiGroup(OPENSHIFT_SECURITY_GROUP);
  return { ...spec, podSecurity: { ...spec.podSecurity, uid: assigned ? "Assigned" : "Fixed" } };
}
