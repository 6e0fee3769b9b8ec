// An example of a policy team's capability (docs/extending.md): in namespaces labelled
// `policy.example.com/cluster-images-only: "true"`, Pods may only use images from the registries
// this operator runs. Built on lib/extend only; added to the module in capabilities/extensions.ts.
import { a, Capability } from "pepr";
import { POLICY_LABEL } from "./label";
import {
  fieldMessage,
  imageHost,
  namespaceLabels,
  podImages,
  registryHosts,
} from "../../lib/extend";

export { POLICY_LABEL };

export const ImageSourcePolicy = new Capability({
  name: "image-source-policy",
  description: "Pods in labelled namespaces use images from the cluster's registries only.",
});

const { When } = ImageSourcePolicy;

/** Domains of ours whose Ingress hosts count as the cluster's registries (see HostOptions). */
const INGRESS_DOMAINS: string[] = [];

When(a.Pod)
  .IsCreatedOrUpdated()
  .Validate(async req => {
    const namespace = req.Request.namespace ?? req.Raw.metadata?.namespace ?? "";
    try {
      if ((await namespaceLabels(namespace))?.[POLICY_LABEL] !== "true") return req.Approve();
      const hosts = await registryHosts({ ingressDomains: INGRESS_DOMAINS });
      // On an update only images the Pod did not have count: a label change or the removal of a
      // finalizer on a Pod admitted before the label must not be refused.
      const had = new Set(podImages(req.OldResource).map(i => i.image));
      const foreign = podImages(req.Raw).filter(
        i => !had.has(i.image) && !hosts.has(imageHost(i.image)),
      );
      if (foreign.length === 0) return req.Approve();
      return req.Deny(
        foreign
          .map(i =>
            fieldMessage(
              i.path,
              `${i.image} is not from a registry of this cluster (namespace ${namespace} is labelled ${POLICY_LABEL}); push it to one of them and name it by its host, e.g. REGISTRY.NAMESPACE.svc:5000/${i.image.split("/").pop()}`,
            ),
          )
          .join("; "),
      );
    } catch (err) {
      // A policy that cannot decide refuses, and says why: the user retries.
      return req.Deny(
        `could not check the images against the cluster's registries: ${String(err)}; try again`,
      );
    }
  });
