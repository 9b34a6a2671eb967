import type { Metadata } from 'next';
import { connection } from 'next/server';
import type { ReactNode } from 'react';
import './globals.css';

export const metadata: Metadata = {
  title: 'Weft',
  description: 'Business-session correlation and troubleshooting',
};

/**
 * Every page renders per request: the CSP nonce (src/proxy.ts) exists only at
 * request time, and a prerendered page's scripts would carry none.
 */
export default async function RootLayout({ children }: { children: ReactNode }) {
  await connection();
  return (
    <html lang="en">
      <body>{children}</body>
    </html>
  );
}
