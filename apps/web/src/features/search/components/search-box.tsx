'use client';

import { useRouter } from 'next/navigation';
import { useEffect, useRef } from 'react';

/**
 * The operator's search box: focused on load and on `/`, Enter searches.
 * Submits as a plain GET so every search is a shareable URL.
 */
export function SearchBox({ initial }: { initial: string }) {
  const ref = useRef<HTMLInputElement>(null);
  const router = useRouter();
  useEffect(() => {
    function onKey(event: KeyboardEvent) {
      if (event.key === '/' && document.activeElement !== ref.current) {
        event.preventDefault();
        ref.current?.focus();
        ref.current?.select();
      }
    }
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
  return (
    <form
      role="search"
      className="row"
      onSubmit={(event) => {
        event.preventDefault();
        const q = ref.current?.value.trim() ?? '';
        router.push(q ? `/search?q=${encodeURIComponent(q)}` : '/search');
      }}
    >
      <input
        ref={ref}
        name="q"
        aria-label="Order id or field value"
        placeholder="Order id, or field=value (trans_id=T…, device_id=D…, amount_cents>=600)"
        defaultValue={initial}
        autoFocus
        style={{ flex: 1, minWidth: 280, fontSize: '1.05rem' }}
      />
      <button type="submit">Search</button>
      <span className="muted">
        Press <kbd>/</kbd> to focus, <kbd>↓</kbd>/<kbd>↑</kbd> then <kbd>Enter</kbd> to open a
        result
      </span>
    </form>
  );
}
