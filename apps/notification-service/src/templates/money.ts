/**
 * Formats an amount in minor units for a mail: 129900 USD → "$1,299.00", 500 JPY → "¥500".
 * The currency's own number of decimals (ISO 4217, as Intl knows it) turns minor into major units.
 */
export function formatMoney(minorUnits: number, currency: string, locale = 'en-US'): string {
  const format = new Intl.NumberFormat(locale, { style: 'currency', currency });
  const decimals = format.resolvedOptions().maximumFractionDigits ?? 2;
  return format.format(minorUnits / 10 ** decimals);
}
