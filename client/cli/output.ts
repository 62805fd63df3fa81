import Table from 'cli-table3';

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

export function print(text: string): void {
  process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
}

/** No rule between rows: case lists run long, and a row per line reads faster. */
const COMPACT = { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' };

/** A plain table: no colours, so output is the same in a terminal, a pipe or a test. */
export function table(head: string[], rows: (string | number)[][]): string {
  const t = new Table({ head, chars: COMPACT, style: { head: [], border: [] } });
  t.push(...rows.map((r) => r.map(String)));
  return t.toString();
}

export const dollars = (n: number): string => `$${n.toLocaleString('en-US')}`;

/** `2026-11-21T14:03:55.120Z` → `2026-11-21 14:03Z`: minutes are enough to follow a case. */
export const minute = (iso: string): string => `${iso.slice(0, 10)} ${iso.slice(11, 16)}Z`;

/** Keeps long free text (email subjects) from stretching a table past the terminal. */
export const clip = (text: string, max: number): string => (text.length > max ? `${text.slice(0, max - 1)}…` : text);
