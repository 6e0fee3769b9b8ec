import type { Reader } from "../../lib/dependencies/dependency";

/** The reads of a fake Reader that finds no accounts and no namespaces. */
export const noAccounts: Pick<Reader, "childrenData" | "namespaceLabels"> = {
  childrenData: async () => [],
  namespaceLabels: async () => undefined,
};
