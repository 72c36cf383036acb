import { readFileSync } from 'node:fs';
import { constants, deflateRawSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemoData } from '../../../demo/load.ts';
import { codes } from '../../../test/support/client.ts';
import { startTestSupergraph } from '../../../test/support/services.ts';
import { signedIn } from '../../../test/support/signed-in.ts';

/** importResume through the gateway: files in, drafts out, nothing stored. */

const IMPORT = `mutation($file: ResumeFileInput!, $talentId: ID) {
  importResume(file: $file, talentId: $talentId) {
    talent { id name }
    format name title
    contact { email phone }
    experience { companyName title from to }
    education { institution degree field }
    skills { skill { id name } level writtenAs }
    unrecognizedSkills
  }
}`;

const file = (name: string) => ({ filename: name, contentBase64: readFileSync(new URL(`./fixtures/${name}`, import.meta.url)).toString('base64') });

/** A ZIP, so a DOCX by its first bytes, of one entry holding 200 MiB of zeros deflated to some 200 KB (1 MiB deflated once, repeated). */
function zipBomb(): Buffer {
  const piece = deflateRawSync(Buffer.alloc(1 << 20), { finishFlush: constants.Z_FULL_FLUSH });
  const data = Buffer.concat([...Array<Buffer>(200).fill(piece), deflateRawSync(Buffer.alloc(0))]);
  const name = Buffer.from('word/document.xml');
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(8, 8);
  local.writeUInt32LE(data.length, 18);
  local.writeUInt16LE(name.length, 26);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt16LE(8, 10);
  central.writeUInt32LE(data.length, 20);
  central.writeUInt16LE(name.length, 28);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(1, 8);
  end.writeUInt16LE(1, 10);
  end.writeUInt32LE(central.length + name.length, 12);
  end.writeUInt32LE(local.length + name.length + data.length, 16);
  return Buffer.concat([local, name, data, central, name, end]);
}

interface Draft {
  talent: { id: string; name: string } | null;
  format: string;
  name: string;
  title: string;
  contact: { email: string | null };
  experience: { companyName: string; from: string; to: string | null }[];
  education: { institution: string }[];
  skills: { skill: { id: string; name: string }; level: string; writtenAs: string }[];
}

let supergraph: Awaited<ReturnType<typeof startTestSupergraph>>;
const people = signedIn({ recruiter: 'recruiter@looma.dev', guest: 'guest@looma.dev' });
let talent: { id: string; name: string };
const resumeCount = async () =>
  (await people.ok<{ talent: { resumes: unknown[] } }>('recruiter', `query($id: ID!) { talent(id: $id) { resumes { id } } }`, { id: talent.id })).talent.resumes.length;

beforeAll(async () => {
  supergraph = await startTestSupergraph(loadDemoData);
  await supergraph.built();
  await people.signIn(supergraph.url);
  const { talents } = await people.ok<{ talents: { edges: { node: { id: string; name: string } }[] } }>('recruiter', '{ talents(first: 1) { edges { node { id name } } } }');
  talent = talents.edges[0]!.node;
}, 120_000);
afterAll(() => supergraph?.stop());

/** Files are sent where the gateway reads bodies large enough for them (gateway/security/files-path.ts). */
const importAs = (who: 'recruiter' | 'guest', variables: Record<string, unknown>) => people.asAtPath<{ importResume: Draft }>('/graphql/files', who, IMPORT, variables);
async function importOk(who: 'recruiter' | 'guest', variables: Record<string, unknown>): Promise<{ importResume: Draft }> {
  const result = await importAs(who, variables);
  expect(result.errors, JSON.stringify(result.errors)).toBeUndefined();
  return result.data!;
}

describe('importResume', () => {
  it('drafts a resume from an English PDF, its skills resolved by the skills subgraph, and stores nothing', async () => {
    const before = await resumeCount();
    const { importResume: draft } = await importOk('recruiter', { file: file('resume-en.pdf'), talentId: talent.id });
    expect(draft).toMatchObject({ talent, format: 'PDF', name: 'Jane Doe', title: 'Senior Backend Engineer', contact: { email: 'jane.doe@example.com' } });
    expect(draft.experience.map((stint) => [stint.companyName, stint.from, stint.to])).toEqual([
      ['Acme Payments', '2020-03', null],
      ['Globex', '2016-06', '2020-02'],
    ]);
    expect(draft.skills.map((entry) => [entry.skill.name, entry.level])).toEqual([
      ['TypeScript', 'EXPERT'],
      ['GraphQL', 'INTERMEDIATE'],
      ['PostgreSQL', 'ADVANCED'],
      ['Kubernetes', 'INTERMEDIATE'],
      ['Node.js', 'INTERMEDIATE'],
    ]);
    expect(await resumeCount()).toBe(before);
  });

  it('drafts a resume from a Chinese DOCX', async () => {
    const { importResume: draft } = await importOk('recruiter', { file: file('resume-zh.docx') });
    expect(draft).toMatchObject({ talent: null, format: 'DOCX', name: '张伟', title: '高级 Java 工程师' });
    expect(draft.education).toEqual([{ institution: '复旦大学', degree: '本科', field: '计算机科学' }]);
    expect(draft.skills.map((entry) => entry.skill.name)).toEqual(['Java', 'Spring Boot', 'MySQL', 'Kubernetes', 'Docker']);
  });

  it('refuses corrupt, oversized, non-base64 and unknown-talent imports with the right codes, storing nothing', async () => {
    const before = await resumeCount();
    const corrupt = { filename: 'broken.pdf', contentBase64: readFileSync(new URL('./fixtures/resume-en.pdf', import.meta.url)).subarray(0, 400).toString('base64') };
    const refused = await importAs('recruiter', { file: corrupt, talentId: talent.id });
    expect(codes(refused)).toEqual(['BAD_USER_INPUT']);
    expect(refused.errors![0]!.message).toMatch(/^broken\.pdf: The PDF could not be read/);
    const huge = { filename: 'huge.txt', contentBase64: Buffer.alloc(2 * 1024 * 1024 + 16, 'a').toString('base64') };
    const tooBig = await importAs('recruiter', { file: huge });
    expect(codes(tooBig)).toEqual(['BAD_USER_INPUT']);
    expect(tooBig.errors![0]!.message).toMatch(/larger than 2 MiB/);
    expect(codes(await importAs('recruiter', { file: { filename: 'x.txt', contentBase64: '%%%not base64%%%' } }))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await importAs('recruiter', { file: file('resume-en.txt'), talentId: '00000000-0000-4000-8000-000000000000' }))).toEqual(['NOT_FOUND']);
    expect(codes(await importAs('guest', { file: file('resume-en.txt') }))).toEqual(['FORBIDDEN']);
    expect(await resumeCount()).toBe(before);
  });

  it('refuses a DOCX that unpacks past the budget (a zip bomb) before unpacking it, naming the file', async () => {
    const refused = await importAs('recruiter', { file: { filename: 'bomb.docx', contentBase64: zipBomb().toString('base64') } });
    expect(codes(refused)).toEqual(['BAD_USER_INPUT']);
    expect(refused.errors![0]!.message).toMatch(/^bomb\.docx: The DOCX expands to more than 64 MiB when unpacked/);
  });
});
