import fs from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../../platform/paths';

/* Files the document tests send: the example signed form, and a second, different file the content check takes. */

export const signedPdf = fs.readFileSync(path.join(projectRoot, 'examples', 'documents', 'signed-hipaa-authorization.pdf'));

/** A 1×1 PNG. */
export const tinyPng = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');
