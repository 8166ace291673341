import { HtmlTooDeepError, MAX_HTML_NESTING } from '../../../functions/ingest/html-dom';
import { htmlToMarkdown, MAX_NESTING, textToMarkdown } from '../../../functions/ingest/html-to-markdown';
import { shapeOf } from './markdown-check';

const BASE = 'https://site.example/2026/11/post/';

describe('htmlToMarkdown: structure', () => {
  it('keeps headings, paragraphs, quotes, lists, emphasis, links, code and images', () => {
    const html = `
      <h1>Big</h1><h2>Section</h2><h3>Sub</h3><h5>Small</h5>
      <p>Some <em>soft</em> and <strong>hard</strong> words with <code>x = 1</code> and <a href="https://a.example/">a link</a>.</p>
      <blockquote><p>Quoted</p></blockquote>
      <ul><li>one</li><li>two<ol><li>inner</li></ol></li></ul>
      <ol start="3"><li>three</li></ol>
      <figure><img src="https://img.example/a.jpg" alt="alt text"><figcaption>The caption</figcaption></figure>`;

    const { markdown, images } = htmlToMarkdown(html, { baseUrl: BASE });
    const shape = shapeOf(markdown);

    expect(shape.blocks).toEqual([
      'h2',
      'h2',
      'h3',
      'h4',
      'p',
      'blockquote',
      'p',
      'ul',
      'li',
      'p',
      'li',
      'p',
      'ol',
      'li',
      'p',
      'ol',
      'li',
      'p',
      'p',
    ]);
    expect(shape.marks).toEqual(['em', 'strong', 'code']);
    expect(shape.links).toEqual(['https://a.example/']);
    expect(shape.images).toEqual([{ src: 'https://img.example/a.jpg', alt: 'The caption' }]);
    expect(images).toEqual(['https://img.example/a.jpg']);
    expect(shape.outsideSubset).toEqual([]);
    expect(markdown).toContain('3. three');
  });

  it('resolves relative links and images against the base, protocol-relative ones too', () => {
    const html =
      '<p><a href="/about">root</a> <a href="../older/">up</a> <a href="next">here</a> <a href="//cdn.example/x">cdn</a>' +
      '<img src="img/p.png" alt="p"></p>';

    const shape = shapeOf(htmlToMarkdown(html, { baseUrl: BASE }).markdown);

    expect(shape.links).toEqual([
      'https://site.example/about',
      'https://site.example/2026/11/older/',
      'https://site.example/2026/11/post/next',
      'https://cdn.example/x',
    ]);
    expect(shape.images.map((i) => i.src)).toEqual(['https://site.example/2026/11/post/img/p.png']);
  });

  it('drops a relative link it cannot resolve (no base) but keeps its text', () => {
    const shape = shapeOf(htmlToMarkdown('<p>See <a href="/about">about</a>.</p>').markdown);

    expect(shape.links).toEqual([]);
    expect(shape.text).toBe('See about.');
  });

  it('takes lazy-loaded and srcset images, the widest candidate', () => {
    const html =
      '<img src="data:image/gif;base64,R0lGOD" data-src="https://img.example/lazy.jpg" alt="lazy">' +
      '<img srcset="https://img.example/s.jpg 300w, https://img.example/l.jpg 1200w, https://img.example/m.jpg 600w" alt="set">';

    const shape = shapeOf(htmlToMarkdown(html).markdown);

    expect(shape.images.map((i) => i.src)).toEqual([
      'https://img.example/lazy.jpg',
      'https://img.example/l.jpg',
    ]);
  });

  it('puts an image found inside running text after its paragraph, and drops the link around it', () => {
    const html =
      '<p>Before <a href="https://x.example/"><img src="https://img.example/i.png" alt="pic"></a> after.</p>';

    const shape = shapeOf(htmlToMarkdown(html).markdown);

    expect(shape.blocks).toEqual(['p', 'p']);
    expect(shape.text).toBe('Before after.');
    expect(shape.images).toEqual([{ src: 'https://img.example/i.png', alt: 'pic' }]);
    expect(shape.links).toEqual([]);
  });

  it('flattens what the subset lacks: pre lines to inline code, table rows to paragraphs, br to a new paragraph', () => {
    const html =
      '<pre>let a = 1;\nlet b = `2`;</pre><table><tr><th>Name</th><th>Age</th></tr><tr><td>Ann</td><td>30</td></tr></table>' +
      '<p>line one<br>line two</p><hr><p>after rule</p>';

    const { markdown } = htmlToMarkdown(html);
    const shape = shapeOf(markdown);

    expect(shape.outsideSubset).toEqual([]);
    expect(shape.blocks).toEqual(['p', 'p', 'p', 'p', 'p', 'p', 'p']);
    expect(shape.marks).toEqual(['code', 'code']);
    expect(shape.text).toBe('let a = 1; let b = `2`; Name | Age Ann | 30 line one line two after rule');
  });

  it('moves spaces out of emphasis so it still reads as emphasis', () => {
    const shape = shapeOf(htmlToMarkdown('<p>a<em> spaced </em>b and <b>bold<i>both</i></b></p>').markdown);

    expect(shape.marks).toEqual(['em', 'strong', 'em']);
    expect(shape.text).toBe('a spaced b and boldboth');
  });

  it('keeps a URL with parentheses whole', () => {
    const shape = shapeOf(htmlToMarkdown('<a href="https://en.example/wiki/Foo_(bar)">Foo</a>').markdown);

    expect(shape.links).toEqual(['https://en.example/wiki/Foo_%28bar%29']);
  });

  it('drops a leading heading that repeats the title', () => {
    const { markdown } = htmlToMarkdown('<h1>The &amp; Title</h1><p>Body</p>', { title: 'The & title' });

    expect(shapeOf(markdown).blocks).toEqual(['p']);
  });
});

describe('htmlToMarkdown: escaping', () => {
  // Text that looks like Markdown must come back as the same text, with no structure.
  it.each([
    ['emphasis markers', '*not em* and _not em_ and **not strong**'],
    ['a link', '[text](https://x.example/) and ![img](https://x.example/i.png)'],
    ['HTML', '<b>not bold</b> <script>alert(1)</script>'],
    ['code', '`not code` and ``also not``'],
    ['a heading', '# not a heading'],
    ['a list', '1. not a list'],
    ['a bullet', '- not a bullet'],
    ['a plus bullet', '+ not a bullet'],
    ['a quote', '> not a quote'],
    ['a rule', '---'],
    ['an entity', 'AT&amp;T writes &copy; literally'],
    ['backslashes', 'C:\\path\\to \\*file\\*'],
    ['an autolink', '<https://x.example/>'],
  ])('%s', (_name, text) => {
    const html = `<p>${text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')}</p>`;

    const shape = shapeOf(htmlToMarkdown(html).markdown);

    expect(shape.text).toBe(text);
    expect(shape.blocks).toEqual(['p']);
    expect(shape.links).toEqual([]);
    expect(shape.images).toEqual([]);
    expect(shape.marks).toEqual([]);
    expect(shape.outsideSubset).toEqual([]);
  });

  it('escapes the heading text, including a trailing # that would close it', () => {
    const shape = shapeOf(htmlToMarkdown('<h2>Why C# *matters* #</h2>').markdown);

    expect(shape.blocks).toEqual(['h2']);
    expect(shape.text).toBe('Why C# *matters* #');
  });

  it('fences code that contains backticks', () => {
    const shape = shapeOf(htmlToMarkdown('<p>Run <code>echo `date`</code> now</p>').markdown);

    expect(shape.marks).toEqual(['code']);
    expect(shape.text).toBe('Run echo `date` now');
  });
});

describe('htmlToMarkdown: hostile and noisy content', () => {
  it('keeps only http(s) links and images, however the scheme is disguised', () => {
    const hrefs = [
      'javascript:alert(1)',
      'JaVaScRiPt:alert(2)',
      '  javascript:alert(3)',
      'java&#x09;script:alert(4)',
      '&#106;avascript:alert(5)',
      'jav&#x0A;ascript:alert(6)',
      'data:text/html;base64,PHNjcmlwdD4=',
      'vbscript:msgbox(1)',
      'mailto:someone@example.com',
      'file:///etc/passwd',
      'https://user:pass@site.example/',
    ];
    const html =
      hrefs.map((h, i) => `<p><a href="${h}">link ${i}</a><img src="${h}" alt="img ${i}"></p>`).join('') +
      '<p><a href="https://ok.example/">ok</a></p>';

    const shape = shapeOf(htmlToMarkdown(html, { baseUrl: BASE }).markdown);

    expect(shape.links).toEqual(['https://ok.example/']);
    expect(shape.images).toEqual([]);
    expect(shape.text).toContain('link 0');
  });

  it('drops scripts, styles, iframes, forms, embeds, svg and hidden elements', () => {
    const html = `<p>kept</p><script>var s = "script";</script><style>.x{color:red}</style>
      <iframe src="https://evil.example/"></iframe><noscript>noscript</noscript>
      <form><input value="input"><button>button</button><textarea>textarea</textarea></form>
      <object data="x.swf">object</object><embed src="x.swf"><svg><text>svg</text></svg>
      <video src="v.mp4">video</video><p hidden>hidden</p><p aria-hidden="true">aria</p>
      <div style="display: none">display none</div>`;

    const shape = shapeOf(htmlToMarkdown(html).markdown);

    expect(shape.text).toBe('kept');
  });

  it('drops share bars, subscribe widgets and tracking pixels', () => {
    const html = `<p>Article text.</p>
      <div class="sharedaddy sd-sharing-enabled"><h3>Share this:</h3><a href="https://x.example/?share=twitter">Twitter</a></div>
      <ul class="social-links"><li><a href="https://facebook.example/">Facebook</a></li></ul>
      <div class="post-share-buttons"><a href="https://x.example/share">Share</a></div>
      <div class="subscription-widget-wrap"><p>Subscribe for free</p></div>
      <p class="button-wrapper"><a href="https://x.example/?action=share">Share</a></p>
      <div class="feedflare"><a href="https://feeds.example/~ff/x">Flare</a></div>
      <img src="https://pixel.wp.com/b.gif?blog=1" alt="">
      <img src="https://medium.com/_/stat?event=post.clientViewed" width="1" height="1">
      <img src="https://cdn.example/tiny.gif" width="1" height="1">
      <img src="https://feeds.feedburner.com/~r/Example/~4/abc" alt="">
      <p class="shared-content">Kept: "shared" is not "share".</p>`;

    const shape = shapeOf(htmlToMarkdown(html).markdown);

    expect(shape.text).toBe('Article text. Kept: "shared" is not "share".');
    expect(shape.images).toEqual([]);
    expect(shape.links).toEqual([]);
  });

  it('bounds quote and list nesting, and keeps the text of elements nested past the walk depth', () => {
    const quotes = `${'<blockquote>'.repeat(40)}deep quote${'</blockquote>'.repeat(40)}`;
    const lists = `${'<ul><li>'.repeat(40)}deep item${'</li></ul>'.repeat(40)}`;
    const divs = `${'<div><span>'.repeat(200)}bottom${'</span></div>'.repeat(200)}`;

    const { markdown } = htmlToMarkdown(quotes + lists + divs);
    const shape = shapeOf(markdown);

    expect(shape.maxDepth).toBe(MAX_NESTING);
    expect(shape.text).toBe('deep quote deep item bottom');
  });

  it('refuses HTML nested past the parse bound instead of spending minutes on it', () => {
    // htmlparser2's cost grows with depth: unbounded, 100,000 levels would outlast the test's timeout.
    const html = `${'<div>'.repeat(100_000)}x`;

    expect(() => htmlToMarkdown(html)).toThrow(HtmlTooDeepError);
    expect(() => htmlToMarkdown(`${'<div>'.repeat(MAX_HTML_NESTING)}x`)).not.toThrow();
  });

  it('cuts a long body at a block boundary and says so', () => {
    const html = Array.from({ length: 100 }, (_, i) => `<p>Paragraph ${i} ${'word '.repeat(20)}</p>`).join(
      '',
    );

    const { markdown, truncated } = htmlToMarkdown(html, { maxLength: 1_000 });

    expect(truncated).toBe(true);
    expect(markdown.length).toBeLessThanOrEqual(1_000);
    expect(markdown.endsWith('word')).toBe(true);
    expect(shapeOf(markdown).blocks.every((b) => b === 'p')).toBe(true);
  });

  it('cuts a single huge paragraph at a space', () => {
    const { markdown, truncated } = htmlToMarkdown(`<p>${'abc '.repeat(100_000)}</p>`, { maxLength: 5_000 });

    expect(truncated).toBe(true);
    expect(markdown.length).toBeLessThanOrEqual(5_000);
    expect(markdown.endsWith('abc')).toBe(true);
  });
});

describe('textToMarkdown', () => {
  it('makes paragraphs of blank-line-separated text and escapes it', () => {
    const { markdown } = textToMarkdown('First *line*\nstill first.\n\n  # Second  \n\n\n');

    const shape = shapeOf(markdown);
    expect(shape.blocks).toEqual(['p', 'p']);
    expect(shape.text).toBe('First *line* still first. # Second');
    expect(shape.marks).toEqual([]);
  });
});
