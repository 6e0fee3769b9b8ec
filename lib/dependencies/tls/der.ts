// The few DER (ASN.1) encodings an X.509 certificate needs, written out so that issuing one takes
// no dependency beyond node:crypto. Each function returns one complete TLV.

const length = (n: number): Buffer => {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
};

export const tlv = (tag: number, ...content: Buffer[]): Buffer => {
  const body = Buffer.concat(content);
  return Buffer.concat([Buffer.from([tag]), length(body.length), body]);
};

export const sequence = (...items: Buffer[]) => tlv(0x30, ...items);
export const set = (...items: Buffer[]) => tlv(0x31, ...items);
export const boolean = (v: boolean) => tlv(0x01, Buffer.from([v ? 0xff : 0]));
export const octetString = (b: Buffer) => tlv(0x04, b);
export const utf8String = (s: string) => tlv(0x0c, Buffer.from(s, "utf8"));
/** A context-specific tag: constructed for EXPLICIT wrapping, primitive for IMPLICIT values. */
export const context = (n: number, constructed: boolean, ...content: Buffer[]) =>
  tlv((constructed ? 0xa0 : 0x80) | n, ...content);

/** A non-negative INTEGER from its big-endian bytes (a leading 0 keeps it positive). */
export function unsignedInteger(bytes: Buffer): Buffer {
  let i = 0;
  while (i < bytes.length - 1 && bytes[i] === 0) i++;
  const trimmed = bytes.subarray(i);
  return tlv(0x02, trimmed[0] & 0x80 ? Buffer.concat([Buffer.from([0]), trimmed]) : trimmed);
}

export const smallInteger = (n: number) => unsignedInteger(Buffer.from([n]));

/** A BIT STRING of whole bytes, or of `bits` significant bits (a key usage). */
export function bitString(bytes: Buffer, bits = bytes.length * 8): Buffer {
  const unused = bytes.length * 8 - bits;
  return tlv(0x03, Buffer.from([unused]), bytes);
}

export function objectIdentifier(dotted: string): Buffer {
  const [a, b, ...rest] = dotted.split(".").map(Number);
  const out = [a * 40 + b];
  for (const arc of rest) {
    const groups: number[] = [];
    for (let v = arc; ; v = Math.floor(v / 128)) {
      groups.unshift(v % 128);
      if (v < 128) break;
    }
    out.push(...groups.map((g, i) => (i < groups.length - 1 ? g | 0x80 : g)));
  }
  return tlv(0x06, Buffer.from(out));
}

/** UTCTime through 2049, GeneralizedTime after (RFC 5280 §4.1.2.5), to the second. */
export function time(d: Date): Buffer {
  const iso = d
    .toISOString()
    .replace(/[-:T]/g, "")
    .replace(/\.\d+Z$/, "Z"); // YYYYMMDDhhmmssZ
  return d.getUTCFullYear() < 2050
    ? tlv(0x17, Buffer.from(iso.slice(2), "ascii"))
    : tlv(0x18, Buffer.from(iso, "ascii"));
}
