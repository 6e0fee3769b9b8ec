/** The namespace label that puts a namespace under the policy (its value must be "true"). */
export const POLICY_LABEL = "policy.example.com/cluster-images-only";
