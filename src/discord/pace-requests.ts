import { DefaultRestOptions, type RESTOptions } from '@discordjs/rest';
import { RequestPacer } from '../scheduler/request-pacer.js';

/**
 * Discord's global limit counts requests as they reach it, and may count them in a sliding
 * window. The scheduler paces the posts it starts, but @discordjs/rest queues requests and lets
 * them go together when a rate limit lifts, and retries on its own; either makes a burst that a
 * sliding window refuses. Pacing here, where each request (retries included) goes onto the wire,
 * keeps every 1,000 ms under the limit. Interaction responses are exempt from the global limit
 * (they are answered on the interaction's token), so a fan-out never slows a member's reply.
 */
export function pacedMakeRequest(globalRequestsPerSecond: number): RESTOptions['makeRequest'] {
  const pacer = new RequestPacer(globalRequestsPerSecond);
  return async (url, init) => {
    if (!isInteractionResponse(url)) await pacer.take();
    return DefaultRestOptions.makeRequest(url, init);
  };
}

/** POST /interactions/{id}/{token}/callback and the webhook routes of an interaction's token. */
function isInteractionResponse(url: string): boolean {
  return /\/interactions\/\d+\/[^/]+\/callback|\/webhooks\/\d+\/[^/]+/.test(url);
}
