/**
 * `npm start`: the whole supergraph in one process on embedded stores. Every subgraph gets a
 * schema in one shared PGlite under DATA_DIR; on first run the demo dataset is loaded.
 */
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { config, databaseUrlFor } from '../platform/config.ts';
import { claimDataDir, DataDirInUse, embeddedLayout } from '../platform/db/data-dir.ts';
import { EmbeddedPostgres } from '../platform/db/pglite.ts';
import { logger, printToStdout } from '../platform/logger.ts';
import { exitOnSignalsDuringStartup, exitOnTerminationSignals } from '../platform/shutdown.ts';
import { loadRegistry } from '../platform/registry.ts';
import { startSupergraph } from '../platform/runner.ts';
import { failureLine } from '../platform/startup/failure.ts';
import { definitions } from '../subgraphs/index.ts';
import { loadDemoData } from '../demo/load.ts';
import { DEMO_ADMIN_EMAIL, DEMO_PASSWORD } from '../demo/dataset.ts';

const startingUp = exitOnSignalsDuringStartup();
const started = Date.now();
const registry = loadRegistry();
const allExternal = registry.subgraphs.every((subgraph) => databaseUrlFor(subgraph.name));

// The marker is written once a data directory has been fully initialised, so a first run that
// was interrupted half-way is started over rather than left half-loaded.
const { database: embeddedDir, marker } = embeddedLayout(config.dataDir);
// PGlite is one process's: a second npm start, a backup or a restore of the same directory is refused meanwhile.
const release = allExternal ? () => {} : claimEmbedded();
const firstRun = !allExternal && !existsSync(marker);
if (firstRun) rmSync(embeddedDir, { recursive: true, force: true });
mkdirSync(config.dataDir, { recursive: true });

const embedded = allExternal
  ? undefined
  : await EmbeddedPostgres.open(embeddedDir).catch((error: unknown) =>
      failStartup(new Error(`cannot open the embedded database in ${embeddedDir}: ${error instanceof Error ? error.message : String(error)}`, { cause: error }), async () => release()),
    );
const withDemo = firstRun && config.demoData === 'auto';

const supergraph = await startSupergraph({
  definitions,
  registry,
  embedded,
  ports: config.ports,
  beforeServe: async (stores) => {
    if (withDemo) await loadDemoData(stores);
    if (firstRun) writeFileSync(marker, `${new Date().toISOString()}\n`);
  },
}).catch((error: unknown) =>
  failStartup(error, async () => {
    await embedded?.close();
    release();
  }),
);

/** Start-up failed (the runner has stopped what it started): one plain line on stderr saying which service and why, exit 1. */
async function failStartup(error: unknown, close: () => Promise<void>): Promise<never> {
  logger.fatal({ err: error }, 'start-up failed');
  console.error(`npm start: ${failureLine(error)}`);
  await close().catch((closeError: unknown) => logger.error({ err: closeError }, 'closing after a failed start-up failed'));
  process.exit(1);
}

function claimEmbedded(): () => void {
  try {
    return claimDataDir(embeddedDir, 'npm start');
  } catch (error) {
    if (!(error instanceof DataDirInUse)) throw error;
    console.error(`${error.message}: stop it first, or give this one a DATA_DIR of its own.`);
    process.exit(1);
  }
}

startingUp();
// One ordered stop: the supergraph drains the gateway, then every subgraph's requests, stops every
// relay while the consumers still listen, then closes the rest (subgraphs, event bus, databases) in
// reverse start order; then the shared embedded store, whose directory is released last.
exitOnTerminationSignals([
  { name: 'supergraph', close: () => supergraph.stop() },
  {
    name: embedded ? 'embedded PGlite' : 'data directory claim',
    close: async () => {
      await embedded?.close();
      release();
    },
  },
]);

// On a first run the relationship graph is drawn from the owners' demo data: up means complete.
await supergraph.built();
const seconds = ((Date.now() - started) / 1000).toFixed(1);
printToStdout(`
  Looma supergraph is up in ${seconds}s.

  Gateway + Apollo Sandbox   http://localhost:${supergraph.gateway.port}/
${[...supergraph.subgraphs].map(([name, { service }]) => `  ${name.padEnd(26)} ${service.url}`).join('\n')}
  Health and metrics         /health/live  /health/ready  /metrics  on every port
  Data                       ${allExternal ? 'PostgreSQL (DATABASE_URL)' : embeddedDir}${withDemo ? '  (demo dataset loaded)' : ''}
  Demo sign-in               ${DEMO_ADMIN_EMAIL} / ${DEMO_PASSWORD}  (mutation login)

  Ctrl-C stops everything.
`);
