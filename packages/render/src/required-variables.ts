import { Output, TypeGuards } from 'liquidjs';
import { liquidFields } from './validate-template';
import type { MessageTemplate } from './types';

/**
 * The `lead.*` variables a template prints with no `default` filter after them, as written
 * (`lead.first_name`, `lead.attributes.plan`): a lead for whom one is blank is skipped
 * (`missing_variable`, liquid-engine.ts). Only outputs outside any tag count: one inside `{% if %}` or
 * a loop may never render, so the pre-launch check would count skips that do not happen.
 * A template that does not parse gives none (it could not have been saved).
 */
export function requiredLeadVariables(template: MessageTemplate): string[] {
  const found = new Set<string>();
  for (const field of liquidFields(template)) {
    let parsed;
    try {
      parsed = field.engine.parseCached(field.source);
    } catch {
      continue;
    }
    for (const node of parsed) {
      if (!(node instanceof Output)) continue;
      if (node.value.filters.some((f) => f.name === 'default')) continue;
      for (const token of node.value.initial.postfix) {
        if (!TypeGuards.isPropertyAccessToken(token)) continue;
        const path = token.getText();
        if (/^lead\.[A-Za-z_][\w.]*$/.test(path)) found.add(path);
      }
    }
  }
  return [...found];
}
