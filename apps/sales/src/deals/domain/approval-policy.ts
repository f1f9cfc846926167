import type { DiscountApprovalPolicy } from '@crm/contracts';
import type { QuotePricing } from './pricing';

export type ApproverStep = { role: string; approverId?: string };

export type ApprovalDecision =
  | { required: false }
  | { required: true; steps: ApproverStep[]; effectiveDiscountBps: number; maxLineDiscountBps: number; thresholdBps: number };

/**
 * Whether a priced quote needs approval under a tenant's policy, and by whom. A discount
 * exactly at the threshold does not; any line discount or the overall discount above it does.
 * The chain is every step whose `minTotalMinor` the total reaches, in policy order; when the
 * total reaches none of them the first step still applies, because a discount above the
 * threshold must never go out unapproved.
 */
export const approvalFor = (pricing: QuotePricing, policy: DiscountApprovalPolicy): ApprovalDecision => {
  const { thresholdBps, chain } = policy;
  const { effectiveDiscountBps } = pricing.totals;
  if (pricing.maxLineDiscountBps <= thresholdBps && effectiveDiscountBps <= thresholdBps) return { required: false };
  const applying = chain.filter((step) => (step.minTotalMinor ?? 0) <= pricing.totals.totalMinor);
  const steps = (applying.length > 0 ? applying : chain.slice(0, 1)).map((s) => ({ role: s.role, ...(s.approverId !== undefined && { approverId: s.approverId }) }));
  return { required: true, steps, effectiveDiscountBps, maxLineDiscountBps: pricing.maxLineDiscountBps, thresholdBps };
};

/** A step with a named approver is theirs alone; otherwise anyone holding its role may decide. */
export const mayDecide = (step: ApproverStep, actorId: string, roles: readonly string[]): boolean =>
  step.approverId !== undefined ? step.approverId === actorId : roles.includes(step.role);
