/**
 * The real `HidDeviceProvider`, over node-hid v3 (`HIDAsync`). The ONLY file that loads node-hid,
 * and only with a dynamic `import('node-hid')` on the first `list()` / `open()`, so a terminal
 * without a HID scanner never loads it (nor libudev / libusb, which its native binding links).
 *
 * Inputs: `driverType` ('hidraw' default | 'libusb'; Linux only, see docs/hid-scanners.md; it is
 * process-wide in node-hid and only takes effect before the binding's first use), `nonExclusive`
 * (macOS: open without exclusive access).
 * Outputs: `list()` → `HidDeviceInfo[]` (fields node-hid leaves undefined are omitted);
 * `open(info)` → a `HidDevice` (by `path` when known, else by vendorId/productId) whose `'data'`
 * and `'error'` events are node-hid's and whose `close()` is idempotent and never rejects.
 * Errors: `list()` / `open()` reject with `HidUnavailableError` when node-hid or its native
 * binding cannot be loaded (the message names the libraries to install), and with node-hid's own
 * error when a device cannot be opened (e.g. no permission on /dev/hidrawN). Never stub node-hid
 * in tests: use the testkit fake behind the same port.
 * Lifecycle: stateless apart from the cached module; each opened device must be closed.
 */
import type { Buffer } from 'node:buffer';

// Type-only: erased at run time; the module itself is loaded by `import('node-hid')` below.
import type * as NodeHidModule from 'node-hid';

import type { HidDevice, HidDeviceInfo, HidDeviceProvider } from './hid-device.js';

type NodeHid = typeof NodeHidModule;
type NodeHidDevice = Awaited<ReturnType<NodeHid['HIDAsync']['open']>>;

export type HidDriverType = 'hidraw' | 'libusb';

export interface NodeHidProviderOptions {
  readonly driverType?: HidDriverType;
  readonly nonExclusive?: boolean;
}

export class HidUnavailableError extends Error {
  override readonly name = 'HidUnavailableError';
}

const NATIVE_HINT =
  'node-hid needs its native binding and, on Linux, libudev.so.1 and libusb-1.0.so.0 ' +
  '(Debian/Ubuntu: apt-get install libudev1 libusb-1.0-0); see docs/hid-scanners.md';

function looksLikeLoadFailure(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  return (
    code === 'ERR_MODULE_NOT_FOUND' ||
    code === 'MODULE_NOT_FOUND' ||
    code === 'ERR_DLOPEN_FAILED' ||
    /Failed to find binding|cannot open shared object|dlopen/i.test(error.message)
  );
}

function unavailable(error: unknown): unknown {
  if (!looksLikeLoadFailure(error)) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new HidUnavailableError(`cannot load node-hid: ${message}. ${NATIVE_HINT}`, {
    cause: error,
  });
}

function toInfo(device: Awaited<ReturnType<NodeHid['devicesAsync']>>[number]): HidDeviceInfo {
  const optional = {
    path: device.path,
    serialNumber: device.serialNumber,
    manufacturer: device.manufacturer,
    product: device.product,
    release: device.release,
    interface: device.interface,
    usagePage: device.usagePage,
    usage: device.usage,
  };
  const defined = Object.fromEntries(
    Object.entries(optional).filter(([, value]) => value !== undefined),
  ) as Partial<HidDeviceInfo>;
  return { ...defined, vendorId: device.vendorId, productId: device.productId };
}

class NodeHidDeviceAdapter implements HidDevice {
  readonly #device: NodeHidDevice;
  #closed: Promise<void> | undefined;

  constructor(device: NodeHidDevice) {
    this.#device = device;
  }

  on(event: 'data', listener: (report: Buffer) => void): void;
  on(event: 'error', listener: (error: Error) => void): void;
  on(event: 'data' | 'error', listener: ((report: Buffer) => void) | ((error: Error) => void)) {
    this.#device.on(event, listener);
  }

  close(): Promise<void> {
    this.#closed ??= this.#device.close().catch(() => undefined);
    return this.#closed;
  }
}

export function nodeHidProvider(options: NodeHidProviderOptions = {}): HidDeviceProvider {
  let loading: Promise<NodeHid> | undefined;
  const load = (): Promise<NodeHid> => {
    loading ??= import('node-hid').then((hid) => {
      if (options.driverType !== undefined && process.platform === 'linux') {
        hid.setDriverType(options.driverType);
      }
      return hid;
    });
    return loading;
  };
  const openOptions =
    options.nonExclusive === undefined ? {} : { nonExclusive: options.nonExclusive };

  return {
    async list() {
      try {
        const hid = await load();
        return (await hid.devicesAsync()).map(toInfo);
      } catch (error) {
        throw unavailable(error);
      }
    },
    async open(info) {
      let hid: NodeHid;
      try {
        hid = await load();
      } catch (error) {
        throw unavailable(error);
      }
      try {
        const device =
          info.path === undefined
            ? await hid.HIDAsync.open(info.vendorId, info.productId, openOptions)
            : await hid.HIDAsync.open(info.path, openOptions);
        return new NodeHidDeviceAdapter(device);
      } catch (error) {
        throw unavailable(error);
      }
    },
  };
}
