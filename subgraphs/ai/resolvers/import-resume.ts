import { badInput, notFound } from '../../../platform/errors.ts';
import type { SubgraphContext } from '../../../platform/subgraph.ts';
import { isId } from '../../../platform/validate.ts';
import type { Stores } from '../index.ts';
import { FileError, MAX_FILE_BYTES, extractText } from '../parsing/extract.ts';
import { draftResume } from '../parsing/structure.ts';

type Context = SubgraphContext<Stores>;

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** `Mutation.importResume`: a draft from a file, nothing stored (schema.graphql). */
export async function importResume(_: unknown, args: { file: { filename: string; contentBase64: string }; talentId?: string | null }, ctx: Context) {
  const talentId = args.talentId?.toLowerCase() ?? null;
  if (talentId !== null) {
    if (!isId(talentId)) throw badInput('talentId must be a talent id', 'talentId');
    const [known] = await ctx.stores.db.query('select 1 from talents where id = $1', [talentId]);
    if (!known) throw notFound('Talent', talentId);
  }
  const content = args.file.contentBase64.replace(/\s+/g, '');
  if (!BASE64.test(content) || content.length % 4 === 1) throw badInput('file.contentBase64 is not base64', 'file.contentBase64');
  if ((content.length * 3) / 4 > MAX_FILE_BYTES + 2) throw badInput(`${args.file.filename} is larger than ${MAX_FILE_BYTES / 1024 / 1024} MiB`, 'file');
  let read: Awaited<ReturnType<typeof extractText>>;
  try {
    read = await extractText(new Uint8Array(Buffer.from(content, 'base64')));
  } catch (error) {
    if (error instanceof FileError) throw badInput(`${args.file.filename}: ${error.message}`, 'file');
    throw error;
  }
  const skills = await ctx.stores.taxonomy.load(ctx.stores.db);
  const draft = draftResume(read.text, skills.aliases);
  const idOf = new Map([...skills.names].map(([id, name]) => [name.toLowerCase(), id]));
  return {
    ...draft,
    talent: talentId ? { id: talentId } : null,
    format: read.kind,
    text: read.text,
    skills: draft.skills.flatMap((skill) => {
      const id = idOf.get(skill.name.toLowerCase());
      return id ? [{ skill: { id }, level: skill.level, writtenAs: skill.writtenAs }] : [];
    }),
  };
}
