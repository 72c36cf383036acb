/**
 * `npm run restore -- --from FILE [--dir DIR] [--force]`: puts a backup made by `npm run backup`
 * back as the embedded stores (npm start's PGlite under DATA_DIR). The supergraph must be
 * stopped; a data directory that holds anything is replaced only with --force; a file that is not
 * a whole backup is refused with the data directory left as it was.
 */
import { resolve } from 'node:path';
import { describeSchemas, exitOnError, parseFlags, restoreDataDir } from '../platform/backup.ts';
import { config } from '../platform/config.ts';
import { embeddedLayout } from '../platform/db/data-dir.ts';

const usage = `Usage: npm run restore -- --from FILE [--dir DIR] [--force]
  --from FILE  the backup (a .tar.gz from npm run backup)
  --dir DIR    the PGlite data directory (default DATA_DIR/supergraph, npm start's)
  --force      replace the data the directory holds`;

const values = parseFlags(usage, ['from', 'dir', 'force'], ['from']);

const layout = embeddedLayout(config.dataDir);
const dir = values.dir ? resolve(values.dir) : layout.database;
// npm start takes its data directory without the first-run marker for a run cut short, and starts it over.
const marker = dir === layout.database ? layout.marker : undefined;
const report = await restoreDataDir({ dir, from: resolve(values.from!), force: values.force, marker }).catch(exitOnError);
console.log(`Restored ${report.dir} from ${values.from} in ${(report.ms / 1000).toFixed(1)} s${report.replaced ? ', replacing what it held' : ''}:
${describeSchemas(report.schemas)}
${marker ? 'npm start serves it as it is (no demo data is loaded into it).' : `Start the service that owns ${report.dir} again.`}`);
