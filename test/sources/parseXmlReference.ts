// test/sources/parseXmlReference.ts: the XML parsing of shared/sources/xml.ts before its fast path, kept
// verbatim as the reference the differential test compares against.
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import type { ParseResult } from '../../shared/sources/types';

export const MAX_XML_DEPTH = 64;

function rejected(code: string, message: string): ParseResult {
  return { ok: false, finding: { code, severity: 'error', path: '', message } };
}

/** Nesting depth of an XML text, counted on tags; stops counting as soon as the limit is passed. */
function exceedsDepth(text: string, limit: number): boolean {
  let depth = 0;
  const tag = /<(\/?)([^\s>/!?]+)[^>]*?(\/?)>/g;
  for (let m = tag.exec(text); m; m = tag.exec(text)) {
    if (m[1]) depth--;
    else if (!m[3]) {
      depth++;
      if (depth > limit) return true;
    }
  }
  return false;
}

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  removeNSPrefix: true,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  // Only the five predefined entities and character references; DTD entities never reach here.
  processEntities: true,
  htmlEntities: false,
  isArray: () => false,
});

/**
 * Parses XML into plain objects (attributes as `@_name`, text as `#text`, namespace prefixes
 * removed). Values stay strings: numbers are read by the adapter with exact decimals.
 */
export function parseXmlReference(text: string): ParseResult {
  if (/<!DOCTYPE/i.test(text) || /<!ENTITY/i.test(text)) {
    return rejected('payload.xml_dtd_forbidden', 'XML with a DOCTYPE or ENTITY declaration is refused (entity expansion and external entities are not allowed)');
  }
  if (exceedsDepth(text, MAX_XML_DEPTH)) {
    return rejected('payload.xml_too_deep', `XML nested deeper than ${MAX_XML_DEPTH} elements is refused`);
  }
  const valid = XMLValidator.validate(text);
  if (valid !== true) {
    const e = valid.err;
    return rejected('payload.malformed_xml', `malformed XML at line ${e.line}, column ${e.col}: ${e.msg}`);
  }
  try {
    return { ok: true, value: parser.parse(text) };
  } catch (err) {
    return rejected('payload.malformed_xml', `malformed XML: ${(err as Error).message}`);
  }
}
