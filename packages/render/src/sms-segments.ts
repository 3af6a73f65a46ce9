import type { SmsSegmentInfo } from './types';

// GSM 03.38 default alphabet (one septet each). ESC (0x1B) is excluded: it only introduces
// the extension table.
const GSM7_BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?' + '¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
// Extension table: sent as ESC + char, so two septets each.
const GSM7_EXTENSION = '\f^{}\\[~]|€';

const basicSet = new Set(GSM7_BASIC);
const extensionSet = new Set(GSM7_EXTENSION);

const GSM7_SINGLE = 160;
const GSM7_MULTI = 153;
const UCS2_SINGLE = 70;
const UCS2_MULTI = 67;

/** Septets for one character in GSM-7, or 0 when it is not representable. */
function gsm7Septets(char: string): number {
  if (basicSet.has(char)) return 1;
  if (extensionSet.has(char)) return 2;
  return 0;
}

/**
 * Counts parts greedily the way handsets and carriers split: a multi-unit character (a GSM-7
 * escape pair, a UTF-16 surrogate pair) never straddles two segments, so a part may end short.
 */
function countParts(unitsPerChar: number[], total: number, single: number, multi: number): number {
  if (total === 0) return 0;
  if (total <= single) return 1;
  let segments = 1;
  let used = 0;
  for (const units of unitsPerChar) {
    if (used + units > multi) {
      segments++;
      used = 0;
    }
    used += units;
  }
  return segments;
}

/**
 * Encoding and segment count of an SMS body: GSM-7 when every character is in the GSM 03.38
 * basic or extension table (160 septets single, 153 per part), else UCS-2 (70 UTF-16 code units
 * single, 67 per part).
 */
export function countSmsSegments(text: string): SmsSegmentInfo {
  const chars = Array.from(text);
  const septets: number[] = [];
  let gsm = true;
  for (const char of chars) {
    const units = gsm7Septets(char);
    if (units === 0) {
      gsm = false;
      break;
    }
    septets.push(units);
  }
  if (gsm) {
    const total = septets.reduce((sum, units) => sum + units, 0);
    return {
      encoding: 'GSM-7',
      segments: countParts(septets, total, GSM7_SINGLE, GSM7_MULTI),
      characters: chars.length,
      units: total,
    };
  }
  const codeUnits = chars.map((char) => char.length);
  return {
    encoding: 'UCS-2',
    segments: countParts(codeUnits, text.length, UCS2_SINGLE, UCS2_MULTI),
    characters: chars.length,
    units: text.length,
  };
}
