import type { MessagePayload } from './message-payload.js';

/**
 * A post carries a short reference to its delivery in its embed footer, because Discord returns
 * embeds when the channel is read, and not the nonce. After an unclear answer, the bot reads the
 * channel and looks for this reference before it sends again. Members see a few characters at the
 * end of the footer, next to the Baku-time note, and an admin can match a post to its delivery.
 */
export function formatDeliveryMarker(nonce: string): string {
  return `ref ${nonce.slice(0, 10)}`;
}

const SEPARATOR = ' · ';

export function addDeliveryMarker(payload: MessagePayload, marker: string): MessagePayload {
  const [first, ...rest] = payload.embeds;
  if (!first) return payload;
  return {
    ...payload,
    embeds: [{ ...first, footer: { text: `${first.footer.text}${SEPARATOR}${marker}` } }, ...rest],
  };
}

/** Whether a message's embeds, as Discord returns them, carry the marker. */
export function carriesDeliveryMarker(
  embeds: ReadonlyArray<{ footer?: { text?: string } }> | undefined,
  marker: string,
): boolean {
  return (embeds ?? []).some((embed) => embed.footer?.text?.endsWith(`${SEPARATOR}${marker}`));
}
