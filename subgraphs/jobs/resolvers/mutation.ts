import { badInput, conflict, notFound } from '../../../platform/errors.ts';
import type { SubgraphContext } from '../../../platform/subgraph.ts';
import { id, intInRange, location, optionalText, requiredText } from '../../../platform/validate.ts';
import { assertStageMove } from '../application-stage.ts';
import { assertJobStatusChange } from '../job-status.ts';
import type { Stores } from '../index.ts';
import type {
  ApplicationStage,
  EmploymentType,
  JobStatus,
  JobUpdate,
  Location,
  RequiredSkill,
  SalaryPeriod,
  SalaryRange,
} from '../store.ts';

type Context = SubgraphContext<Stores>;

/**
 * Who to record as making a change. The schema directives admit only signed-in callers holding
 * job:write / application:write here, so this is always known; histories allow null for records
 * loaded without an author (the demo data).
 */
const author = (ctx: Context) => ctx.viewer?.userId ?? null;

interface SalaryInput {
  min: number;
  max: number;
  currency: string;
  period: SalaryPeriod;
}

interface JobInput {
  title?: string | null;
  description?: string | null;
  requiredSkills?: RequiredSkill[] | null;
  location?: Location | null;
  employmentType?: EmploymentType | null;
  salary?: SalaryInput | null;
}

type CreateJobInput = JobInput & { companyId: string };

const MAX_REQUIRED_SKILLS = 50;
const MAX_SALARY = 2_147_483_647;
const CURRENCY = /^[A-Z]{3}$/;

function requiredSkills(values: readonly RequiredSkill[]): RequiredSkill[] {
  if (values.length > MAX_REQUIRED_SKILLS) throw badInput(`requiredSkills may hold at most ${MAX_REQUIRED_SKILLS} skills`, 'requiredSkills');
  const seen = new Set<string>();
  return values.map((value, index) => {
    const skillId = id(value.skillId, `requiredSkills.${index}.skillId`);
    if (seen.has(skillId)) throw badInput(`requiredSkills lists skill ${skillId} more than once`, `requiredSkills.${index}.skillId`);
    seen.add(skillId);
    return { skillId, level: value.level };
  });
}

function salary(value: SalaryInput | null | undefined): SalaryRange | null {
  if (value == null) return null;
  const min = intInRange(value.min, 'salary.min', 0, MAX_SALARY)!;
  const max = intInRange(value.max, 'salary.max', 0, MAX_SALARY)!;
  if (max < min) throw badInput('salary.max must not be below salary.min', 'salary.max');
  const currency = value.currency.trim().toUpperCase();
  if (!CURRENCY.test(currency)) throw badInput('salary.currency must be a three-letter ISO-4217 code, e.g. EUR', 'salary.currency');
  return { min, max, currency, period: value.period };
}

/** Validates only the fields present, so an update changes exactly what the client sent. */
function validFields(input: JobInput): JobUpdate {
  const fields: JobUpdate = {};
  if ('title' in input) fields.title = requiredText(input.title, 'title');
  if ('description' in input) fields.description = optionalText(input.description, 'description', 20_000);
  if ('requiredSkills' in input) {
    if (input.requiredSkills == null) throw badInput('requiredSkills cannot be null; send [] for none', 'requiredSkills');
    fields.requiredSkills = requiredSkills(input.requiredSkills);
  }
  if ('location' in input) fields.location = location(input.location);
  if ('employmentType' in input) {
    if (input.employmentType == null) throw badInput('employmentType cannot be null', 'employmentType');
    fields.employmentType = input.employmentType;
  }
  if ('salary' in input) fields.salary = salary(input.salary);
  return fields;
}

export const Mutation = {
  async createJob(_: unknown, args: { input: CreateJobInput }, ctx: Context) {
    const companyId = id(args.input.companyId, 'companyId');
    const fields = validFields({ requiredSkills: [], ...args.input });
    if (!fields.title) throw badInput('title is required', 'title');
    if (!fields.employmentType) throw badInput('employmentType is required', 'employmentType');
    return ctx.stores.jobs.create(
      {
        companyId,
        title: fields.title,
        description: fields.description ?? null,
        requiredSkills: fields.requiredSkills ?? [],
        location: fields.location ?? null,
        employmentType: fields.employmentType,
        salary: fields.salary ?? null,
      },
      author(ctx),
    );
  },

  async updateJob(_: unknown, args: { id: string; input: JobInput }, ctx: Context) {
    const job = await ctx.stores.jobs.update(id(args.id), validFields(args.input));
    if (!job) throw notFound('Job', args.id);
    return job;
  },

  async changeJobStatus(_: unknown, args: { id: string; status: JobStatus }, ctx: Context) {
    const result = await ctx.stores.jobs.changeStatus(id(args.id), args.status, author(ctx));
    if (result.outcome === 'not-found') throw notFound('Job', args.id);
    if (result.outcome === 'illegal') {
      assertJobStatusChange(result.current, args.status);
      throw new Error('unreachable: the store and the status machine disagree');
    }
    return result.job;
  },

  async deleteJob(_: unknown, args: { id: string }, ctx: Context) {
    if (!(await ctx.stores.jobs.delete(id(args.id)))) throw notFound('Job', args.id);
    return args.id;
  },

  async applyToJob(_: unknown, args: { jobId: string; talentId: string; note?: string | null }, ctx: Context) {
    const jobId = id(args.jobId, 'jobId');
    const talentId = id(args.talentId, 'talentId');
    const note = optionalText(args.note, 'note', 2000);
    const result = await ctx.stores.applications.apply(jobId, talentId, author(ctx), note);
    switch (result.outcome) {
      case 'job-not-found':
        throw notFound('Job', args.jobId);
      case 'job-not-open':
        throw badInput(`Job ${jobId} is ${result.status}; talents can apply only while a job is OPEN`, 'jobId');
      case 'duplicate':
        throw conflict(`Talent ${talentId} has already applied to job ${jobId}`);
      case 'applied':
        return result.application;
    }
  },

  async moveApplication(_: unknown, args: { id: string; stage: ApplicationStage; note?: string | null }, ctx: Context) {
    const applicationId = id(args.id);
    const note = optionalText(args.note, 'note', 2000);
    const result = await ctx.stores.applications.move(applicationId, args.stage, author(ctx), note);
    if (result.outcome === 'not-found') throw notFound('Application', args.id);
    if (result.outcome === 'illegal') {
      assertStageMove(result.current, args.stage);
      throw new Error('unreachable: the store and the pipeline disagree');
    }
    return result.application;
  },

  async withdrawApplication(_: unknown, args: { id: string }, ctx: Context) {
    const result = await ctx.stores.applications.withdraw(id(args.id));
    if (result.outcome === 'not-found') throw notFound('Application', args.id);
    if (result.outcome === 'final') {
      throw badInput(`The application is ${result.stage}, which is final; it stays on record and cannot be withdrawn`, 'id');
    }
    return args.id;
  },
};
