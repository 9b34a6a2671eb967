import type * as StorageModuleNs from '@weft/storage';
import type { Store } from '@weft/storage';
import { config } from './env';
import { markStoreUnreachable } from './unavailable';

/**
 * The one place the web app opens @weft/storage: the store of `WEFT_DB`,
 * migrated once per process (migrations are idempotent and run under the
 * store's lock, so a correlator starting at the same time is fine).
 *
 * @weft/storage is loaded by Node at run time, not bundled: it finds its
 * migration files relative to its own location and loads native drivers,
 * which a bundle would break. Turbopack resolves workspace packages to their
 * sources and ignores `serverExternalPackages` for them, hence the ignored
 * dynamic import.
 */
type StorageModule = typeof StorageModuleNs;

let storage: Promise<StorageModule> | null = null;
let opened: Promise<Store> | null = null;

function loadStorage(): Promise<StorageModule> {
  storage ??= import(/* turbopackIgnore: true */ /* webpackIgnore: true */ '@weft/storage');
  return storage;
}

export function getStore(): Promise<Store> {
  opened ??= (async () => {
    const { applyMigrations, openStore } = await loadStorage();
    const store = await openStore(config().dbUrl);
    await applyMigrations(store);
    return store;
  })().catch((error: unknown) => {
    opened = null;
    throw markStoreUnreachable(error);
  });
  return opened;
}

/** True for the store's bad-input errors (a 400, not a 500). */
export function isStorageValidationError(error: unknown): error is Error {
  return error instanceof Error && error.name === 'StorageValidationError';
}

export type { Store };
