import type { LoadedContent } from '../../../content/load-content.js';
import { findObservance } from '../../../domain/content.js';
import { fillTemplate } from '../../../domain/fill-template.js';
import { formatSourceLink } from '../../../domain/format-post-parts.js';
import { defineSubcommand } from '../../command-definition.js';
import { makeEmbed } from '../reply-helpers.js';
import { observanceOption } from '../shared-options.js';

export function createSourcesSubcommand(content: LoadedContent) {
  return defineSubcommand({
    name: 'sources',
    options: [observanceOption(content)],
    async run(ctx, { observance: id }) {
      const { content: loaded } = ctx.services;
      const observance = findObservance(loaded, id);
      const text = observance.text[ctx.language] ?? observance.text.en;
      const cited = new Set<string>([
        ...(text?.summary.sources ?? []),
        ...(text?.facts.flatMap((fact) => fact.sources) ?? []),
        ...observance.moments.flatMap((moment) => moment.sources),
      ]);
      const lines = [...cited].map((sourceId, index) =>
        fillTemplate(ctx.strings.sources.line, {
          link: `[${index + 1}] ${formatSourceLink(loaded, ctx.labels, sourceId, ctx.language)}`,
          about: loaded.sources.get(sourceId)?.about[ctx.language] ?? '',
        }),
      );
      const title = fillTemplate(ctx.strings.sources.title, { name: text?.name ?? id });
      await ctx.reply({ embeds: [makeEmbed(ctx, title, lines.join('\n\n'))] });
    },
  });
}
