import { clamp, weighted, zipf } from '../distributions.js';
import type { DimensionTable } from '../model.js';
import type { Rng } from '../prng.js';

export interface Customer {
  readonly customerId: string;
  readonly segment: 'retail' | 'business' | 'private';
  readonly country: string;
  readonly riskTier: string;
  readonly kycStatus: string;
}

/** Bank customers with a Zipf sampler: a few business accounts send most transfers. */
export interface BankWorld {
  readonly customers: readonly Customer[];
  readonly pickCustomer: (rng: Rng) => Customer;
}

const segment = weighted({ retail: 80, business: 15, private: 5 });
const homeCountry = weighted({ DE: 40, FR: 20, NL: 12, ES: 10, IT: 10, AT: 5, BE: 3 });
const riskTier = weighted({ low: 75, medium: 20, high: 5 });
const kycStatus = weighted({ verified: 92, pending: 5, expired: 3 });

function buildCustomer(rng: Rng, index: number): Customer {
  return {
    customerId: `C${String(3_000_000 + index * 11 + rng.int(0, 11))}`,
    segment: segment(rng),
    country: homeCountry(rng),
    riskTier: riskTier(rng),
    kycStatus: kycStatus(rng),
  };
}

/** About one customer per four transfers, most active first. */
export function buildBankWorld(rng: Rng, sessions: number): BankWorld {
  const count = clamp(Math.round(sessions / 4), 50, 300_000);
  const customers = Array.from({ length: count }, (_, index) => buildCustomer(rng, index));
  const rank = zipf(customers.length, 0.8);
  return { customers, pickCustomer: (r) => customers[rank(r)] as Customer };
}

/** The `customer_kyc` SQL dimension table of docs/scenarios.md. */
export function customerKyc(world: BankWorld): DimensionTable {
  return {
    name: 'customer_kyc',
    rows: world.customers.map((customer) => ({
      customer_id: customer.customerId,
      risk_tier: customer.riskTier,
      kyc_status: customer.kycStatus,
      country: customer.country,
    })),
  };
}
