'use client';

import { useRouter } from 'next/navigation';
import { useState } from 'react';
import type { FormEvent } from 'react';
import { describeFailure } from '@/lib/fetch-json';

export function SetupForm() {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const response = await fetch('/api/setup', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(Object.fromEntries(form)),
    });
    if (!response.ok) {
      setError(await describeFailure(response, 'Creating the admin'));
      return;
    }
    router.push('/login');
  }

  return (
    <form className="panel" onSubmit={onSubmit} style={{ display: 'grid', gap: '0.75rem' }}>
      <label>
        Name
        <br />
        <input name="name" required defaultValue="Administrator" style={{ width: '100%' }} />
      </label>
      <label>
        E-mail
        <br />
        <input name="email" type="email" required style={{ width: '100%' }} />
      </label>
      <label>
        Password (8+ characters)
        <br />
        <input name="password" type="password" minLength={8} required style={{ width: '100%' }} />
      </label>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <button type="submit">Create the admin account</button>
    </form>
  );
}
