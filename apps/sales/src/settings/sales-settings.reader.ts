import { DEFAULT_SALES_SETTINGS, SalesPipelineEventType, salesSettingsStream, type SalesSettings, type SalesSettingsChangedData } from '@crm/contracts';
import type { EventStore } from '@crm/eventstore';

export type CurrentSalesSettings = SalesSettings & { version: number };

/**
 * A tenant's current sales settings: the last `sales.SalesSettingsChanged` of its settings
 * stream, or the defaults (version 0) when it never changed them. Every sales feature reads
 * them through here; the pipeline feature owns the command that changes them.
 */
export const readSalesSettings = async (store: EventStore, tenantId: string): Promise<CurrentSalesSettings> => {
  let latest: SalesSettingsChangedData | undefined;
  for (const event of await store.readStream(salesSettingsStream(tenantId))) {
    if (event.type === SalesPipelineEventType.SalesSettingsChanged) latest = event.data as SalesSettingsChangedData;
  }
  if (!latest) return { ...DEFAULT_SALES_SETTINGS, version: 0 };
  const { version, defaultCurrency, lostReasons, stalledRules, discountApproval, defaultTaxRateBps } = latest;
  return { version, defaultCurrency, lostReasons, stalledRules, discountApproval, defaultTaxRateBps };
};
