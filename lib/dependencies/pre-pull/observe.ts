import type { Observe } from "../dependency";
import { DISCOVERY_RECHECK_MS, servedOrUnknown } from "../discovery";

/** The condition type of `spec.prePull`. */
export const PRE_PULL_READY = "PrePullReady";

/** The kubernetes-image-puller-operator's API (che-incubator), which a cluster may not have. */
export const IMAGE_PULLER_API = "che.eclipse.org/v1alpha1";
export const IMAGE_PULLER_KIND = "KubernetesImagePuller";

/**
 * `PrePullReady` (not blocking Ready: the registry serves either way): whether the cluster serves
 * the KubernetesImagePuller kind. Its render half creates the object only then (`found`), so a
 * cluster without the image-puller operator gets the condition, not a failing apply.
 */
export const observePrePull: Observe = async ({ spec, names }, read) => {
  const prePull = spec.prePull;
  if (!prePull) return undefined;
  const asked = await servedOrUnknown(read, IMAGE_PULLER_API, PRE_PULL_READY);
  if ("unknown" in asked) return asked.unknown;
  if (!asked.served.has(IMAGE_PULLER_KIND))
    return {
      type: PRE_PULL_READY,
      ready: false,
      reason: "ImagePullerNotInstalled",
      message: `This cluster does not serve ${IMAGE_PULLER_API} ${IMAGE_PULLER_KIND} (the kubernetes-image-puller-operator is not installed), so the ${prePull.images.length} image(s) of spec.prePull are not pre-pulled; the object is created within a minute and a half of its installation.`,
      blocking: false,
      recheckMs: DISCOVERY_RECHECK_MS,
    };
  return {
    type: PRE_PULL_READY,
    ready: true,
    reason: "PullerRequested",
    message: `${IMAGE_PULLER_KIND} ${names.prePull} asks the image-puller operator to keep ${prePull.images.length} image(s) on ${prePull.nodeSelector ? "the selected nodes" : "every node"}.`,
    blocking: false,
    found: { [IMAGE_PULLER_KIND]: "served" },
  };
};
