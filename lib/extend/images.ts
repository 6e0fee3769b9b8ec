/** An image a pod names, and where: `spec.containers[0].image`. */
export interface PodImage {
  path: string;
  image: string;
}

type Container = { image?: string };
type PodLike = {
  spec?: {
    containers?: Container[];
    initContainers?: Container[];
    ephemeralContainers?: Container[];
  };
};

/**
 * Every image of a pod (containers, init and ephemeral containers), with its field path; none of
 * an absent pod (`req.OldResource` of a create).
 */
export function podImages(pod: object | undefined): PodImage[] {
  const spec = (pod as PodLike | undefined)?.spec;
  const lists = ["containers", "initContainers", "ephemeralContainers"] as const;
  return lists.flatMap(list =>
    (spec?.[list] ?? []).flatMap((c, i) =>
      c.image === undefined ? [] : [{ path: `spec.${list}[${i}].image`, image: c.image }],
    ),
  );
}

/**
 * The registry host an image reference pulls from, as container runtimes read it: the first part
 * when it has a dot or a port or is `localhost`, else Docker Hub (`docker.io`). Lowercase.
 */
export function imageHost(image: string): string {
  const slash = image.indexOf("/");
  const first = slash < 0 ? "" : image.slice(0, slash);
  const isHost = first.includes(".") || first.includes(":") || first === "localhost";
  return isHost ? first.toLowerCase() : "docker.io";
}
