/**
 * Finds keys that appear twice in one JSON object of a request body. `JSON.parse` silently keeps
 * the last one; GA4 reports `NAME_DUPLICATED`. Pure; a small scanner that only tracks object keys
 * and paths. Returns [] for text that is not valid JSON (the parse error is reported elsewhere).
 */
export function findDuplicateKeys(text: string): string[] {
  const found: string[] = [];
  let pos = 0;

  function skipWs(): void {
    while (pos < text.length && /\s/.test(text.charAt(pos))) pos++;
  }
  function readString(): string {
    const start = pos;
    pos++; // opening quote
    while (pos < text.length && text.charAt(pos) !== '"') pos += text.charAt(pos) === '\\' ? 2 : 1;
    pos++;
    return JSON.parse(text.slice(start, pos)) as string;
  }
  function value(path: string): void {
    skipWs();
    const ch = text.charAt(pos);
    if (ch === '{') {
      pos++;
      const seen = new Set<string>();
      skipWs();
      if (text.charAt(pos) === '}') {
        pos++;
        return;
      }
      for (;;) {
        skipWs();
        const key = readString();
        const child = path === '' ? key : `${path}.${key}`;
        if (seen.has(key)) found.push(child);
        seen.add(key);
        skipWs();
        pos++; // colon
        value(child);
        skipWs();
        if (text.charAt(pos++) === '}') return;
      }
    } else if (ch === '[') {
      pos++;
      skipWs();
      if (text.charAt(pos) === ']') {
        pos++;
        return;
      }
      for (let index = 0; ; index++) {
        value(`${path}[${index}]`);
        skipWs();
        if (text.charAt(pos++) === ']') return;
      }
    } else if (ch === '"') {
      readString();
    } else {
      while (pos < text.length && !/[\s,\]}]/.test(text.charAt(pos))) pos++;
    }
  }

  try {
    JSON.parse(text);
    value('');
  } catch {
    return [];
  }
  return found;
}
