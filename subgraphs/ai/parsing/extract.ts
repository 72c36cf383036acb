import { extractText as extractPdfText, getDocumentProxy } from 'unpdf';
import { checkExpansion } from './expansion.ts';
import { FileError } from './file-error.ts';

export { FileError };

/**
 * The text of an uploaded resume file: PDF (pdf.js, through unpdf), DOCX (mammoth) or plain
 * UTF-8 text, told apart by their first bytes rather than by the name given. Everything is npm:
 * no binary from outside. A DOCX or PDF must not unpack to more than MAX_EXPANDED_BYTES
 * (expansion.ts), checked before its parser unpacks it. A file that is none of these, that
 * unpacks too far or that its parser cannot read, is a FileError, which the resolver reports as
 * BAD_USER_INPUT.
 */

/** The largest file accepted, decoded: 2 MiB (base64 in a request, it stays under the 4 MB body limit). */
export const MAX_FILE_BYTES = 2 * 1024 * 1024;
/** PDF pages read, at most: a resume is a few pages; a thousand-page file is not one. */
export const MAX_PDF_PAGES = 20;
/** Text kept, at most, in characters. */
export const MAX_TEXT_LENGTH = 100_000;

export type FileKind = 'PDF' | 'DOCX' | 'TXT';

export function kindOf(bytes: Uint8Array): FileKind {
  const starts = (signature: number[]) => signature.every((byte, index) => bytes[index] === byte);
  if (starts([0x25, 0x50, 0x44, 0x46, 0x2d])) return 'PDF'; // %PDF-
  if (starts([0x50, 0x4b, 0x03, 0x04])) return 'DOCX'; // a ZIP container
  if (isText(bytes)) return 'TXT';
  throw new FileError('The file is not a PDF, a DOCX or UTF-8 text');
}

export async function extractText(bytes: Uint8Array): Promise<{ kind: FileKind; text: string }> {
  if (bytes.length === 0) throw new FileError('The file is empty');
  if (bytes.length > MAX_FILE_BYTES) throw new FileError(`The file is larger than ${MAX_FILE_BYTES / 1024 / 1024} MiB`);
  const kind = kindOf(bytes);
  if (kind !== 'TXT') checkExpansion(kind, bytes);
  const text = kind === 'PDF' ? await pdfText(bytes) : kind === 'DOCX' ? await docxText(bytes) : new TextDecoder().decode(bytes);
  const clean = text.replace(/\r\n?/g, '\n').replaceAll('\u0000', '').trim();
  if (!clean) throw new FileError(`The ${kind} file holds no text (a scanned image needs OCR, which is not offered)`);
  return { kind, text: clean.slice(0, MAX_TEXT_LENGTH) };
}

async function pdfText(bytes: Uint8Array): Promise<string> {
  try {
    // pdf.js may detach the buffer it is given: hand it a copy.
    const document = await getDocumentProxy(new Uint8Array(bytes));
    if (document.numPages > MAX_PDF_PAGES) throw new FileError(`The PDF has ${document.numPages} pages; a resume has at most ${MAX_PDF_PAGES}`);
    const { text } = await extractPdfText(document, { mergePages: false });
    return text.join('\n');
  } catch (error) {
    if (error instanceof FileError) throw error;
    throw new FileError(`The PDF could not be read (${(error as Error).message})`);
  }
}

async function docxText(bytes: Uint8Array): Promise<string> {
  // Loaded on the first DOCX: every start would load it otherwise, for an occasional upload.
  const { default: mammoth } = await import('mammoth');
  try {
    const { value } = await mammoth.extractRawText({ buffer: Buffer.from(bytes) });
    return value;
  } catch (error) {
    throw new FileError(`The DOCX could not be read (${(error as Error).message})`);
  }
}

/** Valid UTF-8 with no control characters other than tabs and line breaks. */
function isText(bytes: Uint8Array): boolean {
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return ![...text].some((char) => {
      const code = char.charCodeAt(0);
      return code < 0x20 && char !== '\t' && char !== '\n' && char !== '\r' && char !== '\f' && char !== '\v';
    });
  } catch {
    return false;
  }
}
