/**
 * Printer code pages for ESC/POS text: the character a byte prints as, for the tables selected
 * with `ESC t n`. Pure data and lookups, no I/O, no dependency.
 *
 * Inputs: an `ESC t` number, or a code page and a byte. Outputs: the {@link CodePage} for the
 * number (`undefined` when it is not supported) and the decoded character of a byte.
 * Errors: none thrown; unsupported numbers return `undefined` so the caller can keep its current
 * table and record a warning. Undefined CP1252 positions (0x81, 0x8D, 0x8F, 0x90, 0x9D) decode to
 * U+FFFD. Lifecycle: module-level constants, nothing to open or close.
 *
 * The bytes 0x20–0x7E are ASCII in every table here; only the high halves (0x80–0xFF) differ and are
 * written out below, 16 characters per row. Invisible characters are escaped (NBSP U+00A0, soft
 * hyphen U+00AD). The `ESC t` numbers are those of Epson's default profile (escpos-printer-db
 * `capabilities.json`): 0 CP437, 2 CP850, 16 CP1252, 19 CP858.
 */

/** A single-byte printer code page. */
export interface CodePage {
  /** e.g. `CP437`. */
  readonly name: string;
  /** 256 entries: the string each byte prints as (control bytes map to ''). */
  readonly chars: readonly string[];
  /** 256 entries: whether the byte prints something visible (not whitespace, not a control). */
  readonly visible: readonly boolean[];
}

/** CP437 (IBM PC, "USA: Standard Europe"), bytes 0x80–0xFF. */
const CP437_HIGH = [
  'ÇüéâäàåçêëèïîìÄÅ', // 80
  'ÉæÆôöòûùÿÖÜ¢£¥₧ƒ', // 90
  'áíóúñÑªº¿⌐¬½¼¡«»', // A0
  '░▒▓│┤╡╢╖╕╣║╗╝╜╛┐', // B0
  '└┴┬├─┼╞╟╚╔╩╦╠═╬╧', // C0
  '╨╤╥╙╘╒╓╫╪┘┌█▄▌▐▀', // D0
  'αßΓπΣσµτΦΘΩδ∞φε∩', // E0
  '≡±≥≤⌠⌡÷≈°∙·√ⁿ²■\u00a0', // F0
].join('');

/** CP850 (Multilingual Latin 1), bytes 0x80–0xFF. */
const CP850_HIGH = [
  'ÇüéâäàåçêëèïîìÄÅ', // 80
  'ÉæÆôöòûùÿÖÜø£Ø×ƒ', // 90
  'áíóúñÑªº¿®¬½¼¡«»', // A0
  '░▒▓│┤ÁÂÀ©╣║╗╝¢¥┐', // B0
  '└┴┬├─┼ãÃ╚╔╩╦╠═╬¤', // C0
  'ðÐÊËÈıÍÎÏ┘┌█▄¦Ì▀', // D0
  'ÓßÔÒõÕµþÞÚÛÙýÝ¯´', // E0
  '\u00ad±‗¾¶§÷¸°¨·¹³²■\u00a0', // F0
].join('');

/** CP858: CP850 with the euro sign at 0xD5 (where CP850 has the dotless ı). */
const CP858_HIGH = `${CP850_HIGH.slice(0, 0x55)}€${CP850_HIGH.slice(0x56)}`;

/** Windows-1252, bytes 0x80–0xFF; U+FFFD where the code page defines no character. */
const CP1252_HIGH = [
  '€\ufffd‚ƒ„…†‡ˆ‰Š‹Œ\ufffdŽ\ufffd', // 80
  '\ufffd‘’“”•–—˜™š›œ\ufffdžŸ', // 90
  '\u00a0¡¢£¤¥¦§¨©ª«¬\u00ad®¯', // A0
  '°±²³´µ¶·¸¹º»¼½¾¿', // B0
  'ÀÁÂÃÄÅÆÇÈÉÊËÌÍÎÏ', // C0
  'ÐÑÒÓÔÕÖ×ØÙÚÛÜÝÞß', // D0
  'àáâãäåæçèéêëìíîï', // E0
  'ðñòóôõö÷øùúûüýþÿ', // F0
].join('');

function buildCodePage(name: string, high: string): CodePage {
  const highChars = Array.from(high);
  if (highChars.length !== 128)
    throw new Error(`${name}: high half has ${highChars.length} entries`);
  const chars: string[] = [];
  for (let byte = 0; byte < 0x80; byte++) {
    chars.push(byte >= 0x20 && byte < 0x7f ? String.fromCharCode(byte) : '');
  }
  chars.push(...highChars);
  return { name, chars, visible: chars.map((c) => c.trim() !== '') };
}

export const CP437: CodePage = buildCodePage('CP437', CP437_HIGH);
export const CP850: CodePage = buildCodePage('CP850', CP850_HIGH);
export const CP858: CodePage = buildCodePage('CP858', CP858_HIGH);
export const CP1252: CodePage = buildCodePage('CP1252', CP1252_HIGH);

const BY_ESC_T = new Map<number, CodePage>([
  [0, CP437],
  [2, CP850],
  [16, CP1252],
  [19, CP858],
]);

/** The code page that `ESC t n` selects, or `undefined` when `n` is not supported here. */
export function codePageForEscT(n: number): CodePage | undefined {
  return BY_ESC_T.get(n);
}

/** The `ESC t` numbers supported by {@link codePageForEscT}. */
export const SUPPORTED_ESC_T: readonly number[] = [...BY_ESC_T.keys()];

/** The character `byte` prints as in `page` ('' for control bytes and DEL). */
export function decodeByte(page: CodePage, byte: number): string {
  return page.chars[byte & 0xff] ?? '';
}
