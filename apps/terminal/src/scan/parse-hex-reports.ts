/**
 * Reads HID report captures written as hex text, one report per line (the imyelo/hid-scanner
 * fixture format: `00000b0000000000`).
 *
 * Input: the file text. Whitespace inside and around a line is ignored (`02 00 33 00 ...` works),
 * blank lines and comment lines (`#` or `//`) are skipped, and a trailing comment after a report
 * is removed. Output: one `Uint8Array` per report, in file order.
 * Errors: throws `SyntaxError` naming the line when a line is not an even number of hex digits.
 * Lifecycle: pure.
 */
export function parseHexReports(text: string): Uint8Array[] {
  const reports: Uint8Array[] = [];
  const lines = text.split(/\r?\n/);
  lines.forEach((line, index) => {
    const hex = line.replace(/(#|\/\/).*$/, '').replace(/\s+/g, '');
    if (hex === '') return;
    if (!/^(?:[0-9a-fA-F]{2})+$/.test(hex)) {
      throw new SyntaxError(`line ${index + 1}: expected an even number of hex digits`);
    }
    reports.push(Uint8Array.from(hex.match(/../g) ?? [], (pair) => Number.parseInt(pair, 16)));
  });
  return reports;
}
