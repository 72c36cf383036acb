import type { ZervigoUser } from '../../platform/zervigo-client.ts';

/** Every seeded account signs in with this password. */
export const FAKE_ZERVIGO_PASSWORD = 'zervigo-demo';

/** Plausible Zervigo permission strings per role: wider roles hold more of them. */
export const ROLE_PERMISSIONS: Record<string, string[]> = {
  super_admin: ['system:admin', 'user:read', 'user:write', 'resume:read', 'resume:write', 'company:read', 'company:write', 'job:read', 'job:write', 'ai:use'],
  admin: ['user:read', 'user:write', 'resume:read', 'resume:write', 'company:read', 'company:write', 'job:read', 'job:write', 'ai:use'],
  hr_admin: ['user:read', 'user:write', 'resume:read', 'resume:write', 'company:read', 'job:read', 'job:write'],
  recruiter: ['user:read', 'resume:read', 'company:read', 'job:read', 'job:write', 'ai:use'],
  guest: ['company:read', 'job:read'],
};

export const permissionsOf = (role: string): string[] => [...(ROLE_PERMISSIONS[role] ?? [])];

/** The accounts the auth service knows, one per role. */
export const FAKE_ZERVIGO_ACCOUNTS: readonly ZervigoUser[] = [
  { id: 'zu-1', username: 'super', role: 'super_admin' },
  { id: 'zu-2', username: 'admin', role: 'admin' },
  { id: 'zu-3', username: 'hr_admin', role: 'hr_admin' },
  { id: 'zu-4', username: 'recruiter', role: 'recruiter' },
  { id: 'zu-5', username: 'visitor', role: 'guest' },
].map((account) => ({ ...account, permissions: permissionsOf(account.role) }));

export function accountFor(username: string, password: string): ZervigoUser | undefined {
  if (password !== FAKE_ZERVIGO_PASSWORD) return undefined;
  const account = FAKE_ZERVIGO_ACCOUNTS.find((candidate) => candidate.username === username);
  return account && { ...account, permissions: [...account.permissions] };
}
