/**
 * Where requests go. Google's global or EU (`region1`) collection host, or any base URL (the
 * local collector). Credentials: `measurement_id` (web) or `firebase_app_id` (app) plus the
 * `api_secret`. `describeEndpoint` is the only form that may appear in logs and errors: it never
 * contains the secret.
 */
export type Ga4Region = 'global' | 'eu';

export const GA4_HOSTS: Readonly<Record<Ga4Region, string>> = {
  global: 'https://www.google-analytics.com',
  eu: 'https://region1.google-analytics.com',
};

export type Ga4Stream = { readonly measurementId: string } | { readonly firebaseAppId: string };

export interface Ga4Destination {
  readonly region?: Ga4Region;
  /** Overrides the region's host, e.g. `http://127.0.0.1:8787` for the local collector. */
  readonly baseUrl?: string;
  readonly stream: Ga4Stream;
  readonly apiSecret: string;
}

function base(destination: Ga4Destination): string {
  return (destination.baseUrl ?? GA4_HOSTS[destination.region ?? 'global']).replace(/\/+$/, '');
}

export function collectUrl(destination: Ga4Destination, debug: boolean): string {
  const url = new URL(`${base(destination)}${debug ? '/debug' : ''}/mp/collect`);
  if ('measurementId' in destination.stream)
    url.searchParams.set('measurement_id', destination.stream.measurementId);
  else url.searchParams.set('firebase_app_id', destination.stream.firebaseAppId);
  url.searchParams.set('api_secret', destination.apiSecret);
  return url.toString();
}

/** Host, path and stream id; never the api_secret. */
export function describeEndpoint(destination: Ga4Destination, debug = false): string {
  const stream =
    'measurementId' in destination.stream
      ? destination.stream.measurementId
      : destination.stream.firebaseAppId;
  return `${base(destination)}${debug ? '/debug' : ''}/mp/collect (${stream})`;
}
