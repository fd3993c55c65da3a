/**
 * `pos-ga4 devices`: the serial ports and HID interfaces this machine shows (path, vendor and
 * product id, usage page), each marked when it is probably the receipt printer tap or the
 * barcode scanner (heuristics in doctor/device-heuristics.ts).
 * Where udevadm or node-hid/libusb/hidraw access is missing it says what to install instead of
 * failing. Output: text, or one JSON object `{ serial: {...}, hid: {...} }` with `--json`.
 * Exit code: always 0 (this is a listing, not a check; `pos-ga4 doctor` checks).
 * Lifecycle: nothing stays open.
 */
import { Command } from '@commander-js/extra-typings';

import { formatDeviceListing, listDevices, systemDeviceDeps } from '../doctor/device-listing.js';
import type { DeviceListingDeps } from '../doctor/device-listing.js';

export function devicesCommand(
  setExitCode: (code: number) => void,
  deps: DeviceListingDeps = systemDeviceDeps,
) {
  return new Command('devices')
    .description(
      'List serial ports and HID devices, marking likely receipt printers and barcode scanners',
    )
    .option('--json', 'print one JSON object { serial: {...}, hid: {...} }')
    .addHelpText(
      'after',
      '\nVendor ids are hex, as lsusb prints them; put them in the terminal config as quoted strings.\n\nExamples:\n  npx pos-ga4 devices\n  npx pos-ga4 devices --json | jq \'.hid.devices[] | select(.likely == "scanner")\'',
    )
    .action(async (options) => {
      const listing = await listDevices(deps);
      process.stdout.write(
        options.json === true ? `${JSON.stringify(listing)}\n` : formatDeviceListing(listing),
      );
      setExitCode(0);
    });
}
