import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { applyMigrations, openStore } from '@weft/storage';
import type { Store } from '@weft/storage';
import type { Template } from '@weft/templates';
import { createConnection } from 'mysql2/promise';

/**
 * The stores the web integration tests run against: SQLite always, MariaDB
 * when WEFT_TEST_MYSQL_URL is set (a fresh database per test file, dropped
 * afterwards). Under CI=true a missing MariaDB fails the run.
 */
export interface TestStore {
  store: Store;
  close(): Promise<void>;
}

export type BackendName = 'sqlite' | 'mysql';

export function backendNames(): BackendName[] {
  if (process.env.WEFT_TEST_MYSQL_URL) return ['sqlite', 'mysql'];
  if (process.env.CI === 'true') return ['sqlite', 'mysql']; // openTestStore('mysql') then fails loudly
  console.warn(
    '\n[@weft/web] WEFT_TEST_MYSQL_URL is not set: SKIPPING the MariaDB backend, testing SQLite only.\n',
  );
  return ['sqlite'];
}

export async function openTestStore(backend: BackendName): Promise<TestStore> {
  if (backend === 'sqlite') {
    const dir = await mkdtemp(path.join(tmpdir(), 'weft-web-'));
    const store = await openStore(`sqlite:${path.join(dir, 'weft.db')}`);
    await applyMigrations(store);
    return {
      store,
      close: async () => {
        await store.close();
        await rm(dir, { recursive: true, force: true });
      },
    };
  }
  const base = process.env.WEFT_TEST_MYSQL_URL;
  if (!base)
    throw new Error(
      'CI=true but WEFT_TEST_MYSQL_URL is not set: web tests must run against MariaDB in CI.',
    );
  const url = new URL(base);
  const name = `weft_web_${randomBytes(6).toString('hex')}`;
  const admin = await createConnection({
    host: url.hostname,
    port: Number(url.port || 3306),
    user: decodeURIComponent(url.username),
    password: decodeURIComponent(url.password),
  });
  await admin.query(`CREATE DATABASE ${name} CHARACTER SET utf8mb4 COLLATE utf8mb4_bin`);
  url.pathname = `/${name}`;
  const store = await openStore(url.toString());
  await applyMigrations(store);
  return {
    store,
    close: async () => {
      await store.close();
      await admin.query(`DROP DATABASE IF EXISTS ${name}`);
      await admin.end();
    },
  };
}

/** Stores `template` as its published version, as the wizard's publish does. */
export async function publishTemplate(store: Store, template: Template): Promise<void> {
  await store.templates.save({
    templateId: template.id,
    version: template.version,
    status: 'published',
    definition: template,
  });
}
