import type { DemoDataset } from '../../demo/types.ts';
import type { Stores } from './index.ts';
import { hashPassword } from './password.ts';

/** Loads the demo users into an empty store, hashing their plain-text passwords. */
export async function loadDemo(stores: Stores, dataset: DemoDataset): Promise<void> {
  // scrypt runs on the libuv pool, so hashing them together takes a fraction of one-by-one.
  const hashes = await Promise.all(dataset.users.map((user) => hashPassword(user.password)));
  for (const [index, { id, email, name, role, status }] of dataset.users.entries()) {
    await stores.users.create({ email, name, role, status, passwordHash: hashes[index]! }, id);
  }
}
