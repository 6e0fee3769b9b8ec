/** The controller reference an owned child carries. */
export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
  blockOwnerDeletion?: boolean;
}

/** What owns a set of children, as the engine finds them: the label naming the owner on each. */
export interface OwnerLabel {
  label: string;
}
