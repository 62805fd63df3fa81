import crypto from 'node:crypto';
import { pathToFileURL } from 'node:url';
import vm from 'node:vm';
import { PDFDocument } from 'pdf-lib';
import type * as FileTypeCore from 'file-type/core' with { 'resolution-mode': 'import' };
import { importEsm } from '../platform/esm';

/*
 * Whether a file a case receives is a document we can keep and review. The type is judged by
 * the bytes, never the name: a renamed program or archive must not reach a case manager's
 * desktop as "records.pdf". Every refusal names the file and says what to do, in words a
 * case manager can pass on to the sender.
 */

export const ACCEPTED_DOCUMENT_TYPES = [
  { contentType: 'application/pdf', label: 'PDF' },
  { contentType: 'image/tiff', label: 'TIFF' },
  { contentType: 'image/jpeg', label: 'JPEG' },
  { contentType: 'image/png', label: 'PNG' },
] as const;

export type DocumentInspection = { ok: true; contentType: string; sha256: string; size: number } | { ok: false; problem: string };

const ACCEPTED_LIST = 'a PDF, TIFF, JPEG or PNG';

const EXECUTABLES: Record<string, string> = {
  exe: 'a Windows program (an executable)',
  elf: 'a Linux program (an executable)',
  macho: 'a macOS program (an executable)',
};

// What common refused types are, in a case manager's words; others are named by extension and MIME type.
const LABELS: Record<string, string> = {
  zip: 'a ZIP archive',
  rar: 'a RAR archive',
  '7z': 'a 7-Zip archive',
  gz: 'a compressed (gzip) file',
  'tar.gz': 'a compressed (tar.gz) archive',
  tar: 'a TAR archive',
  docx: 'a Word document',
  docm: 'a Word document',
  xlsx: 'an Excel spreadsheet',
  xlsm: 'an Excel spreadsheet',
  pptx: 'a PowerPoint presentation',
  cfb: 'an older Microsoft Office file (such as .doc, .xls or .msg)',
  rtf: 'an RTF document',
  odt: 'an OpenDocument text file',
  gif: 'a GIF image',
  webp: 'a WebP image',
  bmp: 'a BMP image',
  heic: 'a HEIC photo (the iPhone camera format)',
  avif: 'an AVIF image',
  dcm: 'a DICOM medical image',
  xml: 'an XML file',
  ps: 'a PostScript file',
  eps: 'a PostScript (EPS) file',
  mp4: 'a video',
  mov: 'a video',
  mp3: 'a sound recording',
  wav: 'a sound recording',
  m4a: 'a sound recording',
};

const NAME_EXTENSIONS: Record<string, string> = {
  pdf: 'application/pdf',
  tif: 'image/tiff',
  tiff: 'image/tiff',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  png: 'image/png',
};

export async function inspectDocument(fileName: string, bytes: Buffer, maxBytes: number): Promise<DocumentInspection> {
  if (!Number.isSafeInteger(maxBytes) || maxBytes <= 0) throw new RangeError(`maxBytes must be a positive whole number of bytes, not ${maxBytes}`);
  const name = JSON.stringify(fileName);
  const refuse = (problem: string): DocumentInspection => ({ ok: false, problem });
  if (bytes.length === 0) return refuse(`${name} is empty (0 bytes): the upload may have been cut short. Send the file again.`);
  if (bytes.length > maxBytes) {
    const [size, limit] = describeSizes(bytes.length, maxBytes);
    return refuse(`${name} is ${size}, over the ${limit} limit for one document. Send it in smaller parts, or scanned at a lower resolution.`);
  }

  const detected = await (await fileType()).fileTypeFromBuffer(bytes);
  // An animated PNG is still a PNG: every PNG reader shows its first frame.
  const contentType = detected?.ext === 'apng' ? 'image/png' : detected?.mime;
  const nameExtension = /\.([a-z0-9]+)$/i.exec(fileName)?.[1]?.toLowerCase() ?? '';
  const claimed = NAME_EXTENSIONS[nameExtension];
  const misnamed = claimed !== undefined && claimed !== contentType ? `is named .${nameExtension} but ` : '';

  const executable = detected && EXECUTABLES[detected.ext];
  if (executable) {
    return refuse(`${name} ${misnamed}is ${executable}, not a document, and was refused for safety. Ask the sender for the document itself as ${ACCEPTED_LIST}.`);
  }
  if (!ACCEPTED_DOCUMENT_TYPES.some((t) => t.contentType === contentType)) {
    const what = detected ? (LABELS[detected.ext] ?? `a .${detected.ext} file (${detected.mime})`) : undefined;
    const problem = what
      ? `${name} ${misnamed}is ${what}, not ${ACCEPTED_LIST}.`
      : misnamed
        ? `${name} ${misnamed}its content is not ${ACCEPTED_LIST}.`
        : `${name} is not ${ACCEPTED_LIST}.`;
    return refuse(`${problem} Send the document in one of those formats.`);
  }

  if (contentType === 'application/pdf') {
    const problem = await pdfProblem(bytes);
    if (problem === 'encrypted') {
      return refuse(`${name} is a password-protected (encrypted) PDF, which cannot be opened for review. Remove the password and send it again.`);
    }
    if (problem === 'unreadable') return refuse(`${name} starts like a PDF but cannot be opened: it may be damaged or incomplete. Send it again.`);
  }

  return { ok: true, contentType: contentType!, sha256: crypto.createHash('sha256').update(bytes).digest('hex'), size: bytes.length };
}

/*
 * pdf-lib records the trailer's /Encrypt entry (classic trailer or cross-reference stream) as
 * isEncrypted. Its EncryptedPDFError cannot be told apart with instanceof (pdf-lib is compiled to
 * ES5, which loses the subclass), hence ignoreEncryption and the flag. pdf-lib accepts almost any
 * bytes after "%PDF"; a document without a readable page is treated as damaged.
 */
async function pdfProblem(bytes: Buffer): Promise<'encrypted' | 'unreadable' | undefined> {
  try {
    const pdf = await PDFDocument.load(bytes, { ignoreEncryption: true, updateMetadata: false });
    if (pdf.isEncrypted) return 'encrypted';
    return pdf.getPageCount() > 0 ? undefined : 'unreadable';
  } catch {
    return 'unreadable';
  }
}

const MB = 1024 * 1024;

/** The size rounded up and the limit rounded down, so a file just over the limit never reads as equal to it. */
function describeSizes(size: number, limit: number): [string, string] {
  const [unit, label] = limit >= MB ? [MB, 'MB'] : limit >= 1024 ? [1024, 'KB'] : [1, 'bytes'];
  const show = (n: number, round: (x: number) => number) => `${unit === 1 ? n : round((n / unit) * 10) / 10} ${label}`;
  return [show(size, Math.ceil), show(limit, Math.floor)];
}

type FileTypeModule = typeof FileTypeCore;
let fileTypeModule: Promise<FileTypeModule> | undefined;

/*
 * file-type is ESM-only. importEsm (a real import()) loads it under node and tsx. Jest runs
 * this code in a vm context without a dynamic-import hook (unless started with
 * --experimental-vm-modules), so there import() fails with
 * ERR_VM_DYNAMIC_IMPORT_CALLBACK_MISSING_FLAG; then the import is made from node's main context
 * instead. file-type/core is the buffer-only entry point, and the one jest's resolver can find.
 */
function fileType(): Promise<FileTypeModule> {
  fileTypeModule ??= (async () => {
    const url = pathToFileURL(require.resolve('file-type/core')).href;
    try {
      return await importEsm<FileTypeModule>(url);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ERR_VM_DYNAMIC_IMPORT_CALLBACK_MISSING_FLAG') throw err;
      const mainContextImport = vm.runInThisContext('(specifier) => import(specifier)', {
        importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
      }) as (specifier: string) => Promise<FileTypeModule>;
      return mainContextImport(url);
    }
  })();
  return fileTypeModule;
}
