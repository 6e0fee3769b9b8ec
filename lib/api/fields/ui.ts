import { z } from "zod";
import { Ingress } from "../ingress";
import { Image } from "./image";
import { ObjectName } from "./kube";
import { matches, schemaRules } from "./schema-rule";

const d = (description: string) => ({ description });

// The image writes the title into its page with sed: only characters neither HTML nor sed reads.
const TITLE = /^[A-Za-z0-9][A-Za-z0-9 ._/()-]*$/;
const TITLE_MESSAGE =
  "may hold only letters, digits, spaces and . _ / ( ) -, starting with a letter or digit";

/** The registry browser: a pinned Joxit docker-registry-ui release (nginx serving static pages). */
export const DEFAULT_UI_IMAGE = "docker.io/joxit/docker-registry-ui:2.5.7";

export const UiIngress = Ingress.omit({ path: true })
  .extend({
    tlsSecretName: ObjectName.optional().meta(
      d(
        "A kubernetes.io/tls Secret covering host (yours, or cert-manager's); the UI is served over HTTPS with it.",
      ),
    ),
  })
  .meta(d("An Ingress in front of the UI, at its own host."));

export const Ui = z
  .strictObject({
    enabled: z.boolean().optional().meta(d("Run the UI (default true once `ui` is set).")),
    image: Image.optional().meta(
      d("The UI image (default a pinned joxit/docker-registry-ui release)."),
    ),
    title: z
      .string()
      .max(100)
      .regex(TITLE, { message: TITLE_MESSAGE })
      .optional()
      .meta({
        ...d("Title shown in the UI (default NAMESPACE/NAME)."),
        ...schemaRules(matches(TITLE, TITLE_MESSAGE)),
      }),
    ingress: UiIngress.optional(),
  })
  .meta(
    d(
      "A registry browser (Joxit docker-registry-ui) beside the registry: list repositories and tags, inspect and delete images. It reaches the registry through its Service, or — with an Ingress on both and no login — from the browser directly, the registry answering CORS for the UI's origin.",
    ),
  );
export type Ui = z.infer<typeof Ui>;
