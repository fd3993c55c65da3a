/**
 * Documented GA4 Measurement Protocol limits, as named constants.
 * Source: shared/reference/ga4-measurement-protocol.md §3 (MP reference, collection limits,
 * Google's Event Builder). Where sources disagree the stricter value is used.
 */
export const MP_LIMITS = {
  eventsPerRequest: 25,
  paramsPerEvent: 25,
  userPropertiesPerRequest: 25,
  userPropertyNameLength: 24,
  userPropertyValueLength: 36,
  eventNameLength: 40,
  paramNameLength: 40,
  paramValueLength: 100,
  itemParamValueLength: 100,
  customItemParams: 10,
  /** The body must be smaller than this many bytes (Event Builder: `> 130000` fails). */
  bodyBytes: 130_000,
  /**
   * One event's JSON stays below this, so it fits a request with any envelope (client_id,
   * user_id, consent, user_data with addresses stay well under 10 kB): every valid sale is
   * sendable alone.
   */
  eventBytes: 120_000,
  /** GA4 keeps at most 200 items per ecommerce event and drops the rest (Google's ecommerce docs). */
  itemsPerEvent: 200,
  userIdLength: 256,
  /** Backdating: GA4 drops events older than 72 h; pos-ga4 defaults to 71 h to keep a margin. */
  maxBackdateHours: 72,
  defaultBackdateHours: 71,
  /** Events further in the future than this are clock skew. */
  futureToleranceMs: 15 * 60 * 1000,
} as const;

/** Event names GA4 reserves (web and app). `purchase` and `refund` are not among them. */
// prettier-ignore
export const RESERVED_EVENT_NAMES: ReadonlySet<string> = new Set([
  'ad_activeview', 'ad_click', 'ad_exposure', 'ad_impression', 'ad_query', 'ad_reward',
  'adunit_exposure', 'app_background', 'app_clear_data', 'app_exception', 'app_install',
  'app_remove', 'app_store_refund', 'app_store_subscription_cancel',
  'app_store_subscription_convert', 'app_store_subscription_renew', 'app_update', 'app_upgrade',
  'click', 'dynamic_link_app_open', 'dynamic_link_app_update', 'dynamic_link_first_open',
  'error', 'file_download', 'firebase_campaign', 'firebase_in_app_message_action',
  'firebase_in_app_message_dismiss', 'firebase_in_app_message_impression', 'first_open',
  'first_visit', 'form_start', 'form_submit', 'in_app_purchase', 'notification_dismiss',
  'notification_foreground', 'notification_open', 'notification_receive', 'os_update',
  'page_view', 'screen_view', 'scroll', 'session_start', 'session_start_with_rollout',
  'user_engagement', 'video_complete', 'video_progress', 'video_start', 'view_search_results',
]);

/** Prefixes reserved for event, parameter and user property names. */
export const RESERVED_PREFIXES: readonly string[] = ['_', 'ga_', 'google_', 'firebase_', 'gtag.'];

export const RESERVED_USER_PROPERTY_NAMES: ReadonlySet<string> = new Set([
  'first_open_time',
  'first_visit_time',
  'last_deep_link_referrer',
  'user_id',
  'first_open_after_install',
]);

/** Item parameters GA4 defines; anything else on an item is a custom item parameter. */
// prettier-ignore
export const STANDARD_ITEM_PARAMS: ReadonlySet<string> = new Set([
  'item_id', 'item_name', 'affiliation', 'coupon', 'creative_name', 'creative_slot', 'discount',
  'index', 'item_brand', 'item_category', 'item_category2', 'item_category3', 'item_category4',
  'item_category5', 'item_list_id', 'item_list_name', 'item_variant', 'location_id', 'price',
  'quantity', 'promotion_id', 'promotion_name', 'currency',
]);

/** Required parameters of the ecommerce events pos-ga4 sends. */
export const REQUIRED_EVENT_PARAMS: Readonly<Record<string, readonly string[]>> = {
  purchase: ['transaction_id', 'value', 'currency', 'items'],
  refund: ['transaction_id', 'value', 'currency'],
};
