import { z } from "zod";
import { matches, schemaRules } from "./schema-rule";

/**
 * An absolute http(s) URL with a host (an S3 endpoint, a token realm). z.url() alone takes any
 * scheme — javascript:, ftp:, mailto: — and reads "minio.svc:9000" as scheme "minio.svc".
 */
const HTTP_URL = /^https?:\/\/[^/?#\s]\S*$/i;
const MESSAGE = 'must be an http or https URL such as "https://minio.example.com:9000"';

export const HttpUrl = z
  .string()
  .max(2048)
  .refine(
    v => {
      if (!HTTP_URL.test(v)) return false;
      try {
        return new URL(v).hostname !== "";
      } catch {
        return false;
      }
    },
    { message: MESSAGE },
  )
  .meta(schemaRules(matches(HTTP_URL, MESSAGE)));
