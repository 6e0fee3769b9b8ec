import { z } from "zod";

export const UID_MODES = ["Auto", "Fixed", "Assigned"] as const;
/** How the pods' user and group IDs are chosen. */
export type UidMode = (typeof UID_MODES)[number];

export const PodSecurity = z
  .strictObject({
    uid: z.enum(UID_MODES).optional().meta({
      description:
        "Fixed: the pods run as the images' non-root users (registry 1000, Redis 999), set in the pod, so images that default to root run non-root. Assigned: runAsNonRoot only; the platform assigns the IDs (OpenShift's restricted SCC refuses fixed ones). Auto (default): Assigned where the cluster serves OpenShift's security.openshift.io API, Fixed elsewhere.",
    }),
  })
  .meta({
    description:
      "Pod security. Every pod is restricted (non-root, no privilege escalation, no capabilities, RuntimeDefault seccomp, read-only root); this chooses how user IDs are set.",
  });
export type PodSecurity = z.infer<typeof PodSecurity>;
