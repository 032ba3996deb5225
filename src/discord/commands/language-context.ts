import type { CommandContext } from '../command-context.js';

/** The same context answering in another language: after setup switches it, confirm in the new one. */
export function withLanguage(ctx: CommandContext, language: string): CommandContext {
  const bundle = ctx.services.content.languages.get(language);
  const labels = ctx.services.content.postLabels.get(language);
  if (!bundle || !labels) return ctx;
  return { ...ctx, language, strings: bundle.bot, labels };
}
