import type { KeyDecision } from "../cache/key-decision.js";
import type { CustomerStanding } from "../ledger/standing-loader.js";

/**
 * What replicas share besides balances: validation results and customers' standings, so
 * a key is validated once for the whole fleet. One process needs none (undefined).
 */
export interface SharedStandings {
  key(key: string): Promise<KeyDecision | undefined>;
  putKey(key: string, decision: KeyDecision): Promise<void>;
  forgetKey(key: string): Promise<void>;
  standing(customerId: string): Promise<CustomerStanding | undefined>;
  putStanding(standing: CustomerStanding): Promise<void>;
  /** Forgets the customer's standing and every validation result of their keys. */
  forgetCustomer(customerId: string): Promise<void>;
}
