import type { Observe } from "../dependency";
import { DISCOVERY_RECHECK_MS, servedOrUnknown } from "../discovery";

/** The condition type of `spec.prePull`. */
export const PRE_PULL_READY = "PrePullReady";

// The puller's DaemonSet is not ours (no label, no event to us): looked at again this often.
const PULLING_RECHECK_MS = 30_000;
const PULLED_RECHECK_MS = 5 * 60_000;

/** The kubernetes-image-puller-operator's API (che-incubator), which a cluster may not have. */
export const IMAGE_PULLER_API = "che.eclipse.org/v1alpha1";
export const IMAGE_PULLER_KIND = "KubernetesImagePuller";

/**
 * `PrePullReady` (not blocking Ready: the registry serves either way): whether the cluster serves
 * the KubernetesImagePuller kind — its render half creates the object only then (`found`), so a
 * cluster without the image-puller operator gets the condition, not a failing apply — and then
 * whether that operator's DaemonSet has the images on every node it selects.
 */
export const observePrePull: Observe = async ({ spec, names, namespace }, read) => {
  const prePull = spec.prePull;
  if (!prePull) return undefined;
  const asked = await servedOrUnknown(read, IMAGE_PULLER_API, PRE_PULL_READY);
  if ("unknown" in asked) return asked.unknown;
  if (!asked.served.has(IMAGE_PULLER_KIND))
    return {
      type: PRE_PULL_READY,
      ready: false,
      reason: "ImagePullerNotInstalled",
      message: `This cluster does not serve ${IMAGE_PULLER_API} ${IMAGE_PULLER_KIND} (the kubernetes-image-puller-operator is not installed), so the ${prePull.images.length} image(s) of spec.prePull are not pre-pulled; the object is created within 45 seconds of its installation.`,
      blocking: false,
      recheckMs: DISCOVERY_RECHECK_MS,
    };
  const found = { [IMAGE_PULLER_KIND]: "served" };
  const daemonSet = await read.object("apps/v1", "DaemonSet", namespace, names.prePull);
  const count = `${prePull.images.length} image(s)`;
  if (!daemonSet)
    return {
      type: PRE_PULL_READY,
      ready: false,
      reason: "WaitingForPuller",
      message: `${IMAGE_PULLER_KIND} ${names.prePull} asks for ${count}, but the image-puller operator has not made its DaemonSet ${names.prePull}: is it running, and watching this namespace (its WATCH_NAMESPACE empty, for every namespace)?`,
      blocking: false,
      recheckMs: PULLING_RECHECK_MS,
      found,
    };
  const status = (daemonSet.status ?? {}) as {
    desiredNumberScheduled?: number;
    numberReady?: number;
  };
  const desired = status.desiredNumberScheduled ?? 0;
  const ready = status.numberReady ?? 0;
  if (desired === 0 || ready < desired)
    return {
      type: PRE_PULL_READY,
      ready: false,
      reason: desired === 0 ? "NoNodes" : "Pulling",
      message:
        desired === 0
          ? `DaemonSet ${names.prePull} runs on no node: check prePull.nodeSelector and the nodes' taints.`
          : `${ready} of ${desired} nodes have the ${count} of DaemonSet ${names.prePull}; \`kubectl describe pods\` of that DaemonSet says why the others do not (ErrImagePull: the nodes' trust of the registry, or prePull.imagePullSecrets).`,
      blocking: false,
      recheckMs: PULLING_RECHECK_MS,
      found,
    };
  return {
    type: PRE_PULL_READY,
    ready: true,
    reason: "ImagesPulled",
    message: `${count} on ${desired} node(s), kept by DaemonSet ${names.prePull} of the image-puller operator.`,
    blocking: false,
    recheckMs: PULLED_RECHECK_MS,
    found,
  };
};
