/**
 * Configuration of a HID barcode scanner source (`sources: [{ type: hid, … }]` in the terminal
 * config), validated by zod; `buildHidScanSource` turns it into a running `HidScanSource`.
 *
 * Input (YAML/JSON): `device` selector (`vendorId`/`productId` as numbers or 4 hex digits as lsusb
 * prints them, `path`, `usagePage`/`usage`, `serialNumber`, `interface`), `mode` keyboard | pos,
 * `layout` (keyboard mode: the scanner's "keyboard country"), `terminators`, `interScanTimeoutMs`,
 * `reportId` (keyboard reports with a leading report id byte), `driver` hidraw | libusb (Linux).
 * Output: `HidScannerSourceConfig` with defaults filled in.
 * Errors: zod issues naming the field (an empty or inconsistent selector is rejected).
 * Lifecycle: pure data.
 */
import { z } from 'zod';

import { KEYBOARD_LAYOUT_NAMES } from '../../scan/index.js';
import { validateHidSelector } from './hid-device-selector.js';

const UsbId = z.union([
  z.number().int().min(0).max(0xffff),
  z
    .string()
    .regex(/^(0x)?[0-9a-fA-F]{1,4}$/, 'expected a number or up to 4 hex digits like 0c2e')
    .transform((hex) => Number.parseInt(hex.replace(/^0x/, ''), 16)),
]);

export const HidDeviceSelectorSchema = z
  .strictObject({
    vendorId: UsbId.optional(),
    productId: UsbId.optional(),
    path: z.string().min(1).optional(),
    usagePage: UsbId.optional(),
    usage: UsbId.optional(),
    serialNumber: z.string().min(1).optional(),
    interface: z.number().int().min(0).optional(),
  })
  .superRefine((selector, ctx) => {
    const defined = Object.fromEntries(
      Object.entries(selector).filter(([, value]) => value !== undefined),
    );
    try {
      validateHidSelector(defined);
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: (error as Error).message });
    }
  });

export const HidScannerSourceSchema = z.strictObject({
  type: z.literal('hid'),
  device: HidDeviceSelectorSchema,
  mode: z.enum(['keyboard', 'pos']).default('keyboard'),
  layout: z.enum(KEYBOARD_LAYOUT_NAMES).default('us'),
  terminators: z.array(z.enum(['enter', 'tab'])).default(['enter']),
  interScanTimeoutMs: z.number().int().positive().default(100),
  reportId: z.number().int().min(0).max(255).optional(),
  driver: z.enum(['hidraw', 'libusb']).default('hidraw'),
});

export type HidScannerSourceConfig = z.output<typeof HidScannerSourceSchema>;
