/** A wall-clock time of day in Baku, as admins type it: "HH:MM", 24-hour. */
export interface LocalTime {
  hour: number;
  minute: number;
}

const TIME_PATTERN = /^([01]?\d|2[0-3]):([0-5]\d)$/;

/** Returns the time, or undefined when the text is not a valid 24-hour HH:MM. */
export function parseLocalTime(text: string): LocalTime | undefined {
  const match = TIME_PATTERN.exec(text.trim());
  if (!match) return undefined;
  return { hour: Number(match[1]), minute: Number(match[2]) };
}

export function formatLocalTime(time: LocalTime): string {
  return `${String(time.hour).padStart(2, '0')}:${String(time.minute).padStart(2, '0')}`;
}
