/**
 * Open or closed; `wait()` resolves immediately when open, else when reopened.
 * The bounded reader waits on it while the sink applies backpressure.
 */
export function createGate() {
  let open = true;
  let waiters: (() => void)[] = [];
  return {
    set(isOpen: boolean): void {
      open = isOpen;
      if (open) {
        const ready = waiters;
        waiters = [];
        for (const wake of ready) wake();
      }
    },
    wait(): Promise<void> {
      return open ? Promise.resolve() : new Promise((resolve) => waiters.push(resolve));
    },
    get isOpen(): boolean {
      return open;
    },
  };
}
