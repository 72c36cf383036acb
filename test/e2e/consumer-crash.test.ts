import { randomBytes, randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, expect, it } from 'vitest';
import { RedisStreamBus, type DomainEvent } from '../../platform/events/index.ts';
import { contractSuite } from '../support/contract.ts';
import { POSTGRES_URL, postgresTarget } from '../support/databases.ts';
import { runScript, type RunningProcess } from '../support/processes.ts';
import { REDIS_URL, openTestRedis } from '../support/redis.ts';

/**
 * The production path of a consumer: the relationships subgraph in its own process, reading the
 * owners' events from Redis Streams into PostgreSQL. Killed with SIGKILL half-way through a
 * backlog and started again, it ends with every event applied exactly once.
 */

const { redis, target: redisAt } = await openTestRedis();
const postgres = await postgresTarget();
/** Redis carries the events here; PostgreSQL, needed too, is named in the title (and in the reason when it is missing). */
const target = {
  backend: 'Redis',
  label: `${redisAt.label}, into ${postgres.label}`,
  unreachable: [redisAt.unreachable && `Redis ${redisAt.unreachable}`, postgres.unreachable && `PostgreSQL ${postgres.unreachable}`].filter(Boolean).join('; ') || null,
};
const EVENTS = 3000;
const LISTENING = /"service":"relationships","url":"(http:\/\/[^"]+)"/;

contractSuite(
  'consumer process killed mid-batch',
  target,
  () => {
    const suffix = randomBytes(4).toString('hex');
    const database = `looma_crash_${suffix}`;
    const stream = `looma:test:crash:${suffix}`;
    const admin = new pg.Pool({ connectionString: POSTGRES_URL, max: 1 });
    const databaseUrl = Object.assign(new URL(POSTGRES_URL), { pathname: `/${database}` }).toString();
    const running: RunningProcess[] = [];

    afterAll(async () => {
      for (const process of running) process.child.kill('SIGKILL');
      await Promise.all(running.map((process) => process.exited));
      await redis?.del(stream);
      await admin.query(`drop database if exists "${database}" with (force)`);
      await admin.end();
      await redis?.quit();
    });

    const start = async () => {
      const process = await runScript(
        'scripts/serve.ts',
        ['relationships'],
        // A short claim time so the restarted consumer takes over what the killed one had read but not acknowledged.
        { PORT: '0', REDIS_URL, EVENTS_STREAM: stream, EVENTS_CLAIM_IDLE_MS: '300', RELATIONSHIPS_DATABASE_URL: databaseUrl },
        LISTENING,
      );
      running.push(process);
      return process;
    };

    it('loses no event and applies none twice', async () => {
      await admin.query(`create database "${database}"`);
      const talents = Array.from({ length: EVENTS }, () => randomUUID());
      const events: DomainEvent[] = talents.map((id, index) => ({
        id: randomUUID(),
        type: 'talent.created',
        source: 'resumes',
        aggregate: { type: 'Talent', id },
        payload: { id, name: `Crash ${index}` },
        occurredAt: new Date().toISOString(),
        position: index + 1,
      }));
      const bus = new RedisStreamBus(redis!, { stream, batchSize: 100, blockMs: 100, claimIdleMs: 300 });

      const db = new pg.Pool({ connectionString: databaseUrl, max: 1 });
      const count = async (sql: string) => {
        const result = await db.query<{ n: number }>(sql).catch(() => ({ rows: [{ n: 0 }] }));
        return result.rows[0]!.n;
      };
      const handled = () => count(`select count(*)::int as n from relationships.inbox`);
      const nodes = () => count(`select count(*)::int as n from relationships.nodes where kind = 'Talent'`);
      try {
        const first = await start();
        // Every write to a node counts: an event applied twice would write its node twice.
        await db.query(`create table public.node_writes (n int not null); insert into public.node_writes values (0);
          create function public.count_node_write() returns trigger language plpgsql as $$ begin update public.node_writes set n = n + 1; return null; end $$;
          create trigger count_node_writes after insert or update on relationships.nodes for each row execute function public.count_node_write();`);
        // Published as the owners' relays would: a backlog the consumer starts on at once.
        await bus.publish(events);
        let atKill = 0;
        while ((atKill = await handled()) === 0) await new Promise((resolve) => setTimeout(resolve, 10));
        first.child.kill('SIGKILL');
        await first.exited;
        atKill = await handled();
        // Killed with part of the backlog applied: a batch was read and not all of it acknowledged.
        expect(atKill).toBeGreaterThan(0);
        expect(atKill).toBeLessThan(EVENTS);
        const pending = (await redis!.xpending(stream, 'relationships')) as [number, ...unknown[]];
        expect(pending[0]).toBeGreaterThan(0);

        await start();
        const deadline = Date.now() + 30_000;
        while ((await handled()) < EVENTS && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
        expect(await handled()).toBe(EVENTS);
        expect(await nodes()).toBe(EVENTS);
        expect(await count('select n from public.node_writes')).toBe(EVENTS);
        const labels = await db.query<{ label: string }>(`select label from relationships.nodes where kind = 'Talent' and id = $1`, [talents[EVENTS - 1]]);
        expect(labels.rows).toEqual([{ label: `Crash ${EVENTS - 1}` }]);
        // Everything acknowledged once applied.
        await expect.poll(async () => ((await redis!.xpending(stream, 'relationships')) as [number])[0], { timeout: 5_000 }).toBe(0);
      } finally {
        await db.end();
      }
    }, 90_000);
  },
);
