import { API_VERSION } from "../api/group";
import type { Ownership } from "../api/labels";

/** The controller reference every owned child of a Registry, a Cache or an ImagePruner carries. */
export function ownerReference(
  name: string,
  uid: string,
  kind: Ownership["kind"] | "ImagePruner" = "Registry",
) {
  return {
    apiVersion: API_VERSION,
    kind,
    name,
    uid,
    controller: true,
    blockOwnerDeletion: true,
  };
}
