/**
 * A long structured article body of a chosen length, for tests and the bench: sections with
 * a heading, paragraphs of varied prose, a list and a quote, and an image every few sections.
 * Deterministic: the same length gives the same text.
 */
const SENTENCES = [
  'The council met on a Tuesday afternoon, when most of the people affected were at work.',
  'Nobody disputed the figures; the argument was about what they meant for the next ten years.',
  'A bus that comes every twenty minutes is a timetable, not a service, as one resident put it.',
  'The report runs to 214 pages, and the part that matters most is a table on page 188.',
  'Costs rose by 3.5 percent, which sounds small until you remember what it is a percentage of.',
  'Dr. Siddiqui, who advised the county, preferred a printed map with coloured pins to any model.',
  'In the end the vote was close, and the decision was postponed until after the summer.',
  'Shopkeepers on the main street share a trailer for moving stock upstairs when the river rises.',
];

function paragraph(seed: number, sentences: number): string {
  return Array.from({ length: sentences }, (_, i) => SENTENCES[(seed + i * 3) % SENTENCES.length]).join(' ');
}

/** Markdown of at least `chars` characters (UTF-16), ending at a section boundary. */
export function longArticleMarkdown(chars: number): string {
  const parts: string[] = [];
  let length = 0;
  for (let s = 0; length < chars; s++) {
    const section = [
      `## Part ${s + 1}: what the **numbers** say`,
      paragraph(s, 5),
      `${paragraph(s + 1, 4)} See [the report](https://example.org/report/${s}) for details.`,
      ['- the first point, briefly', '- the second, with *emphasis*', '- a third, with `code`'].join('\n'),
      `> ${paragraph(s + 2, 2)}`,
      paragraph(s + 3, 6),
    ];
    if (s % 3 === 2)
      section.push(
        `![Figure ${s}](https://example.org/figures/${s}.png "Figure ${s}: the table on page 188")`,
      );
    const text = section.join('\n\n');
    parts.push(text);
    length += text.length + 2;
  }
  return parts.join('\n\n');
}
