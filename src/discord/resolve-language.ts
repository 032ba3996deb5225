import type { LoadedContent } from '../content/load-content.js';

/**
 * The language of a reply: the server's choice when an admin made one; otherwise the member's
 * Discord language where the bot has it (Azerbaijani is not a Discord locale); otherwise English.
 */
export function resolveReplyLanguage(
  content: LoadedContent,
  serverLanguage: string | undefined,
  discordLocale: string | undefined,
): string {
  if (serverLanguage && content.languages.has(serverLanguage)) return serverLanguage;
  if (discordLocale) {
    for (const language of content.languages.values()) {
      if (
        language.discordLocales.some((locale) => locale === discordLocale) ||
        language.code === discordLocale
      )
        return language.code;
    }
  }
  return 'en';
}
