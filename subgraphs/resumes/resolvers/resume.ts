import { badInput } from '../../../platform/errors.ts';
import { alignByKey, groupByKey } from '../../../platform/loaders.ts';
import type { SubgraphContext } from '../../../platform/subgraph.ts';
import { isId } from '../../../platform/validate.ts';
import { diffDocuments } from '../diff.ts';
import type { Stores } from '../index.ts';
import type { ResumeDocument, Resume as ResumeRecord, ResumeVersion } from '../store.ts';
import { loadTalent } from './talent.ts';

type Context = SubgraphContext<Stores>;

/** Batches every resume lookup in one request into one query. */
export async function loadResume(ctx: Context, id: unknown): Promise<ResumeRecord | null> {
  if (typeof id !== 'string' || !isId(id)) return null;
  return ctx.loaders
    .get<string, ResumeRecord | null>('resumeById', async (ids) => alignByKey(ids, await ctx.stores.resumes.getMany(ids), (r) => r.id))
    .load(id.toLowerCase());
}

/** One saved version, batched across resumes and versions. */
export async function loadVersion(ctx: Context, resumeId: string, version: number): Promise<ResumeVersion | null> {
  if (!isId(resumeId)) return null;
  const keyOf = (id: string, number: number) => `${id}#${number}`;
  return ctx.loaders
    .get<string, ResumeVersion | null>('resumeVersion', async (keys) => {
      const wanted = keys.map((key) => {
        const [id, number] = key.split('#');
        return { resumeId: id!, version: Number(number) };
      });
      return alignByKey(keys, await ctx.stores.resumes.getVersions(wanted), (v) => keyOf(v.resumeId, v.version));
    })
    .load(keyOf(resumeId.toLowerCase(), version));
}

function loadHistory(ctx: Context, resumeId: string): Promise<ResumeVersion[]> {
  return ctx.loaders
    .get<string, ResumeVersion[]>('versionsByResume', async (ids) =>
      groupByKey(ids, await ctx.stores.resumes.listVersions(ids), (v) => v.resumeId),
    )
    .load(resumeId);
}

/** Only the document's own fields, in document order: what the diff compares. */
function documentOf(source: ResumeDocument): ResumeDocument {
  const { title, summary, education, experience, skills, projects, certifications } = source;
  return { title, summary, education, experience, skills, projects, certifications };
}

function checkVersion(resume: ResumeRecord, version: number, field: string): void {
  if (!Number.isInteger(version) || version < 1 || version > resume.version) {
    throw badInput(`${field} must be a version of this resume, from 1 to ${resume.version}`, field);
  }
}

export const Resume = {
  __resolveReference: (reference: { id?: unknown }, ctx: Context) => loadResume(ctx, reference.id),
  talent: (resume: ResumeRecord, _: unknown, ctx: Context) => loadTalent(ctx, resume.talentId),
  versions: (resume: ResumeRecord, _: unknown, ctx: Context) => loadHistory(ctx, resume.id),

  async changes(resume: ResumeRecord, args: { from: number; to: number }, ctx: Context) {
    checkVersion(resume, args.from, 'from');
    checkVersion(resume, args.to, 'to');
    const [before, after] = await Promise.all([loadVersion(ctx, resume.id, args.from), loadVersion(ctx, resume.id, args.to)]);
    // Versions are never deleted on their own, so both exist once the range check passed.
    if (!before || !after) throw new Error(`Resume ${resume.id} is missing version ${before ? args.to : args.from}`);
    return diffDocuments(documentOf(before), documentOf(after));
  },
};
