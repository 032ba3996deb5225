import type { OrdinalStyle } from './post-labels.js';

export function formatOrdinal(n: number, ordinal: OrdinalStyle): string {
  switch (ordinal.style) {
    case 'english':
      return `${n}${englishSuffix(n)}`;
    case 'azerbaijani':
      return `${n}-${azerbaijaniSuffix(n)}`;
    case 'suffix':
      return `${n}${ordinal.suffix}`;
  }
}

function englishSuffix(n: number): string {
  const lastTwo = n % 100;
  if (lastTwo >= 11 && lastTwo <= 13) return 'th';
  return ['th', 'st', 'nd', 'rd'][n % 10] ?? 'th';
}

/**
 * The suffix agrees with the last spoken word of the number: 36 "otuz altı" → 36-cı,
 * 34 "otuz dörd" → 34-cü, 30 "otuz" → 30-cu, 37 "otuz yeddi" → 37-ci, 100 "yüz" → 100-cü.
 */
function azerbaijaniSuffix(n: number): string {
  if (n === 0) return 'cı';
  const units = ['', 'ci', 'ci', 'cü', 'cü', 'ci', 'cı', 'ci', 'ci', 'cu'];
  const tens = ['', 'cu', 'ci', 'cu', 'cı', 'ci', 'cı', 'ci', 'ci', 'cı'];
  if (n % 10 !== 0) return units[n % 10] ?? 'ci';
  if (n % 100 !== 0) return tens[(n % 100) / 10] ?? 'ci';
  if (n % 1000 !== 0) return 'cü'; // yüz
  if (n % 1_000_000 !== 0) return 'ci'; // min
  return 'cu'; // milyon
}
