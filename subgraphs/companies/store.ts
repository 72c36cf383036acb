import type { SnapshotEntry } from '../../platform/events/index.ts';
import type { Page } from '../../platform/pagination.ts';

export type CompanySize = 'STARTUP' | 'SMALL' | 'MEDIUM' | 'LARGE' | 'ENTERPRISE';

import type { Location } from '../../platform/validate.ts';

export type { Location };

export interface Company {
  id: string;
  name: string;
  industry: string | null;
  size: CompanySize | null;
  website: string | null;
  location: Location | null;
  description: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export type CompanyFields = Omit<Company, 'id' | 'createdAt' | 'updatedAt'>;

export interface CompanyFilter {
  nameContains?: string | null;
  industry?: string | null;
  size?: CompanySize[] | null;
  country?: string | null;
}

export interface CompanyOrder {
  field: 'NAME' | 'CREATED_AT';
  direction: 'ASC' | 'DESC';
}

export interface CompanyStore {
  /** `id` is optional so the demo loader can keep its references stable. */
  create(fields: CompanyFields, id?: string): Promise<Company>;
  /**
   * Inserts many companies at once into a store that has none of them (the demo loader), without
   * events: derived stores draw them from the snapshot. `createdAt` follows the list's order.
   */
  importMany(companies: readonly (CompanyFields & { id: string })[]): Promise<void>;
  update(id: string, fields: Partial<CompanyFields>): Promise<Company | null>;
  delete(id: string): Promise<boolean>;
  getMany(ids: readonly string[]): Promise<Company[]>;
  list(filter: CompanyFilter, order: CompanyOrder, page: Page): Promise<{ rows: Company[]; totalCount: number }>;
  count(): Promise<number>;
  /** Companies with an id after `afterId`, in id order, each as its events carry it (rebuilding derived stores). */
  snapshotPage(afterId: string | null, limit: number): Promise<SnapshotEntry[]>;
}
