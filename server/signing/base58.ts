/**
 * Base58 with the Bitcoin alphabet ("base58btc"), the encoding multibase marks with a leading "z":
 * did:key identifiers, Multikey public keys and Data Integrity proof values all use it. The
 * quadratic schoolbook conversion is plenty for keys and signatures of a few dozen bytes.
 */

const ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

const DIGIT_OF = new Map(Array.from(ALPHABET, (char, index) => [char, index]));

export function base58btcEncode(bytes: Uint8Array): string {
  // Leading zero bytes carry no value in a big number: each is written as a "1" of its own.
  let zeros = 0;
  while (zeros < bytes.length && bytes[zeros] === 0) zeros++;

  // log(256) / log(58) < 1.37 digits per byte; typed digits and integer division, because every
  // certificate's signature goes through here.
  const digits = new Uint8Array(Math.ceil((bytes.length - zeros) * 1.37) + 1); // least significant first
  let length = 0;
  for (let index = zeros; index < bytes.length; index++) {
    let carry = bytes[index] ?? 0;
    for (let position = 0; position < length; position++) {
      carry += (digits[position] ?? 0) * 256;
      digits[position] = carry % 58;
      carry = (carry / 58) | 0;
    }
    while (carry > 0) {
      digits[length++] = carry % 58;
      carry = (carry / 58) | 0;
    }
  }
  let text = "1".repeat(zeros);
  for (let position = length - 1; position >= 0; position--) text += ALPHABET.charAt(digits[position] ?? 0);
  return text;
}

/** Throws on any character outside the alphabet (0, O, I, l, spaces…). */
export function base58btcDecode(text: string): Uint8Array {
  let zeros = 0;
  while (zeros < text.length && text.charAt(zeros) === "1") zeros++;

  const bytes: number[] = []; // base 256, least significant first
  for (let index = zeros; index < text.length; index++) {
    const char = text.charAt(index);
    let carry = DIGIT_OF.get(char);
    if (carry === undefined) throw new SyntaxError(`Not a base58btc character at ${index}: ${JSON.stringify(char)}`);
    for (let position = 0; position < bytes.length; position++) {
      carry += (bytes[position] ?? 0) * 58;
      bytes[position] = carry & 0xff;
      carry >>= 8;
    }
    while (carry > 0) {
      bytes.push(carry & 0xff);
      carry >>= 8;
    }
  }
  const result = new Uint8Array(zeros + bytes.length);
  bytes.reverse().forEach((byte, index) => {
    result[zeros + index] = byte;
  });
  return result;
}
