'use client';

import { useRouter } from 'next/navigation';
import { useState } from 'react';
import type { FormEvent } from 'react';
import { authClient } from '@/lib/auth-client';
import { ROLE_NAMES } from '../lib/roles';
import type { RoleName } from '../lib/roles';

export function CreateUserForm() {
  const router = useRouter();
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const element = event.currentTarget;
    const form = new FormData(element);
    const email = String(form.get('email'));
    const result = await authClient.admin.createUser({
      email,
      password: String(form.get('password')),
      name: String(form.get('name')),
      role: String(form.get('role')) as RoleName,
    });
    if (result.error) {
      setMessage({
        ok: false,
        text: `Creating ${email} failed: ${result.error.message ?? result.error.statusText}`,
      });
      return;
    }
    setMessage({ ok: true, text: `Created ${email}.` });
    element.reset();
    router.refresh();
  }

  return (
    <form className="row" onSubmit={onSubmit} aria-label="Create a user">
      <input name="name" placeholder="Name" aria-label="Name" required />
      <input name="email" type="email" placeholder="E-mail" aria-label="E-mail" required />
      <input
        name="password"
        type="password"
        placeholder="Password (8+)"
        aria-label="Password"
        minLength={8}
        required
      />
      <select name="role" aria-label="Role" defaultValue="operator">
        {ROLE_NAMES.map((r) => (
          <option key={r} value={r}>
            {r}
          </option>
        ))}
      </select>
      <button type="submit">Create user</button>
      {message && (
        <span className={message.ok ? 'muted' : 'error'} role="status">
          {message.text}
        </span>
      )}
    </form>
  );
}
