/**
 * Serial receipt input: the public surface of `device/serial/`. `serialport` itself is loaded only
 * by `loadSystemSerialBinding()`. See docs/serial-capture.md.
 */
export { backoffDelay } from './backoff.js';
export {
  guardUdevadm,
  isOnPath,
  listSerialPorts,
  UDEVADM_MISSING_MESSAGE,
  UdevadmMissingError,
} from './list-serial-ports.js';
export type { SerialPortListResult } from './list-serial-ports.js';
export { loadSystemSerialBinding } from './load-system-serial-binding.js';
export type { SystemSerialBindingResult } from './load-system-serial-binding.js';
export {
  BY_ID_DIR,
  matchSerialPorts,
  resolveSerialPath,
  stablePath,
} from './resolve-serial-path.js';
export type {
  ResolveSerialPathOptions,
  ResolveSerialPathResult,
  SerialPortSelector,
} from './resolve-serial-path.js';
export type { SerialBinding, SerialPortInfo } from './serial-binding.js';
export { SerialByteSource } from './serial-byte-source.js';
export type {
  CaptureSink,
  SerialByteSourceOptions,
  SerialStateListener,
} from './serial-byte-source.js';
export { systemClock } from './serial-clock.js';
export type { SerialClock } from './serial-clock.js';
export {
  SerialReconnectSchema,
  SerialSourceConfigSchema,
  serialSourceName,
} from './serial-config.js';
export type {
  SerialReconnectConfig,
  SerialSourceConfig,
  SerialSourceConfigInput,
} from './serial-config.js';
export type {
  SerialDeviceError,
  SerialDeviceErrorKind,
  SerialDeviceState,
  SerialDeviceStatus,
} from './serial-device-state.js';
