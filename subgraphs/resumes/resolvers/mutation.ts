import { requireViewer, type Viewer } from '../../../platform/auth.ts';
import { badInput, conflict, forbidden, notFound } from '../../../platform/errors.ts';
import type { SubgraphContext } from '../../../platform/subgraph.ts';
import { id } from '../../../platform/validate.ts';
import type { Stores } from '../index.ts';
import { resumeDocument, talentFields, type ResumeInput, type TalentInput } from '../input.ts';
import { UserAlreadyLinkedError, type Talent } from '../store.ts';

type Context = SubgraphContext<Stores>;

const ADMIN_ROLES: readonly Viewer['role'][] = ['super_admin', 'admin', 'data_admin'];
const isAdmin = (viewer: Viewer) => ADMIN_ROLES.includes(viewer.role);

/** Admins may remove anything; anyone else only what hangs off a talent they own. */
function requireAdminOrOwner(viewer: Viewer, talent: Talent | undefined): void {
  if (!isAdmin(viewer) && talent?.ownerId !== viewer.userId) {
    throw forbidden("Only admins and the talent's owner may do this");
  }
}

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
    const viewer = requireViewer(ctx.viewer);
    const fields = talentFields(args.input);
    if (!fields.name) throw badInput('name is required', 'name');
    if (fields.ownerId && fields.ownerId !== viewer.userId && !isAdmin(viewer)) {
      throw forbidden('Only admins may create a talent for another owner');
    }
    return linkingUser(() =>
      ctx.stores.talents.create({
        name: fields.name!,
        headline: fields.headline ?? null,
        contact: fields.contact ?? { email: null, phone: null, linkedin: null, website: null },
        location: fields.location ?? null,
        tags: fields.tags ?? [],
        ownerId: fields.ownerId ?? viewer.userId,
        userId: fields.userId ?? null,
      }),
    );
  },

  async updateTalent(_: unknown, args: { id: string; input: TalentInput }, ctx: Context) {
    const viewer = requireViewer(ctx.viewer);
    const talentId = id(args.id);
    const fields = talentFields(args.input);
    if ('ownerId' in fields && !isAdmin(viewer)) throw forbidden("Only admins may change a talent's owner");
    const talent = await linkingUser(() => ctx.stores.talents.update(talentId, fields));
    if (!talent) throw notFound('Talent', args.id);
    return talent;
  },

  async deleteTalent(_: unknown, args: { id: string }, ctx: Context) {
    const viewer = requireViewer(ctx.viewer);
    const talentId = id(args.id);
    const [talent] = await ctx.stores.talents.getMany([talentId]);
    if (!talent) throw notFound('Talent', args.id);
    requireAdminOrOwner(viewer, talent);
    if (!(await ctx.stores.talents.delete(talentId))) throw notFound('Talent', args.id);
    return args.id;
  },

  async createResume(_: unknown, args: { talentId: string; input: ResumeInput }, ctx: Context) {
    const viewer = requireViewer(ctx.viewer);
    const talentId = id(args.talentId, 'talentId');
    const resume = await ctx.stores.resumes.create(talentId, resumeDocument(args.input), viewer.userId);
    if (!resume) throw notFound('Talent', args.talentId);
    return resume;
  },

  async updateResume(_: unknown, args: { id: string; input: ResumeInput }, ctx: Context) {
    const viewer = requireViewer(ctx.viewer);
    const resumeId = id(args.id);
    const resume = await ctx.stores.resumes.update(resumeId, resumeDocument(args.input), viewer.userId);
    if (!resume) throw notFound('Resume', args.id);
    return resume;
  },

  async deleteResume(_: unknown, args: { id: string }, ctx: Context) {
    const viewer = requireViewer(ctx.viewer);
    const resumeId = id(args.id);
    const [resume] = await ctx.stores.resumes.getMany([resumeId]);
    if (!resume) throw notFound('Resume', args.id);
    if (!isAdmin(viewer)) requireAdminOrOwner(viewer, (await ctx.stores.talents.getMany([resume.talentId]))[0]);
    if (!(await ctx.stores.resumes.delete(resumeId))) throw notFound('Resume', args.id);
    return args.id;
  },
};
