/**
 * XML to a small, namespace-resolved element tree, on fast-xml-parser.
 *
 * fast-xml-parser does the parsing and well-formedness check; this module only reshapes its
 * ordered output. Two decisions make hostile feeds harmless:
 * - the parser runs with `processEntities: false`, so no DOCTYPE-declared entity is ever
 *   expanded (a "billion laughs" stays a literal `&lol9;`); the five XML entities and numeric
 *   references are decoded here, one pass, by `entities` (which never recurses);
 * - CDATA sections are kept apart from text so they are taken verbatim (not entity-decoded).
 *
 * Names are resolved through `xmlns` declarations to a conventional prefix (`atom:entry`,
 * `content:encoded`, `media:content`), so a feed that declares Atom as its default namespace
 * and one that writes `atom:` both read the same; an undeclared prefix is kept as written.
 */
import { decodeXML } from 'entities';
import { XMLParser, XMLValidator } from 'fast-xml-parser';

export interface XmlElement {
  /** `prefix:local` with a conventional prefix for known namespaces, else the local name. */
  name: string;
  /** Attribute values, decoded. Names as written (`xml:base`, `type`, `href`). */
  attrs: Record<string, string>;
  children: XmlNode[];
}
export type XmlNode = XmlElement | string;

/** Namespaces a feed uses, by their conventional prefix. */
const KNOWN_NAMESPACES: Readonly<Record<string, string>> = {
  'http://www.w3.org/2005/Atom': 'atom',
  'http://purl.org/atom/ns#': 'atom03',
  'http://purl.org/rss/1.0/modules/content/': 'content',
  'http://purl.org/dc/elements/1.1/': 'dc',
  'http://purl.org/dc/terms/': 'dcterms',
  'http://search.yahoo.com/mrss/': 'media',
  'http://search.yahoo.com/mrss': 'media',
  'http://www.w3.org/1999/xhtml': 'xhtml',
  'http://www.w3.org/1999/02/22-rdf-syntax-ns#': 'rdf',
  'http://purl.org/rss/1.0/': 'rss1',
  'http://www.w3.org/XML/1998/namespace': 'xml',
};

/** XML nested deeper than this is refused by the parser. */
export const MAX_XML_NESTING = 100;

/** Deeper elements are flattened to their text: no feed needs this depth, and it bounds recursion. */
export const MAX_XML_DEPTH = 64;

/** The document is not well-formed XML; `message` says where and why. */
export class MalformedXmlError extends Error {
  override name = 'MalformedXmlError';
}

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  processEntities: false,
  htmlEntities: false,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  cdataPropName: '#cdata',
  ignoreDeclaration: true,
  ignorePiTags: true,
  // The parser's own bound (its default, stated): no feed nests this deep, and it bounds our recursion too.
  maxNestedTags: MAX_XML_NESTING,
});

type Raw = Record<string, unknown>;
type Scope = Readonly<Record<string, string>>;

const isRecord = (v: unknown): v is Raw => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Parses an XML document into its root element. Throws {@link MalformedXmlError} when the
 * text is not well-formed (fast-xml-parser's validator gives the line and column).
 */
export function parseXml(text: string): XmlElement {
  const validation = XMLValidator.validate(text);
  if (validation !== true) {
    const { line, col, msg } = validation.err;
    throw new MalformedXmlError(`malformed XML at line ${line}, column ${col}: ${msg}`);
  }
  let raw: unknown;
  try {
    raw = parser.parse(text);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    if (/nested tags/i.test(message)) {
      throw new MalformedXmlError(`XML nested more than ${MAX_XML_NESTING} levels deep`);
    }
    // e.g. a DOCTYPE that declares an external (SYSTEM) entity, which the parser refuses.
    throw new MalformedXmlError(`malformed XML: ${message}`);
  }
  const nodes = Array.isArray(raw) ? convertNodes(raw, {}, 0) : [];
  const root = nodes.find((n): n is XmlElement => typeof n !== 'string');
  if (!root) throw new MalformedXmlError('malformed XML: no root element');
  return root;
}

function convertNodes(raw: readonly unknown[], scope: Scope, depth: number): XmlNode[] {
  const out: XmlNode[] = [];
  const pushText = (s: string) => {
    if (s === '') return;
    const last = out[out.length - 1];
    if (typeof last === 'string') out[out.length - 1] = last + s;
    else out.push(s);
  };
  for (const node of raw) {
    if (!isRecord(node)) continue;
    for (const key of Object.keys(node)) {
      if (key === ':@') continue;
      const value = node[key];
      if (key === '#text') {
        if (typeof value === 'string') pushText(decodeXML(value));
      } else if (key === '#cdata') {
        if (Array.isArray(value)) pushText(cdataText(value));
      } else if (Array.isArray(value)) {
        const attrsRaw = isRecord(node[':@']) ? node[':@'] : {};
        const el = convertElement(key, attrsRaw, value, scope, depth);
        if (typeof el === 'string') pushText(el);
        else out.push(el);
      }
    }
  }
  return out;
}

function cdataText(raw: readonly unknown[]): string {
  let s = '';
  for (const part of raw) if (isRecord(part) && typeof part['#text'] === 'string') s += part['#text'];
  return s;
}

function convertElement(
  qname: string,
  attrsRaw: Raw,
  children: readonly unknown[],
  parentScope: Scope,
  depth: number,
): XmlElement | string {
  let scope = parentScope;
  const attrs: Record<string, string> = {};
  for (const [k, v] of Object.entries(attrsRaw)) {
    if (typeof v !== 'string') continue;
    const value = decodeXML(v);
    if (k === 'xmlns') scope = { ...scope, '': value };
    else if (k.startsWith('xmlns:')) scope = { ...scope, [k.slice(6)]: value };
    else attrs[k] = value;
  }
  const converted = convertNodes(children, scope, depth + 1);
  if (depth >= MAX_XML_DEPTH) return converted.map(textOf).join('');
  return { name: resolveName(qname, scope), attrs, children: converted };
}

function resolveName(qname: string, scope: Scope): string {
  const colon = qname.indexOf(':');
  const prefix = colon === -1 ? '' : qname.slice(0, colon);
  const local = colon === -1 ? qname : qname.slice(colon + 1);
  const uri = scope[prefix];
  if (uri === undefined) return qname; // no namespace, or an undeclared prefix: as written
  const known = KNOWN_NAMESPACES[uri];
  if (known) return `${known}:${local}`;
  return `{${uri}}${local}`;
}

/** All the text inside a node, in document order. */
export function textOf(node: XmlNode): string {
  if (typeof node === 'string') return node;
  let s = '';
  for (const c of node.children) s += textOf(c);
  return s;
}

/** The first child element with this name. */
export function child(el: XmlElement, name: string): XmlElement | undefined {
  for (const c of el.children) if (typeof c !== 'string' && c.name === name) return c;
  return undefined;
}

/** Every child element with one of these names, in document order. */
export function children(el: XmlElement, ...names: string[]): XmlElement[] {
  return el.children.filter((c): c is XmlElement => typeof c !== 'string' && names.includes(c.name));
}

/** The trimmed text of the first child with this name; undefined when missing or blank. */
export function childText(el: XmlElement, name: string): string | undefined {
  const c = child(el, name);
  if (!c) return undefined;
  const t = textOf(c).trim();
  return t === '' ? undefined : t;
}

/** HTML elements that have no end tag (`</br>` would read as a second `<br>`). */
const VOID_ELEMENTS = new Set(['area', 'br', 'col', 'embed', 'hr', 'img', 'input', 'source', 'track', 'wbr']);

/** The local part of a resolved name (`atom:entry` → `entry`, `{urn:x}y` → `y`). */
export function localName(name: string): string {
  const braced = name.startsWith('{') ? name.slice(name.indexOf('}') + 1) : name;
  return braced.slice(braced.lastIndexOf(':') + 1);
}

const escapeText = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const escapeAttr = (s: string) => escapeText(s).replace(/"/g, '&quot;');

/**
 * Serialises child nodes back to HTML: how Atom's `type="xhtml"` content (parsed as XML
 * elements) reaches the HTML converter. Names lose their namespace prefix.
 */
export function serializeChildrenAsHtml(el: XmlElement): string {
  let s = '';
  for (const c of el.children) {
    if (typeof c === 'string') {
      s += escapeText(c);
      continue;
    }
    const local = localName(c.name);
    const attrs = Object.entries(c.attrs)
      .map(([k, v]) => ` ${k}="${escapeAttr(v)}"`)
      .join('');
    s += VOID_ELEMENTS.has(local)
      ? `<${local}${attrs}>`
      : `<${local}${attrs}>${serializeChildrenAsHtml(c)}</${local}>`;
  }
  return s;
}
