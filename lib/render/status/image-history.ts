import type { DesiredCondition } from "../../api/status";
import { registryVersion } from "../../api/version";

/**
 * `status.version` from the image tag (null removes it when the tag names none), and
 * `status.lastHealthyImage`: the image once its rollout completed (Progressing `Complete`) with the
 * registry Ready, kept
 * as it was while a rollout is under way or failing — the target a rollback would return to.
 */
export function imageHistory(
  image: string,
  conditions: DesiredCondition[],
  previous: string | undefined,
): { version: string | null; lastHealthyImage: string | null } {
  const find = (type: string) => conditions.find(c => c.type === type);
  // Complete, not merely not progressing: past its deadline a rollout is not, though old pods serve.
  const healthy = find("Ready")?.status === "True" && find("Progressing")?.reason === "Complete";
  return {
    version: registryVersion(image).version ?? null,
    lastHealthyImage: healthy ? image : (previous ?? null),
  };
}
