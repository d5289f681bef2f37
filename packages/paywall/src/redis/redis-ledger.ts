import type { Ledger } from "../ledger/ledger.js";
import { PaywallError } from "../errors.js";

export function connectRedisLedger(
  _url: string,
  _scope: string,
  _options: { onInvalidate(customerId: string): void },
): Ledger {
  throw new PaywallError("not_implemented", "redis ledger");
}
