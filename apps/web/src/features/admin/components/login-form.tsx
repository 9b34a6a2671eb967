'use client';

import { useRouter } from 'next/navigation';
import { useState } from 'react';
import type { FormEvent } from 'react';
import { authClient } from '@/lib/auth-client';

export function LoginForm() {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setBusy(true);
    setError(null);
    const result = await authClient.signIn.email({
      email: String(form.get('email')),
      password: String(form.get('password')),
    });
    setBusy(false);
    if (result.error) {
      setError(result.error.message ?? 'Sign-in failed: check the e-mail and password.');
      return;
    }
    router.push('/');
    router.refresh();
  }

  return (
    <form className="panel" onSubmit={onSubmit} style={{ display: 'grid', gap: '0.75rem' }}>
      <label>
        E-mail
        <br />
        <input name="email" type="email" required autoFocus style={{ width: '100%' }} />
      </label>
      <label>
        Password
        <br />
        <input name="password" type="password" required style={{ width: '100%' }} />
      </label>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <button type="submit" disabled={busy}>
        {busy ? 'Signing in…' : 'Sign in'}
      </button>
    </form>
  );
}
