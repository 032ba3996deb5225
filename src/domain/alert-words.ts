/** The keys of `bot.alerts` in data/locales/<code>.yaml: the words of the checks and alerts. */
export const ALERT_TEXT_KEYS = [
  'heading',
  'intro',
  'channelGone',
  'channelPermissions',
  'serverPermissions',
  'notAnnouncement',
  'verify',
  'fallback',
  'alertsChannelGone',
  'alertsChannelMissing',
  'statusTitle',
  'statusProblems',
  'statusFine',
  'statusNotYet',
  'statusNext',
  'statusSent',
  'statusSentCommunity',
  'statusNotSent',
  'statusAlertsChannel',
  'optionsReady',
  'optionsMissing',
  'optionsUnavailable',
  'recheck',
] as const;

export type AlertTextKey = (typeof ALERT_TEXT_KEYS)[number];

/** One language's words for alerts: `bot.alerts` and the permission names of `bot.permissions`. */
export interface AlertWords {
  alerts: Readonly<Record<AlertTextKey, string>>;
  permissions: Readonly<Record<string, string>>;
}
