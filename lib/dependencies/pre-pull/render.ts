import type { Contribution } from "../../render/contribution";
import type { RenderContext } from "../../render/context";
import { registryHost } from "../../render/ingress";
import { IMAGE_PULLER_API, IMAGE_PULLER_KIND } from "./observe";

/** The image-puller operator's default names of a puller's Deployment and ConfigMap. */
export const PULLER_DEPLOYMENT = "kubernetes-image-puller";
export const PULLER_CONFIG_MAP = "k8s-image-puller";

/**
 * A container name for each image (the puller runs one sleeping container per image in its
 * DaemonSet): the repository's last part, made a DNS label, numbered so that none repeats.
 */
export function pullerNames(images: string[]): string[] {
  return images.map((ref, i) => {
    const last = ref.split("@")[0].split(":")[0].split("/").pop() ?? "image";
    const label = last
      .replace(/[^a-z0-9-]+/g, "-")
      .replace(/^-+|-+$/g, "")
      .slice(0, 50);
    return `${label || "image"}-${i + 1}`;
  });
}

/**
 * The render half of `spec.prePull`: a KubernetesImagePuller (whose operator runs a DaemonSet
 * pulling the images on every selected node) naming each image by the host clients pull from —
 * the Ingress host, else the Service's, which nodes resolve through `spec.nodeTrust`. Its fields
 * are strings in that operator's formats: `name=image;…`, secret names `;`-separated, the node
 * selector as JSON. Only when the cluster serves the kind (`found`, from the observe half).
 */
export function prePullContribution(
  ctx: RenderContext,
  found: Record<string, string> = {},
): Contribution {
  const { spec, names, namespace, labels } = ctx;
  const prePull = spec.prePull;
  if (!prePull || !found[IMAGE_PULLER_KIND]) return {};
  const host = registryHost(spec, names.service, namespace);
  const containers = pullerNames(prePull.images);
  return {
    objects: [
      {
        apiVersion: IMAGE_PULLER_API,
        kind: IMAGE_PULLER_KIND,
        metadata: { name: names.prePull, namespace, labels },
        spec: {
          // The image-puller operator deletes every puller Deployment (in any namespace) not named
          // as the one it reconciles: all keep its defaults, so pullers of other namespaces stay.
          deploymentName: PULLER_DEPLOYMENT,
          configMapName: PULLER_CONFIG_MAP,
          daemonsetName: names.prePull,
          images: prePull.images.map((ref, i) => `${containers[i]}=${host}/${ref};`).join(""),
          cachingIntervalHours: String(prePull.cachingIntervalHours ?? 1),
          ...(prePull.nodeSelector ? { nodeSelector: JSON.stringify(prePull.nodeSelector) } : {}),
          ...(prePull.imagePullSecrets?.length
            ? { imagePullSecrets: prePull.imagePullSecrets.join(";") }
            : {}),
        },
      },
    ],
  };
}
