import { z } from "zod";
import { REPOSITORY_REFERENCE } from "./image";
import { ObjectName } from "./kube";
import { matches, schemaRules } from "./schema-rule";

const d = (description: string) => ({ description });

const REPOSITORY_MESSAGE =
  "must name an image of this registry without its host, as path[:tag][@digest] (e.g. team/app:1.2): the operator adds the registry's own host";

const Repository = z
  .string()
  .max(255)
  .regex(REPOSITORY_REFERENCE, { message: REPOSITORY_MESSAGE })
  .meta(schemaRules(matches(REPOSITORY_REFERENCE, REPOSITORY_MESSAGE)));

export const PrePull = z
  .strictObject({
    images: z
      .array(Repository)
      .min(1)
      .max(20)
      .refine(a => new Set(a).size === a.length, { message: "must not repeat an image" })
      .meta({
        ...d("Images of this registry to keep on every selected node, e.g. team/app:1.2."),
        // A set: the API server refuses a repeated image itself, at no rule cost.
        "x-kubernetes-list-type": "set",
      }),
    nodeSelector: z
      .record(z.string(), z.string())
      .optional()
      .meta(d("Node labels of the nodes that pull them (default every node).")),
    imagePullSecrets: z
      .array(ObjectName)
      .max(5)
      .optional()
      .meta(
        d(
          "Secrets (kubernetes.io/dockerconfigjson) in the Registry's namespace the pulling pods log in with: needed once the registry asks for a login (an ImagePullSecret's Secret does).",
        ),
      ),
    cachingIntervalHours: z
      .number()
      .int()
      .min(1)
      .max(720)
      .optional()
      .meta(d("How often the puller checks the images are still on the nodes (default 1).")),
  })
  .meta(
    d(
      "Pre-pull images onto nodes through the kubernetes-image-puller-operator (a KubernetesImagePuller named NAME-pre-pull in the Registry's namespace); where its CRD is not installed, the PrePullReady condition says so.",
    ),
  );
export type PrePull = z.infer<typeof PrePull>;
