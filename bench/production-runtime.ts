import { readFileSync } from 'node:fs';

interface NodeRuntime {
  nodeFlags: string[];
  env: Record<string, string>;
}

/** The Node flags and environment that production runs the bot with (deploy/node-runtime.json). */
export const PRODUCTION_RUNTIME = JSON.parse(
  readFileSync(new URL('../deploy/node-runtime.json', import.meta.url), 'utf8'),
) as NodeRuntime;
