/**
 * Configuration of one serial receipt source (zod). Input: a YAML/JSON object (env overrides
 * included); output: a fully defaulted `SerialSourceConfig`. Errors: zod issues naming the field.
 *
 * The port is chosen either by `path` (a tty, a `/dev/serial/by-id/...` link, a socat link) or by
 * `vendorId` + `productId` (optionally `serialNumber`, `pnpId`) resolved through the binding's
 * `list()` on every (re)connect. Line settings default to 9600 8N1 without flow control.
 * `silenceTimeoutMs: 0` turns the silence watchdog off (the default); `presenceCheckMs` (default
 * 1 s) watches that an opened device path still exists.
 * Pure: no I/O, no lifecycle.
 */
import { z } from 'zod';

const usbId = (field: string) =>
  z
    .union([
      z
        .string()
        .regex(/^[0-9a-fA-F]{4}$/, `${field}: 4 hex digits, e.g. '0403' (quote it in YAML)`),
      // YAML (and env overrides) read an unquoted 0403 as the number 403: take it back as digits.
      z.number().int().min(0).max(9999),
    ])
    .transform((value) =>
      typeof value === 'number' ? String(value).padStart(4, '0') : value.toLowerCase(),
    );

export const SerialReconnectSchema = z.strictObject({
  /** First wait after a loss or a failed open. */
  initialDelayMs: z.number().int().min(1).default(500),
  /** Cap of the exponential backoff. */
  maxDelayMs: z.number().int().min(1).default(30_000),
  factor: z.number().min(1).default(2),
});

export const SerialSourceConfigSchema = z
  .strictObject({
    type: z.literal('serial'),
    /** Source name used in logs and capture references; defaults to the path or vid:pid. */
    name: z
      .string()
      .regex(/^[A-Za-z0-9._-]+$/, 'letters, digits, . _ - only')
      .optional(),
    path: z.string().min(1).optional(),
    vendorId: usbId('vendorId').optional(),
    productId: usbId('productId').optional(),
    serialNumber: z.string().min(1).optional(),
    /** The `/dev/serial/by-id/` name udev gives the device (Linux), e.g. `usb-FTDI_…-if00-port0`. */
    pnpId: z.string().min(1).optional(),
    baudRate: z.number().int().positive().default(9600),
    dataBits: z.union([z.literal(5), z.literal(6), z.literal(7), z.literal(8)]).default(8),
    parity: z.enum(['none', 'even', 'odd', 'mark', 'space']).default('none'),
    stopBits: z.union([z.literal(1), z.literal(1.5), z.literal(2)]).default(1),
    rtscts: z.boolean().default(false),
    xon: z.boolean().default(false),
    xoff: z.boolean().default(false),
    /** Exclusive open (Unix `flock`); "Cannot lock port" means another handle holds it. */
    lock: z.boolean().default(true),
    reconnect: SerialReconnectSchema.prefault({}),
    /** Reopen the port after this long without a byte; 0 = off. */
    silenceTimeoutMs: z.number().int().min(0).default(0),
    /**
     * While open, check this often that the device path (if it exists as a file) is still there;
     * catches unplugs serialport misses. 0 = off.
     */
    presenceCheckMs: z.number().int().min(0).default(1000),
    /** Bytes read but not yet consumed before reading pauses (backpressure). */
    maxBufferedBytes: z
      .number()
      .int()
      .min(1024)
      .default(8 * 1024 * 1024),
  })
  .superRefine((config, ctx) => {
    const byId =
      config.vendorId !== undefined ||
      config.productId !== undefined ||
      config.serialNumber !== undefined ||
      config.pnpId !== undefined;
    if (config.path !== undefined && byId) {
      ctx.addIssue({
        code: 'custom',
        path: ['path'],
        message: 'configure either path or vendorId/productId, not both',
      });
    } else if (
      config.path === undefined &&
      (config.vendorId === undefined || config.productId === undefined)
    ) {
      ctx.addIssue({
        code: 'custom',
        path: config.vendorId === undefined ? ['vendorId'] : ['productId'],
        message: 'configure path, or both vendorId and productId',
      });
    }
    if (config.reconnect.maxDelayMs < config.reconnect.initialDelayMs) {
      ctx.addIssue({
        code: 'custom',
        path: ['reconnect', 'maxDelayMs'],
        message: 'must be at least reconnect.initialDelayMs',
      });
    }
  });

export type SerialSourceConfig = z.output<typeof SerialSourceConfigSchema>;
export type SerialSourceConfigInput = z.input<typeof SerialSourceConfigSchema>;
export type SerialReconnectConfig = z.output<typeof SerialReconnectSchema>;

/** The name a configured source goes by when `name` is not set. */
export function serialSourceName(config: SerialSourceConfig): string {
  if (config.name !== undefined) return config.name;
  if (config.path !== undefined) return `serial:${config.path}`;
  const ids = `${config.vendorId ?? '????'}:${config.productId ?? '????'}`;
  return config.serialNumber === undefined
    ? `serial:${ids}`
    : `serial:${ids}:${config.serialNumber}`;
}
