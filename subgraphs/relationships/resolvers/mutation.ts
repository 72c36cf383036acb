import { requireViewer } from '../../../platform/auth/index.ts';
import type { Queryable } from '../../../platform/db/db.ts';
import { badInput, notFound } from '../../../platform/errors.ts';
import { lockLiveAggregate } from '../../../platform/events/index.ts';
import type { SubgraphContext } from '../../../platform/subgraph.ts';
import { isId } from '../../../platform/validate.ts';
import type { Stores } from '../index.ts';
import { CONSUMER, redrawTalent } from '../projector.ts';

type Context = SubgraphContext<Stores>;

function checkId(value: string, field: string): string {
  if (!isId(value)) throw badInput(`${field} must be an id`, field);
  return value.toLowerCase();
}

function talentPair(args: { talentId: string; otherTalentId: string }): [string, string] {
  const talentId = checkId(args.talentId, 'talentId');
  const otherId = checkId(args.otherTalentId, 'otherTalentId');
  if (talentId === otherId) throw badInput('A talent cannot be linked to themself', 'otherTalentId');
  return [talentId, otherId];
}

/**
 * The talent must be in the graph (their owner announced them and has not deleted them). Checked
 * inside the write's transaction, holding the talent's version row: a deletion arriving at the
 * same moment then applies after this write and removes what it added.
 */
async function requireTalent(tx: Queryable, id: string, field: string): Promise<void> {
  if (!(await lockLiveAggregate(tx, CONSUMER, 'Talent', id))) throw notFound(`Talent (${field})`, id);
}

/** KNOWS links are stored once per pair, lower id first (as the graph stores them). */
const ordered = (a: string, b: string): [string, string] => (a < b ? [a, b] : [b, a]);

export const Mutation = {
  async connectTalents(_: unknown, args: { talentId: string; otherTalentId: string; strength: number }, ctx: Context) {
    const viewer = requireViewer(ctx.viewer);
    if (!Number.isFinite(args.strength) || args.strength < 0 || args.strength > 1) throw badInput('strength must be from 0 to 1', 'strength');
    const [talentId, otherId] = talentPair(args);
    const [low, high] = ordered(talentId, otherId);
    // The link (owned here) and its edge commit together.
    await ctx.stores.db.transaction(async (tx) => {
      await requireTalent(tx, talentId, 'talentId');
      await requireTalent(tx, otherId, 'otherTalentId');
      await tx.query(
        `insert into acquaintances (talent_id, other_id, strength, created_by) values ($1, $2, $3, $4)
         on conflict (talent_id, other_id) do update set strength = excluded.strength`,
        [low, high, args.strength, viewer.userId],
      );
      await ctx.stores.graph.within(tx).upsertEdge({ kind: 'KNOWS', fromId: low, toId: high, properties: { strength: args.strength } });
    });
    return { talent: { id: talentId }, other: { id: otherId }, strength: args.strength };
  },

  async disconnectTalents(_: unknown, args: { talentId: string; otherTalentId: string }, ctx: Context) {
    const [low, high] = ordered(checkId(args.talentId, 'talentId'), checkId(args.otherTalentId, 'otherTalentId'));
    if (low === high) throw badInput('A talent cannot be linked to themself', 'otherTalentId');
    return ctx.stores.db.transaction(async (tx) => {
      const rows = await tx.query('delete from acquaintances where talent_id = $1 and other_id = $2 returning talent_id', [low, high]);
      const removed = await ctx.stores.graph.within(tx).removeEdge('KNOWS', low, high);
      return rows.length > 0 || removed;
    });
  },

  async endorseSkill(_: unknown, args: { talentId: string; skillId: string }, ctx: Context) {
    const viewer = requireViewer(ctx.viewer);
    const talentId = checkId(args.talentId, 'talentId');
    const skillId = checkId(args.skillId, 'skillId');
    const endorsements = await ctx.stores.db.transaction(async (tx) => {
      await requireTalent(tx, talentId, 'talentId');
      if (!(await listsSkill(tx, talentId, skillId))) throw badInput(`Talent ${talentId} has no resume listing skill ${skillId}`, 'skillId');
      await tx.query('insert into endorsements (talent_id, skill_id, endorser_id) values ($1, $2, $3) on conflict do nothing', [
        talentId,
        skillId,
        viewer.userId,
      ]);
      await redrawTalent(ctx.stores.graph.within(tx), tx, talentId);
      const [row] = await tx.query<{ count: number }>('select count(*)::int as count from endorsements where talent_id = $1 and skill_id = $2', [
        talentId,
        skillId,
      ]);
      return row!.count;
    });
    return { talent: { id: talentId }, skill: { id: skillId }, endorsements };
  },
};

async function listsSkill(tx: Queryable, talentId: string, skillId: string): Promise<boolean> {
  const rows = await tx.query(
    `select 1 from resume_sources, jsonb_array_elements(skills) as skill
      where talent_id = $1 and lower(skill->>'skillId') = $2 limit 1`,
    [talentId, skillId],
  );
  return rows.length > 0;
}
