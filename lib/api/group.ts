/** The API group and version every kind of this operator is served under. */
export const GROUP = "registry-operator.dev";
export const VERSION = "v1alpha1";
export const API_VERSION = `${GROUP}/${VERSION}`;
