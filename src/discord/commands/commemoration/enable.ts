import type { LoadedContent } from '../../../content/load-content.js';
import { fillTemplate } from '../../../domain/fill-template.js';
import { defineSubcommand, type Subcommand } from '../../command-definition.js';
import { observanceName } from '../reply-helpers.js';
import { observanceOption } from '../shared-options.js';

/** /commemoration enable and /commemoration disable: one observance on or off for this server. */
export function createToggleSubcommands(content: LoadedContent): Subcommand[] {
  return [true, false].map((on) =>
    defineSubcommand({
      name: on ? 'enable' : 'disable',
      options: [observanceOption(content)],
      async run(ctx, { observance }) {
        const disabled = new Set(ctx.settings?.disabledObservances ?? []);
        if (on) disabled.delete(observance);
        else disabled.add(observance);
        await ctx.services.settings.update(
          ctx.guildId,
          { disabledObservances: [...disabled] },
          ctx.now,
        );
        const template = on ? ctx.strings.enable.on : ctx.strings.enable.off;
        await ctx.reply({
          content: fillTemplate(template, { name: observanceName(ctx, observance) }),
        });
      },
    }),
  );
}
