/**
 * Fuzzed ESC/POS printer streams for the fuzz scenario. Pure and deterministic (seeded).
 *
 * Templates: the Frischmarkt receipts of `fixtures/profiles/frischmarkt-de/` (`bar.bin`,
 * `karte.bin`; real ESC/POS commands, matched by `profiles/frischmarkt-de.yaml`), read by the
 * caller and given as bytes.
 *
 * Each stream is one template receipt with:
 * - its identity lines rewritten: `DD.MM.YYYY HH:mm   Bon-Nr.: <receipt>` and
 *   `Markt: 0815   Kasse: <till>   Bed.: 104`, so every stream has its own transaction id
 *   (`markt-0815_kasse-<till>_<yyyymmdd>_<receipt>`) and a reject can be traced back to its stream
 *   from its raw bytes; these two lines (with the line feeds around them) are never mutated;
 * - 0 mutations (15 %) or 1–4, each one of: replace a text byte, insert a byte, delete a text
 *   byte; new bytes are printable ASCII, code-page bytes (0x80–0xFF) or a line feed.
 * Only text bytes are touched, never a command byte or a command parameter, and no new byte is a
 * control byte (other than LF): so the command structure, and with it the single cut (`GS V A 3`)
 * at the end, is intact: **each stream is exactly one receipt frame** (checked in the unit test
 * with the framer). A stream therefore ends as exactly one outcome: a delivered transaction, a
 * terminal reject (reason code), or a worker dead letter.
 *
 * Errors: `textMap` throws on a command these templates do not use (a template changed).
 */

export interface FuzzIdentity {
  /** `DD.MM.YYYY`, the receipt's local date as printed. */
  readonly date: string;
  /** `HH:mm`. */
  readonly time: string;
  /** `YYYYMMDD` of the same date, as in the transaction id. */
  readonly ymd: string;
}

export interface FuzzStream {
  readonly index: number;
  readonly till: number;
  readonly receipt: number;
  readonly transactionId: string;
  readonly mutations: number;
  readonly bytes: Buffer;
}

export interface FuzzOptions {
  readonly templates: readonly Buffer[];
  readonly count: number;
  readonly tills: number;
  readonly seed: number;
  /** Receipt number of stream 0 (Bon-Nr.); stream i has `firstReceipt + i`. */
  readonly firstReceipt: number;
  readonly identity: FuzzIdentity;
}

export const FUZZ_STORE_ID = 'markt-0815';
export const fuzzTerminalId = (till: number): string => `kasse-${till}`;

const ESC = 0x1b;
const GS = 0x1d;
const LF = 0x0a;
const DATE_LINE = /\d{2}\.\d{2}\.\d{4} \d{2}:\d{2} {3}Bon-Nr\.: \d+\n/;
const STORE_LINE = /Markt: 0815 {3}Kasse: \d+ {3}Bed\.: 104\n/;

/** Which bytes of a template are text (true) and which belong to commands (false). */
export function textMap(bytes: Uint8Array): boolean[] {
  const text: boolean[] = [];
  let i = 0;
  const command = (length: number): void => {
    for (let k = 0; k < length && i < bytes.length; k++, i++) text.push(false);
  };
  while (i < bytes.length) {
    const b = bytes[i] ?? 0;
    const next = bytes[i + 1];
    if (b === ESC) {
      if (next === 0x40) command(2);
      else if (next !== undefined && [0x74, 0x61, 0x45, 0x21, 0x64].includes(next)) command(3);
      else if (next === 0x70) command(5);
      else throw new Error(`template: unexpected ESC ${String(next)} at ${i}`);
    } else if (b === GS) {
      if (next === 0x56) command(bytes[i + 2] === 65 || bytes[i + 2] === 66 ? 4 : 3);
      else if (next === 0x28 && bytes[i + 2] === 0x6b)
        command(5 + (bytes[i + 3] ?? 0) + (bytes[i + 4] ?? 0) * 256);
      else throw new Error(`template: unexpected GS ${String(next)} at ${i}`);
    } else {
      text.push(b === LF || b >= 0x20);
      i++;
    }
  }
  return text;
}

function lcg(seed: number): () => number {
  let state = Math.abs(Math.floor(seed)) % 2147483647 || 1;
  return () => {
    state = (state * 48271) % 2147483647;
    return (state - 1) / 2147483646;
  };
}

interface Cell {
  readonly byte: number;
  readonly mutable: boolean;
}

/** The template with its identity lines rewritten, as cells that say what may be mutated. */
function cellsOf(template: Buffer, identity: { dateLine: string; storeLine: string }): Cell[] {
  const latin1 = template.toString('latin1');
  const date = DATE_LINE.exec(latin1);
  const store = STORE_LINE.exec(latin1);
  if (date === null || store === null || store.index !== date.index + date[0].length)
    throw new Error('template: no date line directly followed by the Markt/Kasse line');
  const rewritten = Buffer.from(
    latin1.slice(0, date.index) +
      identity.dateLine +
      identity.storeLine +
      latin1.slice(store.index + store[0].length),
    'latin1',
  );
  // protected: the line feed before the date line through the line feed after the store line
  const from = date.index - 1;
  const to = date.index + identity.dateLine.length + identity.storeLine.length - 1;
  const text = textMap(rewritten);
  return [...rewritten].map((byte, i) => ({
    byte,
    mutable: (text[i] ?? false) && (i < from || i > to),
  }));
}

function randomByte(random: () => number): number {
  return random() < 0.1 ? LF : 0x20 + Math.floor(random() * 224);
}

function mutate(cells: Cell[], random: () => number): void {
  const positions = cells.flatMap((cell, i) => (cell.mutable ? [i] : []));
  const at = positions[Math.floor(random() * positions.length)];
  if (at === undefined) return;
  const op = random();
  if (op < 0.5) cells[at] = { byte: randomByte(random), mutable: true };
  else if (op < 0.75) cells.splice(at, 0, { byte: randomByte(random), mutable: true });
  else cells.splice(at, 1);
}

export function fuzzStreams(options: FuzzOptions): FuzzStream[] {
  const random = lcg(options.seed);
  const out: FuzzStream[] = [];
  for (let index = 0; index < options.count; index++) {
    const template = options.templates[Math.floor(random() * options.templates.length)];
    if (template === undefined) throw new RangeError('no templates');
    const till = 1 + (index % options.tills);
    const receipt = options.firstReceipt + index;
    const cells = cellsOf(template, {
      dateLine: `${options.identity.date} ${options.identity.time}   Bon-Nr.: ${receipt}\n`,
      storeLine: `Markt: 0815   Kasse: ${till}   Bed.: 104\n`,
    });
    const mutations = random() < 0.15 ? 0 : 1 + Math.floor(random() * 4);
    for (let m = 0; m < mutations; m++) mutate(cells, random);
    out.push({
      index,
      till,
      receipt,
      transactionId: `${FUZZ_STORE_ID}_${fuzzTerminalId(till)}_${options.identity.ymd}_${receipt}`,
      mutations,
      bytes: Buffer.from(cells.map((cell) => cell.byte)),
    });
  }
  return out;
}

/** The stream a rejected receipt came from, read from its raw bytes (`Kasse`, `Bon-Nr.`). */
export function streamOfRaw(
  raw: Buffer,
  ymd: string,
): { transactionId: string; till: number; receipt: number } | undefined {
  const latin1 = raw.toString('latin1');
  const receipt = / {3}Bon-Nr\.: (\d+)\n/.exec(latin1)?.[1];
  const till = /\nMarkt: 0815 {3}Kasse: (\d+) {3}Bed\.: 104\n/.exec(latin1)?.[1];
  if (receipt === undefined || till === undefined) return undefined;
  return {
    transactionId: `${FUZZ_STORE_ID}_${fuzzTerminalId(Number(till))}_${ymd}_${receipt}`,
    till: Number(till),
    receipt: Number(receipt),
  };
}

/** The printed date, time and id date of an instant in a time zone (the profile's zone). */
export function fuzzIdentityAt(instant: Date, timeZone: string): FuzzIdentity {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(instant);
  const part = (type: Intl.DateTimeFormatPartTypes): string =>
    parts.find((p) => p.type === type)?.value ?? '';
  return {
    date: `${part('day')}.${part('month')}.${part('year')}`,
    time: `${part('hour')}:${part('minute')}`,
    ymd: `${part('year')}${part('month')}${part('day')}`,
  };
}
