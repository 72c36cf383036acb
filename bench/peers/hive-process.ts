/**
 * Hive Gateway in a process of its own (started by `startHiveGatewayProcess`): reads its
 * HiveGatewayOptions as JSON from argv, prints `{"url": …}` on stdout once it listens, and stops
 * on SIGTERM.
 */
import { startHiveGateway, type HiveGatewayOptions } from './hive-gateway.ts';

const options = JSON.parse(process.argv[2] ?? '') as HiveGatewayOptions;
const hive = await startHiveGateway(options);
process.once('SIGTERM', () => {
  void hive.stop().then(() => process.exit(0));
});
process.stdout.write(`${JSON.stringify({ url: hive.url })}\n`);
