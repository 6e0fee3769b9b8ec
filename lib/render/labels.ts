import { GROUP } from "../api/group";

/** The label every child carries: how the operator finds (and prunes) what it made for a Registry. */
export const OWNER_LABEL = `${GROUP}/registry`;

/** Labels of every child of a Registry. */
export function childLabels(registry: string): Record<string, string> {
  return {
    "app.kubernetes.io/name": "registry",
    "app.kubernetes.io/instance": registry,
    "app.kubernetes.io/managed-by": "registry-operator",
    [OWNER_LABEL]: registry,
  };
}

/** The subset that selects the registry's pods (stable: a selector cannot change later). */
export function podSelector(registry: string): Record<string, string> {
  return { "app.kubernetes.io/name": "registry", "app.kubernetes.io/instance": registry };
}
