import type { DemoDataset } from '../../demo/types.ts';
import type { Stores } from './index.ts';
import { hashPassword } from './password.ts';

/**
 * Loads the demo users into an empty store. Each distinct password is hashed once and its hash
 * shared by the accounts that have it (all demo accounts share the documented one): scrypt per
 * user costs ~50 ms, minutes for the growth benchmark's tens of thousands of accounts. A login
 * still verifies the password against a salted scrypt hash; the accounts just share the salt.
 */
export async function loadDemo(stores: Stores, dataset: DemoDataset): Promise<void> {
  const hashes = new Map<string, Promise<string>>();
  for (const { password } of dataset.users) if (!hashes.has(password)) hashes.set(password, hashPassword(password));
  const users = await Promise.all(
    dataset.users.map(async ({ id, email, name, role, status, password }) => ({ id, email, name, role, status, passwordHash: await hashes.get(password)! })),
  );
  await stores.users.importMany(users);
}
