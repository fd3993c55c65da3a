import { describe, expect, it } from 'vitest';

import { RequestSlots } from './request-slots.js';

describe('RequestSlots', () => {
  it('hands out at most `limit` slots and takes them back', () => {
    const slots = new RequestSlots(2);
    expect([slots.tryAcquire(), slots.tryAcquire(), slots.tryAcquire()]).toEqual([
      true,
      true,
      false,
    ]);
    expect(slots.inUse).toBe(2);
    expect(slots.free).toBe(0);
    slots.release();
    expect(slots.free).toBe(1);
    expect(slots.tryAcquire()).toBe(true);
    slots.release();
    slots.release();
    slots.release(); // an extra release never goes below zero
    expect(slots.inUse).toBe(0);
    expect(slots.free).toBe(2);
  });

  it('rejects a limit that is not a positive integer', () => {
    expect(() => new RequestSlots(0)).toThrow(/positive integer/);
  });
});
