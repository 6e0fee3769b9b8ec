import type { DesiredCondition } from "../../api/status";
import { registryVersion } from "../../api/version";

/**
 * `status.version` from the image tag (null removes it when the tag names none), and
 * `status.lastHealthyImage`: the image once its rollout completed with the registry Ready, kept
 * as it was while a rollout is under way or failing — the target a rollback would return to.
 */
export function imageHistory(
  image: string,
  conditions: DesiredCondition[],
  previous: string | undefined,
): { version: string | null; lastHealthyImage: string | null } {
  const status = (type: string) => conditions.find(c => c.type === type)?.status;
  const healthy = status("Ready") === "True" && status("Progressing") !== "True";
  return {
    version: registryVersion(image).version ?? null,
    lastHealthyImage: healthy ? image : (previous ?? null),
  };
}
