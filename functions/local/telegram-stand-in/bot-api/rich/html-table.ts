/**
 * A rich HTML <table> as a table block: rows (also inside <thead> and <tbody>, as Markdown
 * renders them), header and data cells with their spans and alignment, and the caption.
 */
import type { RichBlock, RichBlockTableCell } from '@grammyjs/types';
import { inlineText, unexpected } from './html-inline';
import { attr, type HtmlElement, type HtmlNode } from './rich-html';

const elements = (nodes: readonly HtmlNode[]): HtmlElement[] =>
  nodes.filter((node): node is HtmlElement => node.kind === 'element');

export function table(element: HtmlElement): RichBlock {
  const rows = elements(element.children).flatMap((child) =>
    child.name === 'thead' || child.name === 'tbody' ? elements(child.children) : [child],
  );
  const caption = rows.find((row) => row.name === 'caption');
  const cells = rows
    .filter((row) => row !== caption)
    .map((row) => {
      if (row.name !== 'tr') throw unexpected(row, `Unexpected tag "${row.name}" in "table"`);
      return elements(row.children).map((cell): RichBlockTableCell => {
        if (cell.name !== 'td' && cell.name !== 'th')
          throw unexpected(cell, `Unexpected tag "${cell.name}" in "tr"`);
        // Markdown tables carry alignment as style="text-align:…".
        const align =
          attr(cell, 'align') || /text-align:\s*(left|center|right)/.exec(attr(cell, 'style'))?.[1] || 'left';
        const valign = attr(cell, 'valign');
        const result: RichBlockTableCell = {
          text: inlineText(cell.children),
          align: align === 'center' || align === 'right' ? align : 'left',
          valign: valign === 'middle' || valign === 'bottom' ? valign : 'top',
        };
        if (cell.name === 'th') result.is_header = true;
        const colspan = Number.parseInt(attr(cell, 'colspan'), 10);
        const rowspan = Number.parseInt(attr(cell, 'rowspan'), 10);
        if (colspan > 1) result.colspan = colspan;
        if (rowspan > 1) result.rowspan = rowspan;
        return result;
      });
    });
  return {
    type: 'table',
    cells,
    ...(element.attrs.has('bordered') ? { is_bordered: true as const } : {}),
    ...(element.attrs.has('striped') ? { is_striped: true as const } : {}),
    ...(element.attrs.has('compact') ? { is_compact: true as const } : {}),
    ...(caption === undefined ? {} : { caption: inlineText(caption.children) }),
  };
}
