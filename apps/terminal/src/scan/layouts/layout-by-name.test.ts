import { describe, expect, it } from 'vitest';

import { DE_LAYOUT } from './de.js';
import {
  isKeyboardLayoutName,
  KEYBOARD_LAYOUT_NAMES,
  keyboardLayoutByName,
} from './layout-by-name.js';
import { US_LAYOUT } from './us.js';

describe('keyboardLayoutByName', () => {
  it('knows us and de, and nothing else', () => {
    expect(KEYBOARD_LAYOUT_NAMES).toEqual(['us', 'de']);
    expect(keyboardLayoutByName('us')).toBe(US_LAYOUT);
    expect(keyboardLayoutByName('de')).toBe(DE_LAYOUT);
    expect(keyboardLayoutByName('fr')).toBeUndefined();
    expect(isKeyboardLayoutName('toString')).toBe(false);
  });
});
