/** Defaults shared by every config. Kept equal to `DEFAULT_PREFIX` in @pos-ga4/queue-contract (a test checks). */
export const DEFAULT_REDIS_PREFIX = 'pos-ga4';
