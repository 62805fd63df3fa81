import escapeHtml from 'escape-html';

/*
 * The shared frame of every email. Templates describe their content as blocks of plain
 * strings; this module alone turns them into the plain-text part and the HTML part.
 * Templates never write markup, so every value they pass is escaped here, in one place.
 */

export type Cell = string | undefined;

export type Block =
  | { kind: 'paragraph'; text: string }
  | { kind: 'heading'; text: string }
  | { kind: 'facts'; rows: ReadonlyArray<readonly [label: string, value: string]> }
  | { kind: 'list'; items: readonly string[] }
  | { kind: 'table'; columns: readonly [string, ...string[]]; rows: ReadonlyArray<readonly Cell[]>; emptyText: string };

export const paragraph = (text: string): Block => ({ kind: 'paragraph', text });
export const heading = (text: string): Block => ({ kind: 'heading', text });
/** Label/value pairs such as "Carrier: Summit Mutual". */
export const facts = (rows: ReadonlyArray<readonly [string, string]>): Block => ({ kind: 'facts', rows });
export const list = (items: readonly string[]): Block => ({ kind: 'list', items });
/** The first column names the item; the others describe it; an undefined cell is left blank. */
export const table = (columns: readonly [string, ...string[]], rows: ReadonlyArray<readonly Cell[]>, emptyText = 'None.'): Block => ({
  kind: 'table',
  columns,
  rows,
  emptyText,
});

export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

export interface Frame {
  bgaName: string;
  caseReference: string;
}

export function renderLayout(frame: Frame, subject: string, blocks: readonly Block[]): RenderedEmail {
  return { subject, text: renderText(frame, blocks), html: renderHtml(frame, subject, blocks) };
}

function footer(frame: Frame): string {
  return `This is an automated message from ${frame.bgaName}. Case reference: ${frame.caseReference}. Please quote it in any reply.`;
}

function renderText(frame: Frame, blocks: readonly Block[]): string {
  const parts = [`${frame.bgaName}\n${'='.repeat(frame.bgaName.length)}`, ...blocks.map(textBlock), `--\n${footer(frame)}`];
  return `${parts.join('\n\n')}\n`;
}

function textBlock(block: Block): string {
  switch (block.kind) {
    case 'paragraph':
      return block.text;
    case 'heading':
      return `${block.text}\n${'-'.repeat(block.text.length)}`;
    case 'facts':
      return block.rows.map(([label, value]) => `${label}: ${value}`).join('\n');
    case 'list':
      return block.items.map((item) => `- ${item}`).join('\n');
    case 'table':
      if (block.rows.length === 0) return block.emptyText;
      return block.rows.map((row, i) => textRow(block.columns, row, i + 1)).join('\n');
  }
}

/** A table row as a numbered item with indented "Column: value" lines, readable in any mail client. */
function textRow(columns: readonly string[], row: readonly Cell[], n: number): string {
  const [first = '', ...rest] = row;
  const details = rest.flatMap((cell, i) => (cell === undefined ? [] : [`   ${columns[i + 1] ?? ''}: ${cell}`]));
  return [`${n}. ${first}`, ...details].join('\n');
}

const FONT = 'font-family:Arial,Helvetica,sans-serif;';
const CELL = 'padding:6px 10px;border:1px solid #d9dde3;text-align:left;vertical-align:top;';

function renderHtml(frame: Frame, subject: string, blocks: readonly Block[]): string {
  return [
    '<!DOCTYPE html>',
    '<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(subject)}</title></head>`,
    `<body style="margin:0;padding:0;background:#f3f4f6;">`,
    '<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="background:#f3f4f6;"><tr><td align="center" style="padding:24px 12px;">',
    `<table role="presentation" width="600" cellpadding="0" cellspacing="0" style="max-width:600px;width:100%;background:#ffffff;border:1px solid #d9dde3;${FONT}font-size:15px;line-height:1.5;color:#1f2933;">`,
    `<tr><td style="background:#1f3a5f;color:#ffffff;padding:16px 24px;font-size:18px;font-weight:bold;">${escapeHtml(frame.bgaName)}</td></tr>`,
    `<tr><td style="padding:24px;">${blocks.map(htmlBlock).join('\n')}</td></tr>`,
    `<tr><td style="padding:16px 24px;border-top:1px solid #d9dde3;font-size:12px;color:#6b7280;">${escapeHtml(footer(frame))}</td></tr>`,
    '</table>',
    '</td></tr></table>',
    '</body></html>',
    '',
  ].join('\n');
}

function htmlBlock(block: Block): string {
  switch (block.kind) {
    case 'paragraph':
      return `<p style="margin:0 0 16px;">${escapeHtml(block.text)}</p>`;
    case 'heading':
      return `<h2 style="margin:24px 0 8px;font-size:16px;color:#1f3a5f;">${escapeHtml(block.text)}</h2>`;
    case 'facts':
      return htmlTable(
        block.rows.map(
          ([label, value]) =>
            `<tr><th scope="row" style="${CELL}background:#f7f8fa;font-weight:bold;white-space:nowrap;">${escapeHtml(label)}</th><td style="${CELL}">${escapeHtml(value)}</td></tr>`,
        ),
      );
    case 'list':
      return `<ul style="margin:0 0 16px;padding-left:20px;">${block.items.map((item) => `<li style="margin:0 0 4px;">${escapeHtml(item)}</li>`).join('')}</ul>`;
    case 'table':
      if (block.rows.length === 0) return `<p style="margin:0 0 16px;">${escapeHtml(block.emptyText)}</p>`;
      return htmlTable([
        `<tr>${block.columns.map((c) => `<th scope="col" style="${CELL}background:#f7f8fa;">${escapeHtml(c)}</th>`).join('')}</tr>`,
        ...block.rows.map((row) => `<tr>${block.columns.map((_, i) => `<td style="${CELL}">${escapeHtml(row[i] ?? '—')}</td>`).join('')}</tr>`),
      ]);
  }
}

function htmlTable(rows: readonly string[]): string {
  return `<table cellpadding="0" cellspacing="0" style="border-collapse:collapse;width:100%;margin:0 0 16px;${FONT}font-size:14px;">${rows.join('')}</table>`;
}
