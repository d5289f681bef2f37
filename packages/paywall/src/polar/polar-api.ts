import { PolarNetworkError } from "@polar-sh/sdk";
import { createPolarCore, type models } from "@polar-sh/sdk/2026-10";
import { createCheckoutLinks } from "@polar-sh/sdk/2026-10/services/checkout_links";
import { createCheckouts } from "@polar-sh/sdk/2026-10/services/checkouts";
import { listCustomerMeters } from "@polar-sh/sdk/2026-10/services/customer_meters";
import { listBenefitGrants } from "@polar-sh/sdk/2026-10/services/benefit_grants";
import { getStateCustomers } from "@polar-sh/sdk/2026-10/services/customers";
import { ingestEvents, listEvents } from "@polar-sh/sdk/2026-10/services/events";
import { listLicenseKeys, validateLicenseKeys } from "@polar-sh/sdk/2026-10/services/license_keys";
import { getMeters, quantitiesMeters } from "@polar-sh/sdk/2026-10/services/meters";
import { getProducts } from "@polar-sh/sdk/2026-10/services/products";
import { grantsBenefits } from "@polar-sh/sdk/2026-10/services/benefits";
import {
  createWebhookEndpointWebhooks,
  listWebhookEndpointsWebhooks,
  updateWebhookEndpointWebhooks,
} from "@polar-sh/sdk/2026-10/services/webhooks";

export type FetchLike = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

export interface PolarApiOptions {
  accessToken: string;
  baseUrl: string;
  /** Injected fetch (tests, proxies, the in-process emulator). Default: the global fetch. */
  fetch?: FetchLike;
  /** Per-request timeout in seconds (default 10). */
  timeoutSeconds?: number;
}

/** The few Polar operations the paywall uses, through the official SDK. */
export interface PolarApi {
  validateLicenseKey(body: models.LicenseKeyValidate): Promise<models.ValidatedLicenseKey>;
  getProduct(id: string): Promise<models.Product>;
  getMeter(id: string): Promise<models.Meter>;
  getCustomerState(customerId: string): Promise<models.CustomerState>;
  ingestEvents(events: models.EventsIngest["events"]): Promise<models.EventsIngestResponse>;
  createCheckout(body: models.CheckoutCreate): Promise<models.Checkout>;
  createCheckoutLink(body: models.CheckoutLinkCreate): Promise<models.CheckoutLink>;
  meterQuantities(
    meterId: string,
    query: Parameters<ReturnType<typeof quantitiesMeters>>[1],
  ): Promise<models.MeterQuantities>;
  listCustomerMeters(query: {
    meter_id?: string;
    customer_id?: string;
    page?: number;
    limit?: number;
    sorting?: models.CustomerMeterSortProperty[];
  }): Promise<{ items: models.CustomerMeter[]; pagination: { max_page: number } }>;
  listLicenseKeys(
    query: NonNullable<Parameters<ReturnType<typeof listLicenseKeys>>[0]>,
  ): Promise<{ items: models.LicenseKeyRead[]; pagination: { max_page: number } }>;
  listBenefitGrants(
    query: NonNullable<Parameters<ReturnType<typeof listBenefitGrants>>[0]>,
  ): Promise<{ items: models.BenefitGrant[]; pagination: { max_page: number } }>;
  listGrantsOfBenefit(
    benefitId: string,
    query: { is_granted?: boolean; page?: number; limit?: number },
  ): Promise<{ items: models.BenefitGrant[]; pagination: { max_page: number } }>;
  listWebhookEndpoints(query: {
    page?: number;
    limit?: number;
  }): Promise<{ items: models.WebhookEndpoint[]; pagination: { max_page: number } }>;
  createWebhookEndpoint(body: models.WebhookEndpointCreate): Promise<models.WebhookEndpoint>;
  updateWebhookEndpoint(
    id: string,
    body: models.WebhookEndpointUpdate,
  ): Promise<models.WebhookEndpoint>;
  listEvents(
    query: NonNullable<Parameters<ReturnType<typeof listEvents>>[0]>,
  ): Promise<{ items: models.Event[]; pagination: { total_count: number } }>;
}

/**
 * Wraps `@polar-sh/sdk` (API version 2026-10). The SDK calls the global fetch; an injected
 * fetch replaces its transport step only, so requests, headers and error mapping stay the
 * SDK's own.
 */
export function createPolarApi(options: PolarApiOptions): PolarApi {
  const core = createPolarCore({
    accessToken: options.accessToken,
    baseUrl: options.baseUrl,
    timeout: options.timeoutSeconds ?? 10,
  });
  const injected = options.fetch;
  if (injected) {
    core.sendRequest = async ([url, init], requestOptions) => {
      const timeout = requestOptions?.timeout ?? options.timeoutSeconds ?? 10;
      try {
        return await injected(url, {
          ...init,
          signal: AbortSignal.timeout(Math.ceil(timeout * 1000)),
        });
      } catch (error) {
        throw new PolarNetworkError(error instanceof Error ? error.message : String(error));
      }
    };
  }
  return {
    validateLicenseKey: (body) => validateLicenseKeys(core)(body),
    getProduct: (id) => getProducts(core)(id),
    getMeter: (id) => getMeters(core)(id),
    getCustomerState: (id) => getStateCustomers(core)(id),
    ingestEvents: (events) => ingestEvents(core)({ events }),
    createCheckout: (body) => createCheckouts(core)(body),
    createCheckoutLink: (body) => createCheckoutLinks(core)(body),
    meterQuantities: (meterId, query) => quantitiesMeters(core)(meterId, query),
    listCustomerMeters: async (query) =>
      (await listCustomerMeters(core)(query)) as {
        items: models.CustomerMeter[];
        pagination: { max_page: number };
      },
    listLicenseKeys: async (query) => await listLicenseKeys(core)(query),
    listBenefitGrants: async (query) => await listBenefitGrants(core)(query),
    listGrantsOfBenefit: async (benefitId, query) => await grantsBenefits(core)(benefitId, query),
    listWebhookEndpoints: async (query) => await listWebhookEndpointsWebhooks(core)(query),
    createWebhookEndpoint: (body) => createWebhookEndpointWebhooks(core)(body),
    updateWebhookEndpoint: (id, body) => updateWebhookEndpointWebhooks(core)(id, body),
    listEvents: async (query) =>
      (await listEvents(core)(query)) as {
        items: models.Event[];
        pagination: { total_count: number };
      },
  };
}
