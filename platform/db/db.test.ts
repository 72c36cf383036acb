import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { backends, freshDb, postgresTarget, sharedEmbedded } from '../../test/support/databases.ts';
import { contractSuite } from '../../test/support/contract.ts';
import { migrate } from './migrate.ts';
import { MAX_PREPARED } from './pglite-prepared.ts';

function migrationsDir(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'looma-migrations-'));
  mkdirSync(dir, { recursive: true });
  for (const [name, sql] of Object.entries(files)) writeFileSync(join(dir, name), sql);
  return dir;
}

const dirs: string[] = [];
afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

for (const { backend, target } of await backends()) {
  contractSuite('database layer', target, () => {
    it('applies migrations in order, once, and records them', async () => {
      const { db, drop } = await freshDb(backend, 'migrate');
      const dir = migrationsDir({
        '001_things.sql': 'create table things (id int primary key, name text not null);',
        '002_more.sql': "alter table things add column colour text; insert into things values (1, 'a', 'red');",
        'README.md': 'not a migration',
      });
      dirs.push(dir);
      expect(await migrate(db, dir)).toEqual([1, 2]);
      expect(await migrate(db, dir)).toEqual([]);
      expect(await db.query('select name, colour from things')).toEqual([{ name: 'a', colour: 'red' }]);
      expect((await db.query<{ version: number }>('select version from schema_migrations order by version')).map((r) => r.version)).toEqual([1, 2]);
      await drop();
    });

    it('rolls a failing migration back whole and does not record it', async () => {
      const { db, drop } = await freshDb(backend, 'migrate');
      const dir = migrationsDir({
        '001_ok.sql': 'create table kept (id int);',
        '002_broken.sql': 'create table half (id int); select * from no_such_table;',
      });
      dirs.push(dir);
      await expect(migrate(db, dir)).rejects.toThrow(/no_such_table/);
      expect(await db.query(`select to_regclass('half') as half, to_regclass('kept') as kept`)).toEqual([{ half: null, kept: 'kept' }]);
      expect(await db.query('select version from schema_migrations')).toEqual([{ version: 1 }]);
      await drop();
    });

    it('rolls back a failed transaction and keeps serving', async () => {
      const { db, drop } = await freshDb(backend, 'tx');
      await db.exec('create table accounts (id int primary key, balance int not null check (balance >= 0))');
      await db.query('insert into accounts values (1, 10), (2, 0)');
      await expect(
        db.transaction(async (tx) => {
          await tx.query('update accounts set balance = balance + 20 where id = 2');
          await tx.query('update accounts set balance = balance - 20 where id = 1');
        }),
      ).rejects.toThrow();
      expect(await db.query('select id, balance from accounts order by id')).toEqual([{ id: 1, balance: 10 }, { id: 2, balance: 0 }]);
      await drop();
    });

    it('answers the parameters of every kind the stores send, as sent', async () => {
      const { db, drop } = await freshDb(backend, 'params');
      const id = '2f1c9a6e-3b4d-4c5e-8f70-91a2b3c4d5e6';
      const row = { ids: [id], doc: { a: [1, 'two'] }, words: ['x', 'y z'], n: 7, yes: true, nothing: null, at: new Date('2026-01-02T03:04:05.000Z') };
      for (let time = 0; time < 2; time++) {
        const [read] = await db.query(
          'select $1::uuid[] as ids, $2::jsonb as doc, $3::text[] as words, $4::int as n, $5::boolean as yes, $6::text as nothing, $7::timestamptz as at',
          [[id], JSON.stringify(row.doc), row.words, row.n, row.yes, null, row.at],
        );
        expect(read).toEqual(row);
      }
      await drop();
    });

    it('reads a table whose columns changed with its new columns', async () => {
      const { db, drop } = await freshDb(backend, 'columns');
      await db.exec("create table notes (id int primary key); insert into notes values (1);");
      expect(await db.query('select * from notes')).toEqual([{ id: 1 }]);
      await db.exec("alter table notes add column body text not null default 'hello'");
      expect(await db.query('select * from notes')).toEqual([{ id: 1, body: 'hello' }]);
      await drop();
    });

    it('fails a statement with its PostgreSQL code and serves the next one', async () => {
      const { db, drop } = await freshDb(backend, 'failing');
      await db.exec('create table tags (id uuid primary key)');
      const id = '2f1c9a6e-3b4d-4c5e-8f70-91a2b3c4d5e6';
      await db.query('insert into tags values ($1)', [id]);
      await expect(db.query('insert into tags values ($1)', [id])).rejects.toMatchObject({ code: '23505' });
      await expect(db.query('select * from tags where id = $1', ['not-a-uuid'])).rejects.toMatchObject({ code: '22P02' });
      await expect(db.query('select * from no_such_table')).rejects.toMatchObject({ code: '42P01' });
      expect(await db.query('select * from tags where id = $1', [id])).toEqual([{ id }]);
      await drop();
    });
  });
}

contractSuite('PostgreSQL connections', await postgresTarget(), () => {
  it('outlives the server closing its idle connections (a restart, a failover), connecting anew', async () => {
    const { db, drop } = await freshDb('postgres', 'terminated');
    const killer = await freshDb('postgres', 'killer');
    try {
      await Promise.all([db.query('select pg_sleep(0.05)'), db.query('select pg_sleep(0.05)')]);
      const [ended] = await killer.db.query<{ terminated: number }>(
        'select count(*)::int as terminated from (select pg_terminate_backend(pid) from pg_stat_activity where application_name = $1) as ended',
        [`looma:${db.schema}`],
      );
      expect(ended?.terminated).toBeGreaterThan(0);
      await new Promise((resolve) => setTimeout(resolve, 100)); // the pool hears of it
      expect(await db.query('select 1 as one')).toEqual([{ one: 1 }]);
    } finally {
      await killer.drop();
      await drop();
    }
  });
});

describe('one shared PGlite, a schema per subgraph', () => {
  it(`keeps at most ${MAX_PREPARED} statements prepared, closing the least recently used`, async () => {
    const { db, drop } = await freshDb('pglite', 'prepared');
    const prepared = async () => (await db.query<{ n: number }>('select count(*)::int as n from pg_prepared_statements'))[0]!.n;
    for (let n = 0; n < MAX_PREPARED + 20; n++) expect(await db.query(`select ${n}::int as n`)).toEqual([{ n }]);
    expect(await prepared()).toBeLessThanOrEqual(MAX_PREPARED);
    expect(await prepared()).toBeGreaterThan(MAX_PREPARED / 2);
    // The first were closed; run again, they are prepared anew.
    expect(await db.query('select 0::int as n')).toEqual([{ n: 0 }]);
    await drop();
  });


  it('keeps interleaved statements of different subgraphs in their own schemas', async () => {
    const a = await freshDb('pglite', 'iso_a');
    const b = await freshDb('pglite', 'iso_b');
    await a.db.exec('create table items (name text)');
    await b.db.exec('create table items (name text)');
    await Promise.all(
      Array.from({ length: 40 }, (_, i) => (i % 2 ? a.db : b.db).query('insert into items values ($1)', [i % 2 ? 'a' : 'b'])),
    );
    await Promise.all([
      a.db.transaction(async (tx) => tx.query("insert into items values ('a')")),
      b.db.query("insert into items values ('b')"),
    ]);
    expect(await a.db.query('select distinct name, count(*)::int as n from items group by name')).toEqual([{ name: 'a', n: 21 }]);
    expect(await b.db.query('select distinct name, count(*)::int as n from items group by name')).toEqual([{ name: 'b', n: 21 }]);
    await a.drop();
    await b.drop();
  });

  it('lets the event loop turn during a long queue of background statements, as a networked server would', async () => {
    const { db, drop } = await freshDb('pglite', 'turns');
    let done = 0;
    const statements = Array.from({ length: 3000 }, () => db.background.query('select 1').then(() => done++));
    // PGlite answers as settled promises: without a yield the whole queue would finish before this.
    const doneWhenTheLoopTurned = await new Promise<number>((resolve) => setImmediate(() => resolve(done)));
    await Promise.all(statements);
    expect(doneWhenTheLoopTurned).toBeLessThan(statements.length);
    await drop();
  });

  it("lets the event loop turn during a long queue of requests' statements too, after a longer while", async () => {
    const { db, drop } = await freshDb('pglite', 'turns');
    let done = 0;
    // Enough statements to take well over the requests' 50 ms.
    const statements = Array.from({ length: 20_000 }, () => db.query('select 1').then(() => done++));
    const doneWhenTheLoopTurned = await new Promise<number>((resolve) => setImmediate(() => resolve(done)));
    await Promise.all(statements);
    expect(doneWhenTheLoopTurned).toBeLessThan(statements.length);
    await drop();
  });

  it('is one instance per worker', async () => {
    expect(await sharedEmbedded()).toBe(await sharedEmbedded());
  });
});
