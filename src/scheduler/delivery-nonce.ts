import { createHash } from 'node:crypto';
import type { DeliveryKey } from '../domain/delivery-record.js';

/**
 * Discord drops a second message with the same nonce from the same bot within a few minutes
 * (enforce_nonce). Deriving it from the delivery key makes every retry of one delivery, by any
 * process, carry the same nonce. Discord allows at most 25 characters.
 */
export function deriveNonce(key: DeliveryKey): string {
  const digest = createHash('sha256')
    .update([key.guildId, key.observanceId, key.kind, key.momentId, key.year].join('\u0000'))
    .digest('hex');
  return digest.slice(0, 25);
}
