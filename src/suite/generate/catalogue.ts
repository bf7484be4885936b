/**
 * The fictional shop behind the mixed-traffic suite: products, policies and regions. Every
 * fact a case asks about is given in that case's prompt, so labels are correct by construction
 * and no real-world knowledge can be right or wrong.
 */
export interface Product {
  name: string;
  sku: string;
  category: Category;
  /** Price in cents (integers keep the arithmetic exact). */
  priceCents: number;
  warrantyYears: number;
  colour: string;
  warehouse: string;
}

export const CATEGORIES = ['kitchen', 'garden', 'lighting', 'audio', 'office', 'outdoor'] as const;
export type Category = (typeof CATEGORIES)[number];

export const PRODUCTS: readonly Product[] = [
  { name: 'Zephyr kettle', sku: 'ZK-2041', category: 'kitchen', priceCents: 4900, warrantyYears: 2, colour: 'teal', warehouse: 'Northvale' },
  { name: 'Quillon toaster', sku: 'QT-1187', category: 'kitchen', priceCents: 3650, warrantyYears: 1, colour: 'cream', warehouse: 'Eastbrook' },
  { name: 'Marrow blender', sku: 'MB-3302', category: 'kitchen', priceCents: 8925, warrantyYears: 3, colour: 'graphite', warehouse: 'Northvale' },
  { name: 'Fennick grill pan', sku: 'FG-0456', category: 'kitchen', priceCents: 2775, warrantyYears: 5, colour: 'black', warehouse: 'Southmere' },
  { name: 'Orbit lamp', sku: 'OL-7710', category: 'lighting', priceCents: 2450, warrantyYears: 2, colour: 'amber', warehouse: 'Westholm' },
  { name: 'Lumen strip', sku: 'LS-5521', category: 'lighting', priceCents: 1899, warrantyYears: 1, colour: 'white', warehouse: 'Eastbrook' },
  { name: 'Halcyon pendant', sku: 'HP-6093', category: 'lighting', priceCents: 12900, warrantyYears: 4, colour: 'brass', warehouse: 'Westholm' },
  { name: 'Thistle hose reel', sku: 'TH-2218', category: 'garden', priceCents: 5600, warrantyYears: 3, colour: 'green', warehouse: 'Southmere' },
  { name: 'Bramble pruner', sku: 'BP-0917', category: 'garden', priceCents: 2199, warrantyYears: 10, colour: 'orange', warehouse: 'Southmere' },
  { name: 'Moss planter', sku: 'MP-4480', category: 'garden', priceCents: 3325, warrantyYears: 2, colour: 'slate', warehouse: 'Northvale' },
  { name: 'Echo speaker', sku: 'ES-8836', category: 'audio', priceCents: 7999, warrantyYears: 2, colour: 'navy', warehouse: 'Eastbrook' },
  { name: 'Cadence headphones', sku: 'CH-3174', category: 'audio', priceCents: 14500, warrantyYears: 2, colour: 'silver', warehouse: 'Westholm' },
  { name: 'Murmur radio', sku: 'MR-1265', category: 'audio', priceCents: 4250, warrantyYears: 1, colour: 'red', warehouse: 'Northvale' },
  { name: 'Ledger desk', sku: 'LD-9902', category: 'office', priceCents: 31900, warrantyYears: 5, colour: 'oak', warehouse: 'Southmere' },
  { name: 'Quorum chair', sku: 'QC-6650', category: 'office', priceCents: 18875, warrantyYears: 5, colour: 'charcoal', warehouse: 'Westholm' },
  { name: 'Margin notebook', sku: 'MN-0132', category: 'office', priceCents: 875, warrantyYears: 1, colour: 'blue', warehouse: 'Eastbrook' },
  { name: 'Stanza monitor arm', sku: 'SM-2709', category: 'office', priceCents: 6450, warrantyYears: 3, colour: 'grey', warehouse: 'Northvale' },
  { name: 'Drift hammock', sku: 'DH-5547', category: 'outdoor', priceCents: 9300, warrantyYears: 2, colour: 'sand', warehouse: 'Southmere' },
  { name: 'Ember fire pit', sku: 'EF-3891', category: 'outdoor', priceCents: 21500, warrantyYears: 3, colour: 'rust', warehouse: 'Westholm' },
  { name: 'Tarn cool box', sku: 'TC-1420', category: 'outdoor', priceCents: 5175, warrantyYears: 2, colour: 'yellow', warehouse: 'Eastbrook' },
];

/** Days to return an item of each category (unopened / opened). */
export const RETURN_DAYS: Record<Category, { unopened: number; opened: number }> = {
  kitchen: { unopened: 30, opened: 14 },
  garden: { unopened: 60, opened: 30 },
  lighting: { unopened: 30, opened: 7 },
  audio: { unopened: 21, opened: 10 },
  office: { unopened: 45, opened: 15 },
  outdoor: { unopened: 90, opened: 30 },
};

/** Restocking fee (percent of the item price) on opened returns, per category. */
export const RESTOCKING_PERCENT: Record<Category, number> = { kitchen: 10, garden: 5, lighting: 15, audio: 20, office: 10, outdoor: 5 };

export interface Region {
  name: string;
  /** Standard shipping: business days in transit and price in cents. */
  transitDays: number;
  shippingCents: number;
  /** Orders with items totalling at least this ship free. */
  freeOverCents: number;
}

export const REGIONS: readonly Region[] = [
  { name: 'Northvale', transitDays: 1, shippingCents: 399, freeOverCents: 5000 },
  { name: 'Eastbrook', transitDays: 2, shippingCents: 499, freeOverCents: 5000 },
  { name: 'Southmere', transitDays: 2, shippingCents: 599, freeOverCents: 7500 },
  { name: 'Westholm', transitDays: 3, shippingCents: 699, freeOverCents: 7500 },
  { name: 'Corrin Isles', transitDays: 5, shippingCents: 1299, freeOverCents: 15000 },
  { name: 'Highfell', transitDays: 4, shippingCents: 899, freeOverCents: 10000 },
];

/** Members' discount on items (not on shipping), in percent. */
export const MEMBER_DISCOUNT_PERCENT = 10;
/** Business days between order and dispatch. */
export const DISPATCH_DAYS = 1;

export const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday'] as const;

export function dollars(cents: number): string {
  return `$${(cents / 100).toFixed(2)}`;
}

export function productSheet(p: Product): string {
  return `${p.name} (SKU ${p.sku}): category ${p.category}, price ${dollars(p.priceCents)}, colour ${p.colour}, warranty ${p.warrantyYears} year${p.warrantyYears === 1 ? '' : 's'}, ships from ${p.warehouse}.`;
}

export function regionSheet(r: Region): string {
  return `Standard shipping to ${r.name}: ${r.transitDays} business day${r.transitDays === 1 ? '' : 's'} in transit, ${dollars(r.shippingCents)}, free for orders of ${dollars(r.freeOverCents)} or more (items total).`;
}

export function returnsSheet(c: Category): string {
  const d = RETURN_DAYS[c];
  return `Returns of ${c} items: ${d.unopened} days if unopened, ${d.opened} days if opened; opened returns carry a ${RESTOCKING_PERCENT[c]}% restocking fee.`;
}
