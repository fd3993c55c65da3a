/**
 * ESC/POS command table: how many bytes each command takes and what it means for text extraction
 * and receipt boundaries. Pure data plus small pure functions, no state of its own.
 *
 * Inputs: a prefix byte (ESC, GS, FS or DLE), the command byte, and then the parameter bytes read
 * so far. Outputs: {@link lookupCommand} returns a {@link CommandSpec} (or `undefined` for an
 * unknown command); `spec.next(params, ctx)` says what the parser needs next: one more parameter
 * byte, a payload of a declared length to skip (optionally kept as a QR / barcode payload), bytes up
 * to a NUL, or "done" with an optional effect (cut, feed, code page, ...).
 * Errors: never throws; malformed parameters end the command early with a warning effect.
 * Lifecycle: module-level constants; the parser in `escpos-step.ts` owns all state.
 *
 * Dialect notes (all seen in the escpos-php and escpos-buffer captures):
 * - `GS V m [n]`: m in {0,1,48,49} has no n; m in {65,66,97,98,103,104} has n.
 * - `ESC w` is a full cut (Elgin, Diebold "TSP-143"), but Daruma uses `ESC w 0|1` for double
 *   height: a following 0x00/0x01/'0'/'1' is taken as that parameter, anything else (or a pause /
 *   end of stream) makes it a cut. The same one-byte look-ahead decides `ESC E [n]` (Elgin, Daruma
 *   and Bematech send a bare `ESC E` for bold) and `ESC p [m t1 t2]` (Daruma's bare drawer kick).
 * - `ESC d n` feeds n lines, except in Star line mode (`star: true`) where it is a cut.
 * - `ESC W` takes 8 parameters in page mode (print area) and 1 otherwise (Elgin double width).
 * - `ESC & y c1 c2 ...` defines characters when y is 1–3; Diebold's drawer kick `ESC & 0 t1 t2`
 *   is 3 parameters.
 * - Vendor QR commands: Daruma `ESC 0x81 pL pH s e data`, Bematech `GS k Q e s v c pL pH data NUL`,
 *   Elgin `GS k 0x0B "MA," data NUL`.
 */
import type { EscposCodeKind } from './escpos-types.js';

export const ESC = 0x1b;
export const GS = 0x1d;
export const FS = 0x1c;
export const DLE = 0x10;

/** Something a finished command changes beyond consuming its bytes. */
export type CommandEffect =
  | { readonly type: 'initialize' }
  | { readonly type: 'select-code-page'; readonly n: number }
  | { readonly type: 'feed-lines'; readonly n: number }
  | { readonly type: 'feed-dots'; readonly n: number }
  | { readonly type: 'cut'; readonly label: string }
  | { readonly type: 'page-mode'; readonly on: boolean }
  /** A raster image or stored graphic was printed. */
  | { readonly type: 'graphic' }
  | { readonly type: 'warning'; readonly message: string };

/** A payload that is kept as receipt metadata (QR / PDF417 / barcode data). */
export interface CodeCapture {
  readonly kind: EscposCodeKind;
  readonly symbology?: string;
  /** Elgin's `GS k 0x0B` QR: the payload is `<level><mode>,<data>`; keep what follows the comma. */
  readonly afterComma?: boolean;
}

export type CommandNeed =
  | { readonly type: 'param' }
  | { readonly type: 'payload'; readonly length: number; readonly capture?: CodeCapture }
  | { readonly type: 'until-nul'; readonly max: number; readonly capture?: CodeCapture }
  | {
      readonly type: 'done';
      readonly effect?: CommandEffect;
      /** The last parameter byte read is not part of this command: parse it again as input. */
      readonly reprocessLast?: boolean;
    };

export interface CommandContext {
  readonly star: boolean;
  readonly pageMode: boolean;
  /** Payloads (or NUL-terminated runs) of this command already consumed. */
  readonly payloadsDone: number;
  /** No further byte is coming for now (idle pause or end of stream): resolve optional parameters. */
  readonly boundary: boolean;
}

export interface CommandSpec {
  /** e.g. `ESC t`, `GS ( k`. */
  readonly name: string;
  readonly next: (params: readonly number[], ctx: CommandContext) => CommandNeed;
}

const PARAM: CommandNeed = { type: 'param' };
const DONE: CommandNeed = { type: 'done' };
const GRAPHIC_PRINTED: CommandNeed = { type: 'done', effect: { type: 'graphic' } };

function done(effect: CommandEffect): CommandNeed {
  return { type: 'done', effect };
}

function byteAt(params: readonly number[], index: number): number {
  return params[index] ?? 0;
}

function word(params: readonly number[], index: number): number {
  return byteAt(params, index) + byteAt(params, index + 1) * 0x100;
}

/** A command with `count` parameter bytes and an optional effect computed from them. */
function fixed(
  name: string,
  count: number,
  effect?: (params: readonly number[]) => CommandEffect,
): CommandSpec {
  return {
    name,
    next: (params) => {
      if (params.length < count) return PARAM;
      return effect === undefined ? DONE : done(effect(params));
    },
  };
}

/** `<fn> pL pH d1...dk` with k = pL + pH * 256 (GS ( X, ESC ( X, FS ( X). */
function lengthPrefixed(prefix: string): CommandSpec {
  return {
    name: `${prefix} (`,
    next: (params, ctx) => {
      if (ctx.payloadsDone > 0) return DONE;
      if (params.length < 3) return PARAM;
      return { type: 'payload', length: word(params, 1) };
    },
  };
}

const TWO_D_CODES = new Map<number, CodeCapture>([
  [0x30, { kind: 'pdf417' }],
  [0x31, { kind: 'qr' }],
  [0x32, { kind: 'barcode', symbology: 'MAXICODE' }],
  [0x33, { kind: 'barcode', symbology: 'GS1 DATABAR 2D' }],
  [0x35, { kind: 'barcode', symbology: 'AZTEC' }],
  [0x36, { kind: 'barcode', symbology: 'DATAMATRIX' }],
]);

/** `GS ( L` functions that print graphics: 50 (print buffered graphics), 69 (print NV graphics). */
const GRAPHICS_PRINT_FUNCTIONS = new Set([0x32, 0x45]);

/**
 * `GS ( fn pL pH ...`. For `GS ( k` the first three payload bytes (cn fn m) are read as parameters
 * so that "store symbol data" (fn = 0x50 '80') can keep the data; for `GS ( L` the first two (m fn)
 * so that printing a graphic counts as printed content.
 */
const GS_PAREN: CommandSpec = {
  name: 'GS (',
  next: (params, ctx) => {
    if (params.length < 3) return PARAM;
    const length = word(params, 1);
    if (params[0] === 0x4c) {
      const header = Math.min(length, 2);
      if (params.length < 3 + header) return PARAM;
      if (ctx.payloadsDone > 0 || length === header) {
        return header === 2 && GRAPHICS_PRINT_FUNCTIONS.has(byteAt(params, 4))
          ? GRAPHIC_PRINTED
          : DONE;
      }
      return { type: 'payload', length: length - header };
    }
    if (ctx.payloadsDone > 0) return DONE;
    if (params[0] !== 0x6b) return { type: 'payload', length };
    const header = Math.min(length, 3);
    if (params.length < 3 + header) return PARAM;
    const capture =
      header === 3 && params[4] === 0x50 ? TWO_D_CODES.get(byteAt(params, 3)) : undefined;
    const rest = length - header;
    return capture === undefined
      ? { type: 'payload', length: rest }
      : { type: 'payload', length: rest, capture };
  },
};

/** `GS 8 fn p1 p2 p3 p4 d1...dk` with a 32-bit length (large graphics). */
const GS_EIGHT: CommandSpec = {
  name: 'GS 8',
  next: (params, ctx) => {
    if (ctx.payloadsDone > 0) return DONE;
    if (params.length < 5) return PARAM;
    const length = word(params, 1) + word(params, 3) * 0x10000;
    return { type: 'payload', length };
  },
};

/** `GS v 0 m xL xH yL yH d1...dk`, k = x * y (raster bit image). */
const GS_V_ZERO: CommandSpec = {
  name: 'GS v',
  next: (params, ctx) => {
    if (ctx.payloadsDone > 0) return GRAPHIC_PRINTED;
    if (params.length < 6) return PARAM;
    return { type: 'payload', length: word(params, 2) * word(params, 4) };
  },
};

/** `ESC * m nL nH d1...dk`: k = n for 8-dot modes (m 0, 1), 3n for 24-dot modes (m 32, 33). */
const ESC_STAR: CommandSpec = {
  name: 'ESC *',
  next: (params, ctx) => {
    if (ctx.payloadsDone > 0) return GRAPHIC_PRINTED;
    if (params.length < 3) return PARAM;
    const columns = word(params, 1);
    return { type: 'payload', length: byteAt(params, 0) >= 32 ? columns * 3 : columns };
  },
};

/** `GS * x y d1...dk`, k = x * y * 8 (define downloaded bit image). */
const GS_STAR: CommandSpec = {
  name: 'GS *',
  next: (params, ctx) => {
    if (ctx.payloadsDone > 0) return DONE;
    if (params.length < 2) return PARAM;
    return { type: 'payload', length: byteAt(params, 0) * byteAt(params, 1) * 8 };
  },
};

/**
 * `ESC & y c1 c2 [x1 d...] ... [xk d...]`: for each character c1..c2, a width x and y * x bytes.
 * With y outside 1–3 it is Diebold's drawer kick `ESC & m t1 t2` (3 parameters).
 */
const ESC_AMPERSAND: CommandSpec = {
  name: 'ESC &',
  next: (params, ctx) => {
    if (params.length < 3) return PARAM;
    const y = byteAt(params, 0);
    if (y < 1 || y > 3) return DONE;
    const first = byteAt(params, 1);
    const last = byteAt(params, 2);
    if (first < 0x20 || last > 0x7e || last < first) {
      return done({ type: 'warning', message: `ESC & with character range ${first}..${last}` });
    }
    const widthsRead = params.length - 3;
    if (widthsRead > ctx.payloadsDone) {
      return { type: 'payload', length: y * byteAt(params, params.length - 1) };
    }
    return widthsRead < last - first + 1 ? PARAM : DONE;
  },
};

const BARCODE_A = [
  'UPC-A',
  'UPC-E',
  'JAN13 (EAN13)',
  'JAN8 (EAN8)',
  'CODE39',
  'ITF',
  'CODABAR (NW-7)',
];
const BARCODE_B = [
  ...BARCODE_A,
  'CODE93',
  'CODE128',
  'GS1-128',
  'GS1 DATABAR OMNIDIRECTIONAL',
  'GS1 DATABAR TRUNCATED',
  'GS1 DATABAR LIMITED',
  'GS1 DATABAR EXPANDED',
  'CODE128 AUTO',
];
const MAX_BARCODE_BYTES = 255;
const MAX_QR_BYTES = 8192;

/**
 * `GS k m ...`: function A (m 0–6) is NUL-terminated, function B (m 65–79) has a length byte.
 * Vendor forms: Bematech QR `GS k Q e s v c pL pH data NUL`, Elgin QR `GS k 0x0B "MA," data NUL`.
 * Other m below 65 are read as NUL-terminated, other m from 65 up with a length byte.
 */
const GS_K: CommandSpec = {
  name: 'GS k',
  next: (params, ctx) => {
    if (ctx.payloadsDone > 0) return DONE;
    if (params.length < 1) return PARAM;
    const m = byteAt(params, 0);
    if (m === 0x51) {
      if (params.length < 7) return PARAM;
      return { type: 'until-nul', max: MAX_QR_BYTES, capture: { kind: 'qr' } };
    }
    if (m === 0x0b) {
      return { type: 'until-nul', max: MAX_QR_BYTES, capture: { kind: 'qr', afterComma: true } };
    }
    if (m < 65) {
      const symbology = BARCODE_A[m] ?? `GS k ${m}`;
      return { type: 'until-nul', max: MAX_BARCODE_BYTES, capture: { kind: 'barcode', symbology } };
    }
    if (params.length < 2) return PARAM;
    const symbology = BARCODE_B[m - 65] ?? `GS k ${m}`;
    return { type: 'payload', length: byteAt(params, 1), capture: { kind: 'barcode', symbology } };
  },
};

/** Daruma QR: `ESC 0x81 pL pH size level data`, pL + pH * 256 = data length + 2. */
const ESC_DARUMA_QR: CommandSpec = {
  name: 'ESC 0x81',
  next: (params, ctx) => {
    if (ctx.payloadsDone > 0) return DONE;
    if (params.length < 2) return PARAM;
    const length = word(params, 0);
    if (length < 2) return { type: 'payload', length };
    if (params.length < 4) return PARAM;
    return { type: 'payload', length: length - 2, capture: { kind: 'qr' } };
  },
};

const CUT_WITHOUT_FEED = new Set([0, 1, 48, 49]);
const CUT_WITH_FEED = new Set([65, 66, 97, 98, 103, 104]);

/** `GS V m [n]`, consumed whole. */
const GS_V: CommandSpec = {
  name: 'GS V',
  next: (params) => {
    if (params.length < 1) return PARAM;
    const m = byteAt(params, 0);
    if (CUT_WITH_FEED.has(m)) {
      if (params.length < 2) return PARAM;
      return done({ type: 'cut', label: `GS V ${m} ${byteAt(params, 1)}` });
    }
    if (!CUT_WITHOUT_FEED.has(m)) {
      return done({ type: 'cut', label: `GS V ${m} (unknown mode)` });
    }
    return done({ type: 'cut', label: `GS V ${m}` });
  },
};

const FLAG_VALUES = new Set([0, 1, 0x30, 0x31]);

/**
 * A command whose parameter bytes are optional: read when the first one is in `accepted`, else the
 * bare command ends and that byte is parsed again. At a pause / end the bare form applies.
 */
function optionalParams(
  spec: { name: string; accepted: ReadonlySet<number>; count: number },
  effects: { bare?: CommandEffect; full?: CommandEffect },
): CommandSpec {
  const bare: CommandNeed = effects.bare === undefined ? DONE : done(effects.bare);
  const full: CommandNeed = effects.full === undefined ? DONE : done(effects.full);
  return {
    name: spec.name,
    next: (params, ctx) => {
      if (params.length === 0) return ctx.boundary ? bare : PARAM;
      if (!spec.accepted.has(byteAt(params, 0))) return { ...bare, reprocessLast: true };
      return params.length < spec.count ? PARAM : full;
    },
  };
}

const ESC_W_CUT = optionalParams(
  { name: 'ESC w', accepted: FLAG_VALUES, count: 1 },
  { bare: { type: 'cut', label: 'ESC w' } },
);
const ESC_E_BOLD = optionalParams({ name: 'ESC E', accepted: FLAG_VALUES, count: 1 }, {});
const ESC_P_DRAWER = optionalParams({ name: 'ESC p', accepted: FLAG_VALUES, count: 3 }, {});

/** `ESC D n1 ... nk NUL` (horizontal tab positions, k <= 32). */
const ESC_D_TABS: CommandSpec = {
  name: 'ESC D',
  next: (_params, ctx) => (ctx.payloadsDone > 0 ? DONE : { type: 'until-nul', max: 33 }),
};

/** `ESC GS t n` / `ESC GS a n` (Star code page and alignment; Star mode only). */
const ESC_GS: CommandSpec = {
  name: 'ESC GS',
  next: (params) => {
    if (params.length < 1) return PARAM;
    const sub = byteAt(params, 0);
    if (sub !== 0x74 && sub !== 0x61) {
      return done({ type: 'warning', message: `unknown command ESC GS 0x${hex(sub)}` });
    }
    if (params.length < 2) return PARAM;
    return sub === 0x74
      ? done({
          type: 'warning',
          message: `Star code page ESC GS t ${byteAt(params, 1)} is not decoded`,
        })
      : DONE;
  },
};

/** `GS C` counter commands: `GS C 0 n m`, `GS C 1 aL aH bL bH n r`, `GS C 2 nL nH`. */
const GS_C: CommandSpec = {
  name: 'GS C',
  next: (params) => {
    if (params.length < 1) return PARAM;
    const sub = byteAt(params, 0) & 0x0f;
    const extra = sub === 0 || sub === 2 ? 2 : sub === 1 ? 6 : -1;
    if (extra < 0)
      return done({ type: 'warning', message: `unknown command GS C 0x${hex(byteAt(params, 0))}` });
    return params.length < 1 + extra ? PARAM : DONE;
  },
};

/** `DLE DC4 fn ...`: fn 1–3 take 2 more bytes, fn 7 one, fn 8 seven. */
const DLE_DC4: CommandSpec = {
  name: 'DLE DC4',
  next: (params) => {
    if (params.length < 1) return PARAM;
    const fn = byteAt(params, 0);
    const extra = fn >= 1 && fn <= 3 ? 2 : fn === 7 ? 1 : fn === 8 ? 7 : 0;
    return params.length < 1 + extra ? PARAM : DONE;
  },
};

function hex(byte: number): string {
  return byte.toString(16).toUpperCase().padStart(2, '0');
}

function commandName(prefix: string, byte: number): string {
  return byte > 0x20 && byte < 0x7f
    ? `${prefix} ${String.fromCharCode(byte)}`
    : `${prefix} 0x${hex(byte)}`;
}

type Table = ReadonlyMap<number, CommandSpec>;

function table(
  prefix: string,
  entries: readonly (readonly [string | number, number | CommandSpec])[],
): Table {
  const map = new Map<number, CommandSpec>();
  for (const [key, value] of entries) {
    const byte = typeof key === 'number' ? key : key.charCodeAt(0);
    map.set(byte, typeof value === 'number' ? fixed(commandName(prefix, byte), value) : value);
  }
  return map;
}

const ESC_TABLE: Table = table('ESC', [
  [0x0c, 0], // ESC FF: print data in page mode
  [0x0f, 0], // ESC SI: condensed (ESC/P style)
  [0x07, 2], // ESC BEL n1 n2: Star drawer pulse width
  [' ', 1],
  ['!', 1],
  ['$', 2],
  ['%', 1],
  ['&', ESC_AMPERSAND],
  ['(', lengthPrefixed('ESC')],
  ['*', ESC_STAR],
  ['-', 1],
  ['0', 0],
  ['2', 0],
  ['3', 1],
  ['4', 0],
  ['5', 0],
  ['=', 1],
  ['?', 1],
  ['@', fixed('ESC @', 0, () => ({ type: 'initialize' }))],
  ['D', ESC_D_TABS],
  ['E', ESC_E_BOLD],
  ['F', 0],
  ['G', 1],
  ['J', fixed('ESC J', 1, (p) => ({ type: 'feed-dots', n: byteAt(p, 0) }))],
  ['K', 1],
  ['L', fixed('ESC L', 0, () => ({ type: 'page-mode', on: true }))],
  ['M', 1],
  ['Q', 1],
  ['R', 1],
  ['S', fixed('ESC S', 0, () => ({ type: 'page-mode', on: false }))],
  ['T', 1],
  ['U', 1],
  ['V', 1],
  ['\\', 2],
  ['a', 1],
  ['c', 2],
  ['e', 1],
  ['f', 2],
  ['h', 1],
  ['j', 1],
  ['l', 1],
  ['m', fixed('ESC m', 0, () => ({ type: 'cut', label: 'ESC m' }))],
  ['p', ESC_P_DRAWER],
  ['r', 1],
  ['t', fixed('ESC t', 1, (p) => ({ type: 'select-code-page', n: byteAt(p, 0) }))],
  ['u', 1],
  ['v', 1],
  ['w', ESC_W_CUT],
  ['z', 1],
  ['{', 1],
  [0x81, ESC_DARUMA_QR],
]);

/** Commands whose meaning differs in Star line mode or page mode. */
const ESC_D_FEED = fixed('ESC d', 1, (p) => ({ type: 'feed-lines', n: byteAt(p, 0) }));
const ESC_D_STAR_CUT = fixed('ESC d', 1, (p) => ({ type: 'cut', label: `ESC d ${byteAt(p, 0)}` }));
const ESC_I_CUT = fixed('ESC i', 0, () => ({ type: 'cut', label: 'ESC i' }));
const ESC_I_STAR = fixed('ESC i', 2);
const ESC_E_STAR = fixed('ESC E', 0);
const ESC_A_STAR_FEED = fixed('ESC a', 1, (p) => ({ type: 'feed-lines', n: byteAt(p, 0) }));
const ESC_W_PAGE = fixed('ESC W', 8);
const ESC_W_EXPAND = fixed('ESC W', 1);

const GS_TABLE: Table = table('GS', [
  ['!', 1],
  ['$', 2],
  ['(', GS_PAREN],
  ['*', GS_STAR],
  ['/', fixed('GS /', 1, () => ({ type: 'graphic' }))],
  ['8', GS_EIGHT],
  [':', 0],
  ['B', 1],
  ['C', GS_C],
  ['E', 1],
  ['H', 1],
  ['I', 1],
  ['L', 2],
  ['P', 2],
  ['T', 1],
  ['V', GS_V],
  ['W', 2],
  ['\\', 2],
  ['^', 3],
  ['a', 1],
  ['b', 1],
  ['c', 0],
  ['f', 1],
  ['g', 4],
  ['h', 1],
  ['j', 1],
  ['k', GS_K],
  ['o', 4], // Elgin QR setup: GS o 0 size 0 type
  ['r', 1],
  ['v', GS_V_ZERO],
  ['w', 1],
  [0xf9, 2], // Bematech command-set select: GS 0xF9 '5' n
]);

const FS_TABLE: Table = table('FS', [
  ['!', 1],
  ['&', 0],
  ['(', lengthPrefixed('FS')],
  ['-', 1],
  ['.', 0],
  ['2', fixed('FS 2', 74)], // c1 c2 + 72 bytes of a 24x24 Kanji glyph
  ['?', 2],
  ['C', 1],
  ['S', 2],
  ['W', 1],
  ['p', fixed('FS p', 2, () => ({ type: 'graphic' }))],
]);

const DLE_TABLE: Table = table('DLE', [
  [0x04, 1], // DLE EOT n
  [0x05, 1], // DLE ENQ n
  [0x14, DLE_DC4],
]);

/**
 * The command `prefix byte` starts, or `undefined` when it is unknown. For DLE, `undefined` means
 * the DLE was a lone control byte and `byte` is ordinary input.
 */
export function lookupCommand(
  prefix: number,
  byte: number,
  mode: { readonly star: boolean; readonly pageMode: boolean },
): CommandSpec | undefined {
  switch (prefix) {
    case ESC:
      if (byte === 0x64) return mode.star ? ESC_D_STAR_CUT : ESC_D_FEED;
      if (byte === 0x69) return mode.star ? ESC_I_STAR : ESC_I_CUT;
      if (byte === 0x45 && mode.star) return ESC_E_STAR;
      if (byte === 0x61 && mode.star) return ESC_A_STAR_FEED;
      if (byte === 0x57) return mode.pageMode && !mode.star ? ESC_W_PAGE : ESC_W_EXPAND;
      // Outside Star mode an ESC before GS is stray: the GS starts its own command.
      if (byte === GS) return mode.star ? ESC_GS : undefined;
      return ESC_TABLE.get(byte);
    case GS:
      return GS_TABLE.get(byte);
    case FS:
      return FS_TABLE.get(byte);
    case DLE:
      return DLE_TABLE.get(byte);
    default:
      return undefined;
  }
}

/** Human-readable name of an unknown command, e.g. `GS 0xF8`. */
export function unknownCommandName(prefix: number, byte: number): string {
  const name = prefix === ESC ? 'ESC' : prefix === GS ? 'GS' : prefix === FS ? 'FS' : 'DLE';
  return commandName(name, byte);
}
