import { Log } from "pepr";
import { K8s } from "../kube/client";
import { ANNOTATIONS } from "../api/annotations";
import { findTemplate } from "../kube/template-lookup";
import { GVK, type Registry, type RegistryTemplate } from "../api/kinds";
import type { DesiredCondition } from "../engine/conditions";
import { describeError } from "../kube/errors";

/** Why the last template edit could not be applied to a Registry (`namespace/name`), if it could not. */
const notApplied = new Map<string, string>();

/**
 * A template edit reaches its Registries through admission: touching the recorded template
 * version makes the mutating webhook resolve the spec again from the user's own fields and the
 * template as it is now. Registries already at this version are not written.
 * @returns the Registries that refused it: their status is to say so (`templateCondition`)
 */
export async function propagateTemplate(
  template: RegistryTemplate,
): Promise<{ namespace: string; name: string }[]> {
  const name = template.metadata?.name;
  const version = template.metadata?.resourceVersion;
  const refused: { namespace: string; name: string }[] = [];
  if (!name || !version) return refused;
  for (const r of await registriesUsing(name)) {
    if (r.metadata?.annotations?.[ANNOTATIONS.templateVersion] === version) continue;
    try {
      await K8s(GVK.Registry, { name: r.metadata!.name!, namespace: r.metadata!.namespace! }).Patch(
        [
          {
            op: "add",
            path: `/metadata/annotations/${ANNOTATIONS.templateVersion.replace("/", "~1")}`,
            value: version,
          },
        ],
      );
      Log.info(
        `Registry ${r.metadata!.namespace}/${r.metadata!.name}: re-resolved from RegistryTemplate ${name} (version ${version})`,
      );
      notApplied.delete(`${r.metadata!.namespace}/${r.metadata!.name}`);
    } catch (err) {
      const why = describeError(err);
      notApplied.set(`${r.metadata!.namespace}/${r.metadata!.name}`, why);
      refused.push({ namespace: r.metadata!.namespace!, name: r.metadata!.name! });
      Log.error(
        `Registry ${r.metadata!.namespace}/${r.metadata!.name}: could not apply RegistryTemplate ${name}: ${why}`,
      );
    }
  }
  return refused;
}

/** Every Registry whose `template` names this RegistryTemplate. */
export async function registriesUsing(template: string): Promise<Registry[]> {
  return (await K8s<Registry>(GVK.Registry).Get()).items.filter(r => r.template === template);
}

/** `TemplateResolved`: whether the template a Registry names exists (none named: nothing to say). */
export async function templateCondition(registry: Registry): Promise<DesiredCondition[]> {
  const name = registry.template;
  if (!name) return [];
  const template = await findTemplate(name, "reconcile");
  const applied = registry.metadata?.annotations?.[ANNOTATIONS.templateVersion];
  if (template && applied && template.resourceVersion && applied !== template.resourceVersion) {
    // Its Registries take a template edit through admission, which may refuse it for one of them.
    const why = notApplied.get(`${registry.metadata?.namespace}/${registry.metadata?.name}`);
    return [
      {
        type: "TemplateResolved",
        status: "False",
        reason: "TemplateChangeNotApplied",
        message: `RegistryTemplate ${name} changed since it was applied here; the registry keeps the values it gave before${why ? `: ${why}` : ""}.`,
      },
    ];
  }
  if (template) {
    return [
      {
        type: "TemplateResolved",
        status: "True",
        reason: "Found",
        message: `RegistryTemplate ${name} applied.`,
      },
    ];
  }
  return [
    {
      type: "TemplateResolved",
      status: "False",
      reason: "TemplateNotFound",
      message: `RegistryTemplate ${name} no longer exists; the registry keeps the values it gave.`,
    },
  ];
}
