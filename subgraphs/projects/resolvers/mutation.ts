import { badInput, conflict, notFound } from '../../../platform/errors.ts';
import type { SubgraphContext } from '../../../platform/subgraph.ts';
import { id, optionalText, requiredText } from '../../../platform/validate.ts';
import type { Stores } from '../index.ts';
import { DatesOutOfOrderError, type MemberChange, type NewProjectMember, type Project, type ProjectFields } from '../store.ts';
import { optionalDate } from '../dates.ts';

type Context = SubgraphContext<Stores>;

interface MemberInput {
  talentId: string;
  role: string;
}

type ProjectInput = Partial<Omit<ProjectFields, 'skillIds'>> & { skillIds?: string[] | null; members?: MemberInput[] | null };

const MAX_SKILLS = 100;
const MAX_MEMBERS = 500;
const MAX_ROLE_LENGTH = 100;

function skillIds(values: readonly string[] | null | undefined): string[] {
  const ids = [...new Set((values ?? []).map((value, index) => id(value, `skillIds[${index}]`)))];
  if (ids.length > MAX_SKILLS) throw badInput(`skillIds may hold at most ${MAX_SKILLS} skills`, 'skillIds');
  return ids;
}

function members(values: readonly MemberInput[] | null | undefined): NewProjectMember[] {
  const list = values ?? [];
  if (list.length > MAX_MEMBERS) throw badInput(`members may hold at most ${MAX_MEMBERS} talents`, 'members');
  const seen = new Set<string>();
  return list.map((member, index) => {
    const talentId = id(member.talentId, `members[${index}].talentId`);
    if (seen.has(talentId)) throw badInput(`talent ${talentId} is listed twice; a talent is a member once`, `members[${index}].talentId`);
    seen.add(talentId);
    return { talentId, role: requiredText(member.role, `members[${index}].role`, MAX_ROLE_LENGTH) };
  });
}

/** Validates only the fields present, so an update changes exactly what the client sent. */
function validFields(input: ProjectInput): Partial<ProjectFields> {
  const fields: Partial<ProjectFields> = {};
  if ('name' in input) fields.name = requiredText(input.name, 'name');
  if ('description' in input) fields.description = optionalText(input.description, 'description');
  if ('companyId' in input) fields.companyId = input.companyId == null ? null : id(input.companyId, 'companyId');
  if ('status' in input) {
    if (input.status == null) throw badInput('status cannot be cleared', 'status');
    fields.status = input.status;
  }
  if ('startDate' in input) fields.startDate = optionalDate(input.startDate, 'startDate');
  if ('endDate' in input) fields.endDate = optionalDate(input.endDate, 'endDate');
  if ('skillIds' in input) fields.skillIds = skillIds(input.skillIds);
  return fields;
}

function checkDateOrder(startDate: string | null, endDate: string | null): void {
  if (startDate && endDate && endDate < startDate) throw badInput(`endDate ${endDate} is before startDate ${startDate}`, 'endDate');
}

/** A concurrent update can move the other date after checkDateOrder passed; the store then refuses the pair. */
async function datesInOrder<T>(write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (error instanceof DatesOutOfOrderError) throw badInput('endDate must not be before startDate', 'endDate');
    throw error;
  }
}

function changed(result: MemberChange, projectId: string, talentId: string): Project {
  if (result.ok) return result.project;
  if (result.reason === 'PROJECT_NOT_FOUND') throw notFound('Project', projectId);
  if (result.reason === 'ALREADY_MEMBER') throw conflict(`Talent ${talentId} is already a member of project ${projectId}`);
  throw notFound('Project member', talentId);
}

export const Mutation = {
  async createProject(_: unknown, args: { input: ProjectInput }, ctx: Context) {
    const fields = validFields(args.input);
    if (!fields.name) throw badInput('name is required', 'name');
    checkDateOrder(fields.startDate ?? null, fields.endDate ?? null);
    const team = members(args.input.members);
    return ctx.stores.projects.create(
      {
        name: fields.name,
        description: fields.description ?? null,
        companyId: fields.companyId ?? null,
        status: fields.status ?? 'PLANNED',
        startDate: fields.startDate ?? null,
        endDate: fields.endDate ?? null,
        skillIds: fields.skillIds ?? [],
      },
      team,
    );
  },

  async updateProject(_: unknown, args: { id: string; input: ProjectInput }, ctx: Context) {
    const projectId = id(args.id);
    const fields = validFields(args.input);
    const [current] = await ctx.stores.projects.getMany([projectId]);
    if (!current) throw notFound('Project', args.id);
    // The dates must stay in order together with whichever one is not being changed.
    checkDateOrder('startDate' in fields ? fields.startDate! : current.startDate, 'endDate' in fields ? fields.endDate! : current.endDate);
    const project = await datesInOrder(() => ctx.stores.projects.update(projectId, fields));
    if (!project) throw notFound('Project', args.id);
    return project;
  },

  async deleteProject(_: unknown, args: { id: string }, ctx: Context) {
    if (!(await ctx.stores.projects.delete(id(args.id)))) throw notFound('Project', args.id);
    return args.id;
  },

  async addProjectMember(_: unknown, args: { projectId: string; talentId: string; role: string }, ctx: Context) {
    const projectId = id(args.projectId, 'projectId');
    const talentId = id(args.talentId, 'talentId');
    const role = requiredText(args.role, 'role', MAX_ROLE_LENGTH);
    return changed(await ctx.stores.projects.addMember(projectId, { talentId, role }), args.projectId, talentId);
  },

  async removeProjectMember(_: unknown, args: { projectId: string; talentId: string }, ctx: Context) {
    const projectId = id(args.projectId, 'projectId');
    const talentId = id(args.talentId, 'talentId');
    return changed(await ctx.stores.projects.removeMember(projectId, talentId), args.projectId, talentId);
  },
};
