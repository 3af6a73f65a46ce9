import { ANALYTICS_COUNT_KEYS } from '@cadence/contracts/src/analytics-counts';
import type { Column } from '../../components/DataTable';
import { formatNumber } from '../../format';
import { type Breakdown, formatRate } from './types';

/** The numeric columns every breakdown table (steps, channels, templates, campaigns) shares. */
export function breakdownColumns<T extends Breakdown>(): Column<T>[] {
  const count = (key: Exclude<keyof Breakdown, 'rates'>, header: string, secondary = false): Column<T> => ({
    key,
    header,
    align: 'end',
    secondary,
    cell: (r) => formatNumber(r[key]),
  });
  return [
    count('sent', 'Sent'),
    count('delivered', 'Delivered'),
    count('opened', 'Opened'),
    { key: 'openRate', header: 'Open rate', align: 'end', cell: (r) => formatRate(r.rates.open) },
    count('clicked', 'Clicked'),
    { key: 'clickRate', header: 'Click rate', align: 'end', cell: (r) => formatRate(r.rates.click) },
    count('replied', 'Replied'),
    count('bounced', 'Bounced', true),
    count('unsubscribed', 'Unsubscribed', true),
    count('conversions', 'Conversions'),
  ];
}

/** The CSV export's count columns: the API's counts, in its order. */
export const CSV_COUNT_KEYS = ANALYTICS_COUNT_KEYS;
