import { z } from "zod";

/** apiVersion, kind and metadata: the API server owns their schema; ours only lets them through. */
export const TypeMeta = {
  apiVersion: z.string().optional(),
  kind: z.string().optional(),
  metadata: z.object({}).passthrough().optional(),
};
