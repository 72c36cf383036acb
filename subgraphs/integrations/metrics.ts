import { Counter, Gauge, type Registry } from 'prom-client';
import type { Stores } from './index.ts';

/**
 * What an operator watches of the Zervigo connector: each configured service's last health
 * check, and how pushes end. Gauges are read from the health monitor at scrape time.
 */
export function registerIntegrationsMetrics(stores: Stores, registry: Registry): void {
  const configured = () => stores.health.current().filter((service) => service.configured);
  new Gauge({
    name: 'zervigo_service_up',
    help: 'Whether a configured Zervigo service answered its last health check (1) or not (0)',
    labelNames: ['zervigo_service'],
    registers: [registry],
    collect() {
      this.reset();
      for (const service of configured()) this.set({ zervigo_service: service.service }, service.healthy ? 1 : 0);
    },
  });
  new Gauge({
    name: 'zervigo_service_latency_seconds',
    help: "How long a Zervigo service's last health check took to answer",
    labelNames: ['zervigo_service'],
    registers: [registry],
    collect() {
      this.reset();
      for (const service of configured()) if (service.latencyMs !== null) this.set({ zervigo_service: service.service }, service.latencyMs / 1000);
    },
  });
  const pushes = new Counter({
    name: 'zervigo_pushes_total',
    help: 'Talents pushed to Zervigo (syncTalentToPlatform and sync jobs), by outcome',
    labelNames: ['outcome'],
    registers: [registry],
  });
  stores.sync.onOutcome((outcome) => pushes.inc({ outcome }));
}
