import { describe, expect, it } from 'vitest';
import type { StateDescriptor } from './trigger.js';
import { SlotState } from './window-slot.js';

const d = (name: string): StateDescriptor<unknown> => ({ name, merge: (a) => a });

describe('SlotState', () => {
  it('behaves as a Map: insertion order, update in place, delete, clear, growth past three', () => {
    const [a, b, c, e] = [d('a'), d('b'), d('c'), d('e')];
    const state = new SlotState();
    const map = new Map<StateDescriptor<unknown>, unknown>();
    const both = (f: (s: SlotState | Map<StateDescriptor<unknown>, unknown>) => void) => {
      f(state);
      f(map);
    };
    both((s) => s.set(a, 1));
    both((s) => s.set(b, 2));
    both((s) => s.set(c, 3));
    both((s) => s.set(e, 4));
    both((s) => s.set(b, 20));
    both((s) => s.delete(a));
    both((s) => s.set(a, 10));
    both((s) => s.delete(d('unknown')));
    expect([...state]).toEqual([...map]);
    expect(state.size).toBe(map.size);
    expect(state.get(b)).toBe(20);
    expect(state.get(d('b'))).toBeUndefined(); // by identity, as a Map
    both((s) => s.clear());
    expect([...state]).toEqual([]);
    expect(state.get(a)).toBeUndefined();
    both((s) => s.set(c, 5));
    expect([...state]).toEqual([...map]);
  });
});
