/**
 * A Discord message as plain data, in Discord's own field names, so that what the renderer
 * returns is exactly what goes over the wire (and what `npm run preview -- --json` prints).
 */
export interface EmbedField {
  name: string;
  value: string;
  inline?: boolean;
}

export interface EmbedPayload {
  title: string;
  description: string;
  color: number;
  fields: EmbedField[];
  footer: { text: string };
}

export interface AllowedMentions {
  /** Always empty: @everyone, @here, users and roles are never parsed from text. */
  parse: [];
  /** Exactly the roles a server opted in to, or none. */
  roles?: string[];
}

export interface MessagePayload {
  content?: string;
  embeds: EmbedPayload[];
  allowed_mentions: AllowedMentions;
  flags?: number;
}

/** Discord's SUPPRESS_NOTIFICATIONS message flag: delivered without a push or desktop alert. */
export const SUPPRESS_NOTIFICATIONS = 1 << 12;

/** Discord's documented embed limits. */
export const EMBED_LIMITS = {
  title: 256,
  description: 4096,
  fields: 25,
  fieldName: 256,
  fieldValue: 1024,
  footer: 2048,
  total: 6000,
} as const;

/** Lists every limit the payload breaks; empty when it is valid. */
export function checkEmbedLimits(payload: MessagePayload): string[] {
  const problems: string[] = [];
  payload.embeds.forEach((embed, index) => {
    const at = `embeds[${index}]`;
    const over = (what: string, length: number, limit: number) => {
      if (length > limit) problems.push(`${at}.${what} is ${length} characters (limit ${limit})`);
    };
    over('title', embed.title.length, EMBED_LIMITS.title);
    over('description', embed.description.length, EMBED_LIMITS.description);
    over('footer.text', embed.footer.text.length, EMBED_LIMITS.footer);
    if (embed.fields.length > EMBED_LIMITS.fields) {
      problems.push(`${at} has ${embed.fields.length} fields (limit ${EMBED_LIMITS.fields})`);
    }
    embed.fields.forEach((field, i) => {
      over(`fields[${i}].name`, field.name.length, EMBED_LIMITS.fieldName);
      over(`fields[${i}].value`, field.value.length, EMBED_LIMITS.fieldValue);
      if (field.name.trim() === '' || field.value.trim() === '') {
        problems.push(`${at}.fields[${i}] has an empty name or value`);
      }
    });
    const total =
      embed.title.length +
      embed.description.length +
      embed.footer.text.length +
      embed.fields.reduce((sum, field) => sum + field.name.length + field.value.length, 0);
    over('(total)', total, EMBED_LIMITS.total);
  });
  return problems;
}
