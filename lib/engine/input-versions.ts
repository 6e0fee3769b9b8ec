import { podInputs, withInputVersions, type InputRef } from "./pod-inputs";
import type { KubeObject } from "../kubernetes/objects";
import { getLive } from "./apply";

const WORKLOADS = new Set(["Deployment", "StatefulSet"]);

/**
 * Stamps each workload among `objects` with the versions of the Secrets and ConfigMaps its pods
 * read (but `skip`), so that changing one rolls the pods.
 */
export async function stampInputVersions(
  objects: KubeObject[],
  namespace: string,
  skip: InputRef[],
): Promise<KubeObject[]> {
  return Promise.all(
    objects.map(async o => {
      if (!WORKLOADS.has(o.kind)) return o;
      const versions = await Promise.all(
        podInputs(o, skip).map(async ref => {
          const live = await getLive("v1", ref.kind, namespace, ref.name);
          const version = (live?.metadata.resourceVersion as string | undefined) ?? "absent";
          return [`${ref.kind}/${ref.name}`, version] as const;
        }),
      );
      return withInputVersions(o, Object.fromEntries(versions));
    }),
  );
}
