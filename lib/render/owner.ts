import { API_VERSION } from "../api/group";

/** The controller reference every owned child of a Registry carries. */
export function ownerReference(name: string, uid: string) {
  return {
    apiVersion: API_VERSION,
    kind: "Registry",
    name,
    uid,
    controller: true,
    blockOwnerDeletion: true,
  };
}
