/**
 * A subscription's delivery mode, apart from the time-zone code in delivery.ts: the webhook's
 * subscription path needs only this, and its bundle is counted in bytes.
 */

/** The modes, most immediate first. */
export const DELIVERY_MODES = ['instant', 'daily', 'weekly'] as const;
export type DeliveryMode = (typeof DELIVERY_MODES)[number];

/** True for a value that is a {@link DeliveryMode}. */
export function isDeliveryMode(value: unknown): value is DeliveryMode {
  return typeof value === 'string' && (DELIVERY_MODES as readonly string[]).includes(value);
}
