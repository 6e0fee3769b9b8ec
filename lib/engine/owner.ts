/** What owns a set of children, as the engine finds them: the label naming the owner on each. */
export interface OwnerLabel {
  label: string;
}
