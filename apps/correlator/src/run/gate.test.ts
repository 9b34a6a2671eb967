import { describe, expect, it } from 'vitest';
import { createGate } from './gate.js';

describe('createGate', () => {
  it('lets waiters through only once reopened', async () => {
    const gate = createGate();
    await gate.wait();
    gate.set(false);
    let passed = 0;
    const waiting = [gate.wait(), gate.wait()].map((p) => p.then(() => (passed += 1)));
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(passed).toBe(0);
    gate.set(true);
    await Promise.all(waiting);
    expect(passed).toBe(2);
    expect(gate.isOpen).toBe(true);
  });
});
