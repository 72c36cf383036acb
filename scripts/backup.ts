/**
 * `npm run backup [-- --out FILE] [--dir DIR] [--force]`: writes the embedded stores — npm start's
 * one PGlite under DATA_DIR, every subgraph's schema in it — to one file, by default
 * backups/looma-<UTC time>.tar.gz. The supergraph must be stopped: PGlite is one process's.
 */
import { relative, resolve } from 'node:path';
import { backupDataDir, backupFileName, describeSchemas, exitOnError, parseFlags } from '../platform/backup.ts';
import { config } from '../platform/config.ts';
import { embeddedLayout } from '../platform/db/data-dir.ts';
import { ROOT } from '../platform/registry.ts';

const usage = `Usage: npm run backup [-- --out FILE] [--dir DIR] [--force]
  --out FILE  where to write the backup (default backups/looma-<UTC time>.tar.gz)
  --dir DIR   the PGlite data directory (default DATA_DIR/supergraph, npm start's)
  --force     replace FILE if it exists`;

const values = parseFlags(usage, ['out', 'dir', 'force']);

const dir = values.dir ? resolve(values.dir) : embeddedLayout(config.dataDir).database;
const out = values.out ? resolve(values.out) : resolve(ROOT, 'backups', backupFileName());
const report = await backupDataDir({ dir, out, force: values.force }).catch(exitOnError);
const file = relative(process.cwd(), report.file) || report.file;
console.log(`Backed up ${report.dir} in ${(report.ms / 1000).toFixed(1)} s
  to ${file} (${(report.bytes / 1e6).toFixed(1)} MB), holding:
${describeSchemas(report.schemas)}
Restore it with: npm run restore -- --from ${file}`);
