import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { ACCEPTED_DOCUMENT_TYPES, inspectDocument } from '../../domain/document-inspection';

const MB = 1024 * 1024;
const LIMIT = 25 * MB;
const sha256 = (b: Buffer) => crypto.createHash('sha256').update(b).digest('hex');

// pdf-lib reports the objects it cannot parse (in encrypted or damaged files) on console.warn.
beforeAll(() => jest.spyOn(console, 'warn').mockImplementation(() => {}));
afterAll(() => jest.restoreAllMocks());

async function onePagePdf(text = 'Attending physician statement'): Promise<Buffer> {
  const doc = await PDFDocument.create();
  const page = doc.addPage([612, 792]);
  page.drawText(text, { x: 72, y: 700, size: 12, font: await doc.embedFont(StandardFonts.Helvetica) });
  return Buffer.from(await doc.save());
}

/** A PDF laid out by hand, with a correct cross-reference table: pdf-lib cannot write encrypted files. */
function handmadePdf(options: { encrypt: boolean; xrefStream?: boolean }): Buffer {
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>',
    // A standard security handler dictionary as Acrobat writes it for AES-256 (values are placeholders).
    `<< /Filter /Standard /V 5 /R 6 /Length 256 /P -1028 /O <${'a1'.repeat(48)}> /U <${'b2'.repeat(48)}> /OE <${'c3'.repeat(32)}> /UE <${'d4'.repeat(32)}> /Perms <${'e5'.repeat(16)}> /CF << /StdCF << /CFM /AESV3 /AuthEvent /DocOpen /Length 32 >> >> /StmF /StdCF /StrF /StdCF >>`,
  ];
  let body = '%PDF-1.7\n%\xe2\xe3\xcf\xd3\n';
  const offsets: number[] = [];
  objects.forEach((o, i) => {
    offsets.push(Buffer.byteLength(body, 'latin1'));
    body += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const id = `[<${'0f'.repeat(16)}> <${'0f'.repeat(16)}>]`;
  const encrypt = options.encrypt ? ' /Encrypt 4 0 R' : '';
  const xrefAt = Buffer.byteLength(body, 'latin1');
  if (options.xrefStream) {
    // PDF 1.5 cross-reference stream: the trailer entries live in the stream's dictionary.
    const row = (type: number, offset: number, gen: number) => Buffer.from([type, offset >> 8, offset & 0xff, gen]);
    const rows = Buffer.concat([row(0, 0, 255), ...offsets.map((o) => row(1, o, 0)), row(1, xrefAt, 0)]);
    body += `5 0 obj\n<< /Type /XRef /Size 6 /W [1 2 1] /Root 1 0 R${encrypt} /ID ${id} /Length ${rows.length} >>\nstream\n`;
    body += rows.toString('latin1');
    body += `\nendstream\nendobj\nstartxref\n${xrefAt}\n%%EOF\n`;
  } else {
    body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
    for (const o of offsets) body += `${String(o).padStart(10, '0')} 00000 n \n`;
    body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R${encrypt} /ID ${id} >>\nstartxref\n${xrefAt}\n%%EOF\n`;
  }
  return Buffer.from(body, 'latin1');
}

function png(): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(zlib.crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(1, 0); // width
  ihdr.writeUInt32BE(1, 4); // height
  ihdr.set([8, 0, 0, 0, 0], 8); // 8-bit greyscale
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', zlib.deflateSync(Buffer.from([0, 0xff]))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

// SOI, a JFIF APP0 segment, EOI: the header a scanner's JPEG starts with.
const jpeg = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, ...Buffer.from('JFIF\0'), 0x01, 0x02, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0xff, 0xd9]);

/** A TIFF header and one IFD with an ImageWidth tag, little-endian ("II") or big-endian ("MM"). */
function tiff(bigEndian: boolean): Buffer {
  const b = Buffer.alloc(8 + 2 + 12 + 4);
  const u16 = (v: number, at: number) => (bigEndian ? b.writeUInt16BE(v, at) : b.writeUInt16LE(v, at));
  const u32 = (v: number, at: number) => (bigEndian ? b.writeUInt32BE(v, at) : b.writeUInt32LE(v, at));
  b.write(bigEndian ? 'MM' : 'II', 0, 'ascii');
  u16(42, 2);
  u32(8, 4);
  u16(1, 8); // one entry
  u16(256, 10); // ImageWidth
  u16(3, 12); // SHORT
  u32(1, 14);
  u16(1700, 18);
  u32(0, 22); // no next IFD
  return b;
}

/** A DOS "MZ" stub pointing at a "PE\0\0" header, as every Windows .exe and .dll starts. */
function windowsExecutable(): Buffer {
  const b = Buffer.alloc(256);
  b.write('MZ', 0, 'ascii');
  b.writeUInt32LE(0x80, 0x3c);
  b.write('PE\0\0', 0x80, 'latin1');
  b.writeUInt16LE(0x8664, 0x84); // x86-64
  return b;
}
const elf = Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x01, 0x00]), Buffer.alloc(56)]);
const machO = Buffer.concat([Buffer.from([0xcf, 0xfa, 0xed, 0xfe, 0x07, 0x00, 0x00, 0x01]), Buffer.alloc(56)]);

/** A one-entry ZIP archive (stored, not compressed) holding notes.txt. */
function zip(): Buffer {
  const name = Buffer.from('notes.txt');
  const data = Buffer.from('medical records inside\n');
  const crc = zlib.crc32(data);
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(20, 4);
  local.writeUInt32LE(crc, 14);
  local.writeUInt32LE(data.length, 18);
  local.writeUInt32LE(data.length, 22);
  local.writeUInt16LE(name.length, 26);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt16LE(20, 4);
  central.writeUInt16LE(20, 6);
  central.writeUInt32LE(crc, 16);
  central.writeUInt32LE(data.length, 20);
  central.writeUInt32LE(data.length, 24);
  central.writeUInt16LE(name.length, 28);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(1, 8);
  end.writeUInt16LE(1, 10);
  end.writeUInt32LE(central.length + name.length, 12);
  end.writeUInt32LE(local.length + name.length + data.length, 16);
  return Buffer.concat([local, name, data, central, name, end]);
}

const refusal = async (name: string, bytes: Buffer, limit = LIMIT) => {
  const result = await inspectDocument(name, bytes, limit);
  if (result.ok) throw new Error(`${name} was accepted as ${result.contentType}`);
  return result.problem;
};

describe('ACCEPTED_DOCUMENT_TYPES', () => {
  test('PDF, TIFF, JPEG and PNG', () => {
    expect(ACCEPTED_DOCUMENT_TYPES.map((t) => [t.contentType, t.label])).toEqual([
      ['application/pdf', 'PDF'],
      ['image/tiff', 'TIFF'],
      ['image/jpeg', 'JPEG'],
      ['image/png', 'PNG'],
    ]);
  });
});

describe('inspectDocument accepts', () => {
  test('a PDF, with its SHA-256 and size', async () => {
    const pdf = await onePagePdf();
    expect(await inspectDocument('aps.pdf', pdf, LIMIT)).toEqual({ ok: true, contentType: 'application/pdf', sha256: sha256(pdf), size: pdf.length });
  });

  test('a classic-trailer PDF and a cross-reference-stream PDF without encryption', async () => {
    for (const pdf of [handmadePdf({ encrypt: false }), handmadePdf({ encrypt: false, xrefStream: true })]) {
      expect(await inspectDocument('form.pdf', pdf, LIMIT)).toMatchObject({ ok: true, contentType: 'application/pdf' });
    }
  });

  test('PNG, JPEG and TIFF (both byte orders), judged by content', async () => {
    expect(await inspectDocument('scan.png', png(), LIMIT)).toMatchObject({ ok: true, contentType: 'image/png' });
    expect(await inspectDocument('scan.jpg', jpeg, LIMIT)).toMatchObject({ ok: true, contentType: 'image/jpeg' });
    expect(await inspectDocument('fax.tif', tiff(false), LIMIT)).toMatchObject({ ok: true, contentType: 'image/tiff' });
    expect(await inspectDocument('fax.tiff', tiff(true), LIMIT)).toMatchObject({ ok: true, contentType: 'image/tiff' });
  });

  test('one of the four under the wrong name, reporting its real type', async () => {
    expect(await inspectDocument('lab-results.pdf', png(), LIMIT)).toMatchObject({ ok: true, contentType: 'image/png' });
    expect(await inspectDocument('photo.jpg', await onePagePdf(), LIMIT)).toMatchObject({ ok: true, contentType: 'application/pdf' });
    expect(await inspectDocument('no-extension', jpeg, LIMIT)).toMatchObject({ ok: true, contentType: 'image/jpeg' });
  });

  test('a file exactly at the size limit', async () => {
    const pdf = await onePagePdf();
    expect(await inspectDocument('aps.pdf', pdf, pdf.length)).toMatchObject({ ok: true, size: pdf.length });
  });

  test('the example signed HIPAA authorization', async () => {
    const file = path.resolve(__dirname, '../../examples/documents/signed-hipaa-authorization.pdf');
    const bytes = fs.readFileSync(file);
    expect(await inspectDocument(path.basename(file), bytes, LIMIT)).toEqual({ ok: true, contentType: 'application/pdf', sha256: sha256(bytes), size: bytes.length });
    const pdf = await PDFDocument.load(bytes);
    expect(pdf.getPageCount()).toBe(1);
    expect(pdf.getTitle()).toBe('HIPAA Authorization (example)');
  });
});

describe('inspectDocument refuses, naming the file', () => {
  test('an empty file', async () => {
    expect(await refusal('aps.pdf', Buffer.alloc(0))).toBe('"aps.pdf" is empty (0 bytes): the upload may have been cut short. Send the file again.');
  });

  test('a file over the size limit, with both sizes in MB', async () => {
    expect(await refusal('scan.tif', Buffer.concat([tiff(false), Buffer.alloc(MB)]), MB)).toBe(
      '"scan.tif" is 1.1 MB, over the 1 MB limit for one document. Send it in smaller parts, or scanned at a lower resolution.',
    );
    // One byte over still reads as over, not as "10 MB, over the 10 MB limit".
    expect(await refusal('big.pdf', Buffer.alloc(10 * MB + 1), 10 * MB)).toMatch(/^"big\.pdf" is 10\.1 MB, over the 10 MB limit/);
  });

  test('a Windows executable renamed .pdf, as an executable', async () => {
    expect(await refusal('medical-records.pdf', windowsExecutable())).toBe(
      '"medical-records.pdf" is named .pdf but is a Windows program (an executable), not a document, and was refused for safety. Ask the sender for the document itself as a PDF, TIFF, JPEG or PNG.',
    );
  });

  test('Linux and macOS executables, and a bare "MZ"', async () => {
    expect(await refusal('aps.pdf', elf)).toMatch(/^"aps\.pdf" is named \.pdf but is a Linux program \(an executable\), not a document/);
    expect(await refusal('aps.pdf', machO)).toMatch(/^"aps\.pdf" is named \.pdf but is a macOS program \(an executable\), not a document/);
    expect(await refusal('setup.exe', Buffer.from('MZ'))).toMatch(/^"setup\.exe" is a Windows program \(an executable\), not a document/);
  });

  test('a password-protected PDF (/Encrypt in a classic trailer or a cross-reference stream)', async () => {
    const expected = '"signed-app.pdf" is a password-protected (encrypted) PDF, which cannot be opened for review. Remove the password and send it again.';
    expect(await refusal('signed-app.pdf', handmadePdf({ encrypt: true }))).toBe(expected);
    expect(await refusal('signed-app.pdf', handmadePdf({ encrypt: true, xrefStream: true }))).toBe(expected);
  });

  test('a ZIP archive, with what it is', async () => {
    expect(await refusal('records.zip', zip())).toBe('"records.zip" is a ZIP archive, not a PDF, TIFF, JPEG or PNG. Send the document in one of those formats.');
    expect(await refusal('records.pdf', zip())).toBe(
      '"records.pdf" is named .pdf but is a ZIP archive, not a PDF, TIFF, JPEG or PNG. Send the document in one of those formats.',
    );
  });

  test('other known types, by what they are', async () => {
    expect(await refusal('photo.jpg', Buffer.from('GIF89a\x01\x00\x01\x00\x00\x00\x00;', 'latin1'))).toBe(
      '"photo.jpg" is named .jpg but is a GIF image, not a PDF, TIFF, JPEG or PNG. Send the document in one of those formats.',
    );
  });

  test('content of no known type', async () => {
    expect(await refusal('notes.txt', Buffer.from('Patient reports no chest pain.\n'))).toBe(
      '"notes.txt" is not a PDF, TIFF, JPEG or PNG. Send the document in one of those formats.',
    );
    expect(await refusal('aps.pdf', Buffer.from('Patient reports no chest pain.\n'))).toBe(
      '"aps.pdf" is named .pdf but its content is not a PDF, TIFF, JPEG or PNG. Send the document in one of those formats.',
    );
  });

  test('a damaged PDF: cut short, or a PDF header with nothing readable behind it', async () => {
    const pdf = await onePagePdf();
    const expected = '"aps.pdf" starts like a PDF but cannot be opened: it may be damaged or incomplete. Send it again.';
    expect(await refusal('aps.pdf', pdf.subarray(0, Math.floor(pdf.length / 2)))).toBe(expected);
    expect(await refusal('aps.pdf', Buffer.from('%PDF-1.7\n'))).toBe(expected);
  });
});

test('maxBytes must be a positive whole number', async () => {
  await expect(inspectDocument('a.pdf', Buffer.from('x'), 0)).rejects.toThrow(RangeError);
  await expect(inspectDocument('a.pdf', Buffer.from('x'), 1.5)).rejects.toThrow('maxBytes must be a positive whole number of bytes, not 1.5');
});
