import { can, requireViewer, type Viewer } from '../../../platform/auth/index.ts';
import { badInput, conflict, forbidden, notFound } from '../../../platform/errors.ts';
import type { SubgraphContext } from '../../../platform/subgraph.ts';
import { id, isId } from '../../../platform/validate.ts';
import type { Stores } from '../index.ts';
import { resumeDocument, talentFields, type ResumeInput, type TalentInput } from '../input.ts';
import { UserAlreadyLinkedError, type Talent } from '../store.ts';

type Context = SubgraphContext<Stores>;

/**
 * Every mutation here carries @hasPermission(talent:write), so the schema has already refused
 * anonymous callers and guests; what remains are the rules that depend on the talent's owner.
 */

/** The owner may delete a talent and read its personal data: only a caller who may do both anyway may hand that out. */
const mayAssignOwners = (viewer: Viewer | null) => can(viewer, 'talent:delete') && can(viewer, 'talent:read:contact');

/** Callers holding talent:delete may remove anything; anyone else only what hangs off a talent they own. */
function requireOwnerOrDeleter(viewer: Viewer | null, talent: Talent | undefined): void {
  if (!can(viewer, 'talent:delete') && (!viewer || talent?.ownerId !== viewer.userId)) {
    throw forbidden("Only the talent's owner and callers holding talent:delete may do this");
  }
}

/**
 * The caller as a Looma user, for the owner and author columns: an account from elsewhere (a
 * Zervigo token's `zervigo:<id>`) is no Looma user, so it owns and authors nothing here.
 */
const loomaUserId = (viewer: Viewer): string | null => (isId(viewer.userId) ? viewer.userId : null);

async function linkingUser<T>(write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (error instanceof UserAlreadyLinkedError) throw conflict(`User ${error.userId} already has a talent profile`);
    throw error;
  }
}

export const Mutation = {
  async createTalent(_: unknown, args: { input: TalentInput }, ctx: Context) {
    // Narrows the type: the directive let only signed-in callers through, and the caller becomes the default owner.
    const viewer = requireViewer(ctx.viewer);
    const fields = talentFields(args.input);
    if (!fields.name) throw badInput('name is required', 'name');
    if (fields.ownerId && fields.ownerId !== viewer.userId && !mayAssignOwners(viewer)) {
      throw forbidden('Creating a talent for another owner needs the permissions talent:delete and talent:read:contact');
    }
    return linkingUser(() =>
      ctx.stores.talents.create({
        name: fields.name!,
        headline: fields.headline ?? null,
        contact: fields.contact ?? { email: null, phone: null, linkedin: null, website: null },
        salaryExpectation: fields.salaryExpectation ?? null,
        location: fields.location ?? null,
        tags: fields.tags ?? [],
        ownerId: fields.ownerId ?? loomaUserId(viewer),
        userId: fields.userId ?? null,
      }),
    );
  },

  async updateTalent(_: unknown, args: { id: string; input: TalentInput }, ctx: Context) {
    const talentId = id(args.id);
    const fields = talentFields(args.input);
    if ('ownerId' in fields && !mayAssignOwners(ctx.viewer)) {
      throw forbidden("Changing a talent's owner needs the permissions talent:delete and talent:read:contact");
    }
    // The linked user may read the talent's personal data, so linking is for those who may read it themselves.
    if ('userId' in fields && !can(ctx.viewer, 'talent:read:contact')) {
      const [talent] = await ctx.stores.talents.getMany([talentId]);
      if (!talent) throw notFound('Talent', args.id);
      if (talent.ownerId !== ctx.viewer?.userId) {
        throw forbidden("Only the talent's owner and callers holding talent:read:contact may link or unlink its user");
      }
    }
    const talent = await linkingUser(() => ctx.stores.talents.update(talentId, fields));
    if (!talent) throw notFound('Talent', args.id);
    return talent;
  },

  async deleteTalent(_: unknown, args: { id: string }, ctx: Context) {
    const talentId = id(args.id);
    const [talent] = await ctx.stores.talents.getMany([talentId]);
    if (!talent) throw notFound('Talent', args.id);
    requireOwnerOrDeleter(ctx.viewer, talent);
    if (!(await ctx.stores.talents.delete(talentId))) throw notFound('Talent', args.id);
    return args.id;
  },

  async createResume(_: unknown, args: { talentId: string; input: ResumeInput }, ctx: Context) {
    // Narrows the type for the version's author; the directive let only signed-in callers through.
    const viewer = requireViewer(ctx.viewer);
    const talentId = id(args.talentId, 'talentId');
    const resume = await ctx.stores.resumes.create(talentId, resumeDocument(args.input), loomaUserId(viewer));
    if (!resume) throw notFound('Talent', args.talentId);
    return resume;
  },

  async updateResume(_: unknown, args: { id: string; input: ResumeInput }, ctx: Context) {
    const viewer = requireViewer(ctx.viewer);
    const resumeId = id(args.id);
    const resume = await ctx.stores.resumes.update(resumeId, resumeDocument(args.input), loomaUserId(viewer));
    if (!resume) throw notFound('Resume', args.id);
    return resume;
  },

  async deleteResume(_: unknown, args: { id: string }, ctx: Context) {
    const resumeId = id(args.id);
    const [resume] = await ctx.stores.resumes.getMany([resumeId]);
    if (!resume) throw notFound('Resume', args.id);
    if (!can(ctx.viewer, 'talent:delete')) requireOwnerOrDeleter(ctx.viewer, (await ctx.stores.talents.getMany([resume.talentId]))[0]);
    if (!(await ctx.stores.resumes.delete(resumeId))) throw notFound('Resume', args.id);
    return args.id;
  },
};
