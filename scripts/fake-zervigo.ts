/**
 * `npm run zervigo:fake [-- --host <host>]`: a fake Zervigo on its default ports, to try Looma's
 * Zervigo integration without the real platform. Candidates and resumes live in memory until it stops.
 * FAKE_ZERVIGO_SECRET sets the HS256 secret its tokens are signed with.
 */
import { exitOnTerminationSignals } from '../platform/shutdown.ts';
import { ZERVIGO_DEFAULT_PORTS, ZERVIGO_SERVICES } from '../platform/zervigo-client.ts';
import { FAKE_ZERVIGO_ACCOUNTS, FAKE_ZERVIGO_PASSWORD, startFakeZervigo } from '../test/fake-zervigo/server.ts';

/** Fixed so a Looma configured once keeps verifying tokens across restarts of the fake; never a real secret. */
const DEVELOPMENT_SECRET = 'fake-zervigo-development-secret-not-for-production';

function hostArgument(args: string[]): string {
  const index = args.findIndex((arg) => arg === '--host' || arg.startsWith('--host='));
  if (index === -1) return '127.0.0.1';
  const arg = args[index]!;
  const host = arg.includes('=') ? arg.slice('--host='.length) : args[index + 1];
  if (!host || host.startsWith('--')) {
    console.error('zervigo:fake: --host needs a value, e.g. --host 0.0.0.0');
    process.exit(2);
  }
  return host;
}

const host = hostArgument(process.argv.slice(2));
const secret = process.env.FAKE_ZERVIGO_SECRET || DEVELOPMENT_SECRET;
const fake = await startFakeZervigo({ host, ports: ZERVIGO_DEFAULT_PORTS, secret }).catch((error: unknown) => {
  console.error(`zervigo:fake: ${error instanceof Error ? error.message : String(error)} (is another fake or Zervigo running?)`);
  process.exit(1);
});

const baseUrl = new URL(fake.urls.auth);
baseUrl.port = '';
const width = Math.max(...ZERVIGO_SERVICES.map((service) => service.length));
const lines = [
  'Fake Zervigo is running (Ctrl-C stops it; its data is in memory only).',
  '',
  'Services:',
  ...ZERVIGO_SERVICES.map((service) => `  ${service.padEnd(width)}  ${fake.urls[service]}`),
  '',
  `Accounts (password ${FAKE_ZERVIGO_PASSWORD}):`,
  ...FAKE_ZERVIGO_ACCOUNTS.map((account) => `  ${account.username.padEnd(10)} ${account.role.padEnd(12)} ${account.id}`),
  '',
  'Give Looma:',
  `  ZERVIGO_BASE_URL=${baseUrl.origin}`,
  `  ZERVIGO_JWT_SECRET=${secret}    # optional: verify Zervigo tokens locally`,
  '',
  'Sign in:',
  `  curl -s -X POST ${fake.urls.auth}/api/v1/auth/login -H 'content-type: application/json' -d '{"username":"recruiter","password":"${FAKE_ZERVIGO_PASSWORD}"}'`,
  '',
];
console.log(lines.join('\n'));

exitOnTerminationSignals([{ name: 'fake Zervigo', close: () => fake.stop() }]);
