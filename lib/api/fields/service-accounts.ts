import { z } from "zod";
import { isDns1123Subdomain } from "./kube";

/** Whether a list of ServiceAccount names (or "*") includes `name`. */
export const namesServiceAccount = (names: readonly string[] | undefined, name: string) =>
  !!names && (names.includes("*") || names.includes(name));

/** ServiceAccount names, or "*" for every ServiceAccount of the namespace. */
export const ServiceAccountNames = z
  .array(
    z.string().refine(v => v === "*" || isDns1123Subdomain(v), {
      message: 'must be a ServiceAccount name or "*"',
    }),
  )
  .max(64);
