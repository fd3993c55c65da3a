import { describe, expect, it } from 'vitest';
import { z } from 'zod';

import { SerialSourceConfigSchema, serialSourceName } from './serial-config.js';

describe('SerialSourceConfigSchema', () => {
  it('defaults to 9600 8N1, no flow control, watchdog off', () => {
    const config = SerialSourceConfigSchema.parse({ type: 'serial', path: '/dev/ttyS0' });
    expect(config).toEqual({
      type: 'serial',
      path: '/dev/ttyS0',
      baudRate: 9600,
      dataBits: 8,
      parity: 'none',
      stopBits: 1,
      rtscts: false,
      xon: false,
      xoff: false,
      lock: true,
      reconnect: { initialDelayMs: 500, maxDelayMs: 30_000, factor: 2 },
      silenceTimeoutMs: 0,
      presenceCheckMs: 1000,
      maxBufferedBytes: 8 * 1024 * 1024,
    });
    expect(serialSourceName(config)).toBe('serial:/dev/ttyS0');
  });

  it('takes vendor and product ids, lower-cased; numbers from YAML become 4 digits', () => {
    const config = SerialSourceConfigSchema.parse({
      type: 'serial',
      vendorId: '067B',
      productId: 2303,
      serialNumber: 'A50285BI',
      baudRate: 19200,
      parity: 'even',
      dataBits: 7,
      stopBits: 2,
      rtscts: true,
      reconnect: { maxDelayMs: 5000 },
    });
    expect(config.vendorId).toBe('067b');
    expect(config.productId).toBe('2303');
    expect(config.reconnect).toEqual({ initialDelayMs: 500, maxDelayMs: 5000, factor: 2 });
    expect(serialSourceName(config)).toBe('serial:067b:2303:A50285BI');
    expect(serialSourceName({ ...config, name: 'till-1' })).toBe('till-1');
  });

  it.each([
    [{ type: 'serial' }, 'vendorId', 'configure path, or both vendorId and productId'],
    [
      { type: 'serial', vendorId: '0403' },
      'productId',
      'configure path, or both vendorId and productId',
    ],
    [
      { type: 'serial', path: '/dev/ttyS0', vendorId: '0403', productId: '6001' },
      'path',
      'configure either path or vendorId/productId, not both',
    ],
    [{ type: 'serial', path: '/dev/ttyS0', baudRate: 0 }, 'baudRate', ''],
    [{ type: 'serial', path: '/dev/ttyS0', dataBits: 9 }, 'dataBits', ''],
    [{ type: 'serial', path: '/dev/ttyS0', stopBits: 3 }, 'stopBits', ''],
    [{ type: 'serial', path: '/dev/ttyS0', parity: 'yes' }, 'parity', ''],
    [{ type: 'serial', vendorId: 'xyz', productId: '6001' }, 'vendorId', '4 hex digits'],
    [{ type: 'serial', path: '/dev/ttyS0', speed: 9600 }, '', 'speed'],
    [
      { type: 'serial', path: '/dev/ttyS0', reconnect: { initialDelayMs: 1000, maxDelayMs: 10 } },
      'reconnect.maxDelayMs',
      'at least',
    ],
  ])('rejects %j at %s', (input, path, message) => {
    const result = SerialSourceConfigSchema.safeParse(input);
    expect(result.success).toBe(false);
    const issues = result.error?.issues ?? [];
    expect(issues.map((issue) => issue.path.join('.'))).toContain(path);
    expect(JSON.stringify(issues)).toContain(message);
  });

  it('converts to JSON Schema for the published terminal config schema', () => {
    const schema = z.toJSONSchema(SerialSourceConfigSchema, {
      io: 'input',
      unrepresentable: 'any',
    });
    expect(schema).toMatchObject({ type: 'object', required: ['type'] });
  });
});
