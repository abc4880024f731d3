// Standard base64 (RFC 4648 section 4) read strictly: Buffer.from skips characters outside the
// alphabet, accepts base64url and missing padding, and ignores non-zero pad bits, so a value
// is taken only when it is exactly the canonical encoding of what it decodes to.

/** The bytes of canonical, padded, standard base64; undefined for anything else. */
export const decodeBase64 = (text: string): Buffer | undefined => {
  const bytes = Buffer.from(text, 'base64');
  return bytes.toString('base64') === text ? bytes : undefined;
};
