import type { kind } from "pepr";
import type { PodSecurity } from "../api/fields/pod-security";

type PodSecurityContext = NonNullable<NonNullable<kind.Pod["spec"]>["securityContext"]>;
type ContainerSecurityContext = NonNullable<
  NonNullable<kind.Pod["spec"]>["containers"][number]["securityContext"]
>;

/**
 * Restricted Pod Security for every pod we run: non-root, no privilege escalation, no
 * capabilities, RuntimeDefault seccomp, read-only root. `id` is the image's non-root user and
 * group, set only in Fixed mode (Auto is resolved before render; unresolved it means Fixed).
 */
export function podSecurityContext(
  podSecurity: PodSecurity | undefined,
  id: number,
): PodSecurityContext {
  const fixed = podSecurity?.uid !== "Assigned";
  return {
    runAsNonRoot: true,
    ...(fixed ? { runAsUser: id, runAsGroup: id, fsGroup: id } : {}),
    seccompProfile: { type: "RuntimeDefault" },
  };
}

export const CONTAINER_SECURITY_CONTEXT: ContainerSecurityContext = {
  allowPrivilegeEscalation: false,
  readOnlyRootFilesystem: true,
  runAsNonRoot: true,
  capabilities: { drop: ["ALL"] },
};
