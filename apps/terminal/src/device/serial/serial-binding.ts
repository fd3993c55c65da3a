/**
 * The serialport binding types the serial adapter is written against, in one place.
 * A binding (`@serialport/bindings-interface`'s `BindingInterface`) lists ports and opens them;
 * production uses the native one (`load-system-serial-binding.ts`, the only file that imports
 * `serialport`), unit tests use `@serialport/binding-mock`'s `MockBinding`.
 * Derived from `@serialport/stream`'s declarations (the interface package ships no types for ESM
 * resolution). Types only: no runtime code, no lifecycle.
 */
import type { SerialPortStream } from '@serialport/stream';

export type SerialBinding = SerialPortStream['settings']['binding'];

export type SerialPortInfo = Awaited<ReturnType<SerialBinding['list']>>[number];
