import { z } from "zod";

/**
 * An absolute http(s) URL with a host (an S3 endpoint, a token realm). z.url() alone takes any
 * scheme — javascript:, ftp:, mailto: — and reads "minio.svc:9000" as scheme "minio.svc".
 */
export const HttpUrl = z.string().refine(
  v => {
    if (!/^https?:\/\/[^/?#\s]/i.test(v) || /\s/.test(v)) return false;
    try {
      return new URL(v).hostname !== "";
    } catch {
      return false;
    }
  },
  { message: 'must be an http or https URL such as "https://minio.example.com:9000"' },
);
