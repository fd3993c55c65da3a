import { describe, expect, it } from 'vitest';

import { splitRequestBodies } from './request-bodies.js';

describe('splitRequestBodies', () => {
  const a = '{"client_id":"1.2","events":[]}';
  const b = '{"client_id":"3.4","events":[]}';

  it('reads a single-line body as one body', () => {
    expect(splitRequestBodies(`${a}\n`)).toEqual({
      bodies: [{ line: 1, text: `${a}\n` }],
      jsonLines: false,
    });
  });

  it('reads a pretty-printed body as one body, not as lines', () => {
    const pretty = JSON.stringify(JSON.parse(a), null, 2);
    expect(splitRequestBodies(pretty)).toEqual({
      bodies: [{ line: 1, text: pretty }],
      jsonLines: false,
    });
  });

  it('reads JSON lines as one body per non-blank line, numbered by input line', () => {
    expect(splitRequestBodies(`${a}\n\n${b}\r\nnot json\n`)).toEqual({
      bodies: [
        { line: 1, text: a },
        { line: 3, text: b },
        { line: 4, text: 'not json' },
      ],
      jsonLines: true,
    });
  });

  it('keeps a broken pretty-printed body whole, so it gets one syntax error', () => {
    const broken = '{\n  "client_id": "1.2",\n  "events": [\n}';
    expect(splitRequestBodies(broken)).toEqual({
      bodies: [{ line: 1, text: broken }],
      jsonLines: false,
    });
  });

  it('keeps empty input as one (empty) body', () => {
    expect(splitRequestBodies('')).toEqual({ bodies: [{ line: 1, text: '' }], jsonLines: false });
  });
});
