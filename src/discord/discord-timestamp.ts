/** Discord renders <t:…> in each reader's own time zone and language. */
export function formatDiscordTimestamp(at: Date, style: 'D' | 'F' | 'f' | 'R' | 't'): string {
  return `<t:${Math.floor(at.getTime() / 1000)}:${style}>`;
}
