import { id as validId } from '../../../platform/validate.ts';
import { requireConfigured, type Context } from './context.ts';

export const Query = {
  async externalPlatformStatus(_: unknown, args: { refresh?: boolean | null }, ctx: Context) {
    requireConfigured(ctx);
    if (args.refresh) await ctx.stores.health.check();
    const services = ctx.stores.health.current();
    const configured = services.filter((service) => service.configured);
    return {
      name: 'Zervigo',
      configured: configured.length > 0,
      healthy: configured.length > 0 && configured.every((service) => service.healthy),
      services: services.map((service) => ({ ...service, name: service.service })),
    };
  },

  syncJob(_: unknown, args: { id: string }, ctx: Context) {
    requireConfigured(ctx);
    return ctx.stores.store.job(validId(args.id));
  },
};
