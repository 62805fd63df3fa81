import { execFile } from 'node:child_process';
import { projectRoot } from '../../platform/paths';

/* What a log line shows of an applicant, in both formats, from a process of its own (as in production). */

function logOnce(format: 'json' | 'pretty'): Promise<string> {
  const script = `
    const { createLogger } = require('./platform/logger');
    const log = createLogger('redaction-test', 'info', '${format}');
    log.info({ ssn: '123-45-6789', insured: { ssn: '987-65-4321', dateOfBirth: '1968-03-14', lastName: 'Okafor' }, application: { insured: { ssn: '555-44-3333' } } }, 'intake');
  `;
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ['--require', 'tsx/cjs', '-e', script], { cwd: projectRoot, env: { PATH: process.env.PATH } }, (err, stdout) =>
      err ? reject(err) : resolve(stdout),
    );
  });
}

test.each(['json', 'pretty'] as const)('%s logs redact SSNs and dates of birth and keep the rest', async (format) => {
  const out = await logOnce(format);
  for (const secret of ['123-45-6789', '987-65-4321', '1968-03-14', '555-44-3333']) expect(out).not.toContain(secret);
  expect(out).toContain('[redacted]');
  expect(out).toContain('Okafor');
  expect(out).toContain('intake');
  if (format === 'json') expect(() => JSON.parse(out.trim())).not.toThrow();
  else expect(out.trim().startsWith('{')).toBe(false);
});
