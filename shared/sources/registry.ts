// shared/sources/registry.ts: source name -> adapter. A new vendor is one file plus one line here.
import type { SourceName } from '../model';
import type { SourceAdapter } from './types';
import { poslogAdapter } from './poslog';
import { shopifyAdapter } from './shopify';
import { squareAdapter } from './square';
import { lightspeedXAdapter } from './lightspeed-x';
import { lightspeedRAdapter } from './lightspeed-r';
import { cloverAdapter } from './clover';
import { toastAdapter } from './toast';
import { adyenAdapter } from './adyen';
import { canonicalAdapter } from './canonical';
import { csvAdapter } from './csv';

const adapters: Record<SourceName, SourceAdapter> = {
  poslog: poslogAdapter,
  shopify: shopifyAdapter,
  square: squareAdapter,
  'lightspeed-x': lightspeedXAdapter,
  'lightspeed-r': lightspeedRAdapter,
  clover: cloverAdapter,
  toast: toastAdapter,
  adyen: adyenAdapter,
  canonical: canonicalAdapter,
  csv: csvAdapter,
};

export function adapterFor(source: string): SourceAdapter | undefined {
  return Object.prototype.hasOwnProperty.call(adapters, source) ? adapters[source as SourceName] : undefined;
}

export function sourceNames(): SourceName[] {
  return Object.keys(adapters) as SourceName[];
}
