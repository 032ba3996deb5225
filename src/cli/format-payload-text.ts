import type { MessagePayload } from '../domain/message-payload.js';

/** The post as a person would read it in Discord, for a terminal: markdown resolved to text. */
export function formatPayloadText(payload: MessagePayload): string {
  const lines: string[] = [];
  if (payload.content) lines.push(payload.content, '');
  for (const embed of payload.embeds) {
    lines.push(embed.title, '='.repeat(Math.min(embed.title.length, 72)), '');
    lines.push(plain(embed.description), '');
    for (const field of embed.fields) lines.push(field.name, plain(field.value), '');
    lines.push(`— ${embed.footer.text}`);
  }
  const roles = payload.allowed_mentions.roles ?? [];
  lines.push('');
  lines.push(roles.length > 0 ? `Mentions: role ${roles.join(', ')} only.` : 'Mentions: nobody.');
  if (payload.flags) lines.push('Silent: delivered without notifications.');
  return `${lines.join('\n')}\n`;
}

function plain(markdown: string): string {
  return markdown
    .replace(/\[([^\]]+)\]\((https?:[^)]+)\)/g, '$1 <$2>')
    .replace(/\*\*([^*]+)\*\*/g, '$1')
    .replace(/\*([^*]+)\*/g, '$1')
    .replace(/\\([\\[\]*_~`|>])/g, '$1');
}
