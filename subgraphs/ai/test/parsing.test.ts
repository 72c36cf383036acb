import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { generateDemoDataset } from '../../../demo/dataset.ts';
import { aliasMap } from '../../../platform/text-analysis.ts';
import { FileError, MAX_FILE_BYTES, extractText } from '../parsing/extract.ts';
import { draftResume } from '../parsing/structure.ts';

const aliases = aliasMap(generateDemoDataset().skills);
const fixture = (name: string) => new Uint8Array(readFileSync(new URL(`./fixtures/${name}`, import.meta.url)));

describe('reading resume files (fixtures/make.ts wrote them)', () => {
  it.each(['resume-en.pdf', 'resume-en.docx', 'resume-en.txt'])('structures the English resume in %s', async (name) => {
    const { kind, text } = await extractText(fixture(name));
    expect(kind).toBe(name.split('.').at(-1)!.toUpperCase());
    const draft = draftResume(text, aliases);
    expect(draft).toMatchObject({
      name: 'Jane Doe',
      title: 'Senior Backend Engineer',
      summary: 'Backend engineer who builds GraphQL APIs and keeps PostgreSQL fast.',
      contact: { email: 'jane.doe@example.com', phone: '+44 20 7946 0958', linkedin: 'https://www.linkedin.com/in/jane-doe-example', website: null },
      experience: [
        { title: 'Senior Backend Engineer', companyName: 'Acme Payments', from: '2020-03', to: null, description: 'Led the move of the payments API to GraphQL federation.' },
        { title: 'Backend Engineer', companyName: 'Globex', from: '2016-06', to: '2020-02', description: 'Built order services in Node.js and TypeScript.' },
      ],
      education: [{ institution: 'University of Manchester', degree: 'BSc', field: 'Computer Science', from: '2012-01', to: '2016-01' }],
      unrecognizedSkills: ['Basket weaving'],
    });
    expect(draft.skills.map((skill) => [skill.name, skill.level])).toEqual([
      ['TypeScript', 'EXPERT'],
      ['GraphQL', 'INTERMEDIATE'],
      ['PostgreSQL', 'ADVANCED'],
      ['Kubernetes', 'INTERMEDIATE'],
      ['Node.js', 'INTERMEDIATE'],
    ]);
  });

  it.each(['resume-zh.pdf', 'resume-zh.docx'])('structures the Chinese resume in %s', async (name) => {
    const draft = draftResume((await extractText(fixture(name))).text, aliases);
    expect(draft).toMatchObject({
      name: '张伟',
      title: '高级 Java 工程师',
      summary: '十年后端开发经验，熟悉分布式系统。',
      contact: { email: 'zhang.wei@example.cn', phone: '+86 138 0013 8000' },
      experience: [
        { companyName: '上海星辰科技有限公司', title: '高级Java工程师', from: '2019-03', to: null, description: '负责订单系统的微服务改造。' },
        { companyName: '北京云图公司', title: 'Java工程师', from: '2014-07', to: '2019-02', description: '开发支付接口。' },
      ],
      education: [{ institution: '复旦大学', degree: '本科', field: '计算机科学', from: '2010-09', to: '2014-06' }],
      unrecognizedSkills: [],
    });
    expect(draft.skills.map((skill) => [skill.name, skill.level])).toEqual([
      ['Java', 'EXPERT'],
      ['Spring Boot', 'INTERMEDIATE'],
      ['MySQL', 'INTERMEDIATE'],
      ['Kubernetes', 'INTERMEDIATE'],
      ['Docker', 'INTERMEDIATE'],
    ]);
  });

  // Each of these made an unanchored pattern backtrack quadratically (30 000 characters took seconds; the cost grows
  // with the square, so 100 000 take half a minute). Linear reading parses them at once, and still finds what is there.
  it.each([
    ['a run of letters', 'a'.repeat(100_000)],
    ['a run of digits', '1'.repeat(100_000)],
    ['a run of dashes', '-'.repeat(100_000)],
    ['dotted words', 'a.'.repeat(50_000)],
    ['at signs', 'a@'.repeat(50_000)],
    ['month names', `Experience\n${'jan'.repeat(33_000)}`],
    ['separators around a date range', `Experience\n2019 - 2021 ${'-,'.repeat(50_000)}x`],
  ])('reads %s quickly and still finds the contact details after it', (_, noise) => {
    const draft = draftResume(`Jane Doe\n${noise}\njane.doe@example.com | +44 20 7946 0958 | https://www.linkedin.com/in/jane-doe`, aliases);
    expect(draft.name).toBe('Jane Doe');
    expect(draft.contact).toMatchObject({ email: 'jane.doe@example.com', phone: '+44 20 7946 0958', linkedin: 'https://www.linkedin.com/in/jane-doe' });
  });

  it('refuses what is not a readable resume file, saying why', async () => {
    const pdf = fixture('resume-en.pdf');
    const cases: [Uint8Array, RegExp][] = [
      [new Uint8Array(), /empty/],
      [new Uint8Array(MAX_FILE_BYTES + 1).fill(65), /larger than 2 MiB/],
      [new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0]), /not a PDF, a DOCX or UTF-8 text/],
      [pdf.slice(0, 400), /PDF could not be read/],
      [new Uint8Array([0x50, 0x4b, 0x03, 0x04, 1, 2, 3, 4, 5]), /DOCX could not be read/],
      [new TextEncoder().encode('   \n  '), /holds no text/],
    ];
    for (const [bytes, message] of cases) {
      const failure = await extractText(bytes).then(() => null, (error: unknown) => error);
      expect(failure).toBeInstanceOf(FileError);
      expect((failure as Error).message).toMatch(message);
    }
  });
});
