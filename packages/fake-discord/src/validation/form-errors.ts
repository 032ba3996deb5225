import { apiError, type RestResult } from '../rest-types.js';

/** One entry of Discord's `errors` object: where, and Discord's code and message for it. */
export interface FieldIssue {
  path: readonly (string | number)[];
  code: string;
  message: string;
}

export function issue(
  path: readonly (string | number)[],
  code: string,
  message: string,
): FieldIssue {
  return { path, code, message };
}

/**
 * Discord's 50035 body: the errors nest by path, arrays by index as string keys, and each failing
 * field holds `_errors: [{ code, message }]`; an error about the whole body sits at the top.
 */
export function invalidFormBody(issues: readonly FieldIssue[]): RestResult {
  const root: Record<string, unknown> = {};
  for (const { path, code, message } of issues) {
    let node = root;
    for (const key of path) {
      const name = String(key);
      const child = node[name];
      const next =
        typeof child === 'object' && child !== null ? (child as Record<string, unknown>) : {};
      node[name] = next;
      node = next;
    }
    const list = Array.isArray(node._errors) ? (node._errors as unknown[]) : [];
    list.push({ code, message });
    node._errors = list;
  }
  return apiError(400, 50035, 'Invalid Form Body', root);
}
