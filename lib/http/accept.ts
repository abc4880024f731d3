// Does an Accept header admit application/json? (contract section 2, RFC 9110 section 12.5.1)

// Ranges that can match application/json, with their specificity.
const JSON_RANGES: Readonly<Record<string, number>> = {
  'application/json': 2,
  'application/*': 1,
  '*/*': 0,
};
const QVALUE = /^(?:0(?:\.[0-9]{0,3})?|1(?:\.0{0,3})?)$/;

/**
 * True when the header is absent or blank, or when the most specific range that matches
 * application/json has a q-value above zero. A range with a malformed q-value admits nothing.
 */
export const acceptsJson = (header: string | undefined): boolean => {
  if (header === undefined || header.trim() === '') return true;
  let specificity = -1;
  let quality = 0;
  for (const range of header.split(',')) {
    const [type = '', ...params] = range.split(';');
    const rank = JSON_RANGES[type.trim().toLowerCase()];
    if (rank === undefined || rank < specificity) continue;
    let q = 1;
    for (const param of params) {
      const eq = param.indexOf('=');
      if (eq < 0 || param.slice(0, eq).trim().toLowerCase() !== 'q') continue;
      const value = param.slice(eq + 1).trim();
      q = QVALUE.test(value) ? Number(value) : 0;
    }
    // Equally specific ranges: the most generous one wins.
    quality = rank > specificity ? q : Math.max(quality, q);
    specificity = rank;
  }
  return quality > 0;
};
