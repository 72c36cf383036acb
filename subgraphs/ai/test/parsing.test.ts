import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { constants, deflateRawSync, deflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { generateDemoDataset } from '../../../demo/dataset.ts';
import { aliasMap } from '../../../platform/text-analysis.ts';
import { MAX_EXPANDED_BYTES } from '../parsing/expansion.ts';
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

/** Raw deflate data of `mib` MiB of one byte, made without holding them: 1 MiB deflated once (ending on a full flush) and repeated. */
function deflatedRun(mib: number, byte: number): Buffer {
  const piece = deflateRawSync(Buffer.alloc(1 << 20, byte), { finishFlush: constants.Z_FULL_FLUSH });
  return Buffer.concat([...Array<Buffer>(mib).fill(piece), deflateRawSync(Buffer.alloc(0))]);
}
/** Raw deflate data as a zlib stream (FlateDecode); the Adler-32 is left zero, which neither pdf.js nor the check reads. */
const zlibStream = (raw: Buffer) => Buffer.concat([Buffer.from([0x78, 0x9c]), raw, Buffer.alloc(4)]);

/** The ZIP with one more deflated entry, declared (falsely) to unpack to 1 KB; the central directory is moved after it. */
function withEntry(zip: Buffer, name: string, data: Buffer): Buffer {
  const end = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  const [size, offset] = [zip.readUInt32LE(end + 12), zip.readUInt32LE(end + 16)];
  const file = Buffer.from(name);
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(20, 4);
  local.writeUInt16LE(8, 8);
  local.writeUInt32LE(data.length, 18);
  local.writeUInt32LE(1024, 22);
  local.writeUInt16LE(file.length, 26);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt16LE(20, 4);
  central.writeUInt16LE(20, 6);
  central.writeUInt16LE(8, 10);
  central.writeUInt32LE(data.length, 20);
  central.writeUInt32LE(1024, 24);
  central.writeUInt16LE(file.length, 28);
  central.writeUInt32LE(offset, 42);
  const record = Buffer.from(zip.subarray(end));
  record.writeUInt16LE(record.readUInt16LE(8) + 1, 8);
  record.writeUInt16LE(record.readUInt16LE(10) + 1, 10);
  record.writeUInt32LE(size + central.length + file.length, 12);
  record.writeUInt32LE(offset + local.length + file.length + data.length, 16);
  return Buffer.concat([zip.subarray(0, offset), local, file, data, zip.subarray(offset, offset + size), central, file, record]);
}

/** A one-page PDF whose page content is `data` under `filter`, with a correct cross-reference table. */
function pdfWith(data: Buffer, filter: string, trailer = ''): Buffer {
  const parts = [Buffer.from('%PDF-1.7\n')];
  const offsets: number[] = [];
  const add = (...part: (string | Buffer)[]) => {
    offsets.push(Buffer.concat(parts).length);
    parts.push(...part.map((piece) => Buffer.from(piece)));
  };
  add('1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n');
  add('2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n');
  add('3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>\nendobj\n');
  add(`4 0 obj\n<< /Length ${data.length} /Filter ${filter} >>\nstream\n`, data, '\nendstream\nendobj\n');
  const xref = Buffer.concat(parts).length;
  const entries = offsets.map((offset) => `${String(offset).padStart(10, '0')} 00000 n \n`).join('');
  parts.push(Buffer.from(`xref\n0 5\n0000000000 65535 f \n${entries}trailer\n<< /Size 5 /Root 1 0 R ${trailer}>>\nstartxref\n${xref}\n%%EOF\n`));
  return Buffer.concat(parts);
}

const failure = (bytes: Uint8Array) => extractText(bytes).then(() => null, (error: unknown) => error as Error);
const OVER = new RegExp(`expands to more than ${MAX_EXPANDED_BYTES / 1024 / 1024} MiB when unpacked`);

describe('decompression bombs, refused before mammoth or pdf.js unpack them', () => {
  it('refuses a DOCX with an entry of 200 MiB of zeros, whatever size it declares', async () => {
    const bomb = withEntry(Buffer.from(fixture('resume-en.docx')), 'word/media/bomb.bin', deflatedRun(200, 0));
    expect(bomb.length).toBeLessThan(MAX_FILE_BYTES);
    const error = await failure(bomb);
    expect(error).toBeInstanceOf(FileError);
    expect(error!.message).toMatch(/^The DOCX expands to more than 64 MiB when unpacked/);
  });

  it('still reads a DOCX with a harmless extra entry', async () => {
    const docx = withEntry(Buffer.from(fixture('resume-en.docx')), 'word/media/extra.bin', deflatedRun(8, 0));
    expect((await extractText(docx)).text).toContain('Jane Doe');
  });

  it.each(['/FlateDecode', '/Fl', '[/FlateDecode]', '/Fl#61teDecode'])('refuses a PDF whose content, under %s, is 200 MiB of spaces', async (filter) => {
    const error = await failure(pdfWith(zlibStream(deflatedRun(200, 32)), filter));
    expect(error).toBeInstanceOf(FileError);
    expect(error!.message).toMatch(/^The PDF expands to more than 64 MiB when unpacked/);
  });

  it('refuses a chained [/FlateDecode /FlateDecode] bomb, small once and vast twice unpacked', async () => {
    const inner = zlibStream(deflatedRun(200, 32));
    const outer = deflateSync(inner);
    expect(outer.length).toBeLessThan(inner.length / 10);
    expect((await failure(pdfWith(outer, '[/FlateDecode /FlateDecode]')))!.message).toMatch(OVER);
  });

  it('counts what it cannot unpack at its worst case: LZW, and damaged deflate data', async () => {
    expect((await failure(pdfWith(randomBytes(32 * 1024), '/LZWDecode')))!.message).toMatch(/expands to more than 64 MiB when unpacked \(LZW data/);
    const damaged = Buffer.concat([Buffer.from([0x78, 0x9c, 0xff]), randomBytes(100_000)]); // block type 3 does not exist
    expect((await failure(pdfWith(damaged, '/FlateDecode')))!.message).toMatch(/worst case/);
  });

  it('refuses an encrypted PDF, whose streams it cannot check', async () => {
    expect((await failure(pdfWith(deflateSync('BT ET'), '/FlateDecode', '/Encrypt 5 0 R')))!.message).toMatch(/^The PDF is encrypted/);
  });

  it('lets through a PDF that unpacks within the budget, for pdf.js to read', async () => {
    expect((await failure(pdfWith(zlibStream(deflatedRun(8, 32)), '/FlateDecode')))!.message).toMatch(/holds no text/);
  });
});
