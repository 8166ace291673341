/**
 * The buttons subscriptionsFeature answers. Each carries the screen it is drawn on, so a press
 * can redraw that screen (a profile's toggle, the /subscriptions list); on a card, and on buttons
 * from before the screen was written, there is nothing to redraw and the toast says it all.
 */
import { defineCallback, field } from '../callback';

export const subscribeButton = defineCallback('s', {
  handle: field.handle,
  from: field.marker({ p: 'profile' }, 'card'),
});
export const unsubscribeButton = defineCallback('x', {
  handle: field.handle,
  from: field.marker({ p: 'profile', l: 'list' }, 'card'),
});
/** A page of /subscriptions (◀ ▶), turned in place: the list is one message however long. */
export const subscriptionsPageButton = defineCallback('sl', { page: field.page });
