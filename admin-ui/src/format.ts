export function duration(seconds: number): string {
  const s = Math.floor(seconds);
  const days = Math.floor(s / 86400);
  const hours = Math.floor((s % 86400) / 3600);
  const minutes = Math.floor((s % 3600) / 60);
  const rest = s % 60;
  if (days > 0) return `${days}d ${hours}h ${minutes}m`;
  if (hours > 0) return `${hours}h ${minutes}m ${rest}s`;
  if (minutes > 0) return `${minutes}m ${rest}s`;
  return `${rest}s`;
}

export function rate(value: number | undefined): string {
  if (value === undefined) return '–';
  if (value === 0) return '0/s';
  return value >= 10 ? `${value.toFixed(0)}/s` : `${value.toFixed(2)}/s`;
}

export function millis(value: number | null | undefined): string {
  return value === null || value === undefined ? '–' : `${value.toFixed(value >= 10 ? 0 : 1)} ms`;
}

/** ISO times from the API, shown in UTC as the gateway logs them. */
export function time(iso: string | null | undefined): string {
  if (!iso) return '–';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : `${date.toISOString().replace('T', ' ').slice(0, 19)} UTC`;
}

/**
 * Rates from running totals: remembers each key's last total and when it was read, and answers
 * (difference / seconds between reads). A total that went down (a restart) restarts the rate.
 */
export class RateTracker {
  private readonly last = new Map<string, { total: number; at: number }>();
  private readonly rates = new Map<string, number>();

  update(key: string, total: number, at: number): void {
    const previous = this.last.get(key);
    if (previous && at > previous.at && total >= previous.total) {
      this.rates.set(key, (total - previous.total) / ((at - previous.at) / 1000));
    } else if (!previous) {
      this.rates.set(key, 0);
    }
    this.last.set(key, { total, at });
  }

  rate(key: string): number | undefined {
    return this.rates.get(key);
  }
}
