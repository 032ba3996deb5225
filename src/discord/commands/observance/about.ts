import type { LoadedContent } from '../../../content/load-content.js';
import { findObservance } from '../../../domain/content.js';
import { findNextOccurrence } from '../../../domain/occurrence.js';
import { renderPost } from '../../../domain/render-post.js';
import { defineSubcommand } from '../../command-definition.js';
import { observanceOption } from '../shared-options.js';

export function createAboutSubcommand(content: LoadedContent) {
  return defineSubcommand({
    name: 'about',
    options: [observanceOption(content)],
    visibleToAll: true,
    async run(ctx, { observance: id }) {
      const observance = findObservance(ctx.services.content, id);
      const next = findNextOccurrence(observance, ctx.now);
      const today = next.startsAt.getTime() <= ctx.now.getTime();
      const payload = renderPost(
        ctx.services.content,
        { observanceId: id, kind: 'day', locale: ctx.language, year: next.year },
        { asReference: !today },
      );
      await ctx.reply({ embeds: payload.embeds });
    },
  });
}
