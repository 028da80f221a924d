import { describe, expect, it } from 'vitest';
import { KeySlot } from './key-slot.js';
import { VaultLockedError } from './vault.errors.js';

describe('KeySlot', () => {
  it('keeps a copy, wipes it on lock and tells listeners', () => {
    const slot = new KeySlot();
    const events: boolean[] = [];
    slot.onChange((locked) => events.push(locked));
    expect(() => slot.require()).toThrow(VaultLockedError);
    const key = crypto.getRandomValues(new Uint8Array(32));
    slot.unlock(key);
    const held = slot.current()!;
    expect(held).toEqual(key);
    expect(held).not.toBe(key);
    slot.lock();
    expect(slot.current()).toBeNull();
    expect(held.every((b) => b === 0)).toBe(true);
    expect(events).toEqual([false, true]);
    expect(() => slot.unlock(new Uint8Array(8))).toThrow(RangeError);
  });
});
