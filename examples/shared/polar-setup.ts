// Where the examples get their Polar settings: from the environment (a real Polar
// organization), or, when POLAR_TOKEN is not set, from a local emulator with the demo seed.
import { startEmulator } from "@polar-mcp/emulator";
import type { Configuration } from "@polar-mcp/paywall";

export interface ExampleSetup {
  config: Configuration;
  /** The demo customer's key, when the emulator was started here. */
  demoLicenseKey?: string;
  close(): Promise<void>;
}

export async function polarSetup(): Promise<ExampleSetup> {
  const { POLAR_TOKEN, POLAR_ORGANIZATION_ID, POLAR_PRODUCT_ID, POLAR_BASE_URL } = process.env;
  if (POLAR_TOKEN && POLAR_ORGANIZATION_ID && POLAR_PRODUCT_ID) {
    return {
      config: {
        type: process.env.POLAR_ENV === "production" ? "production" : "sandbox",
        token: POLAR_TOKEN,
        organizationId: POLAR_ORGANIZATION_ID,
        productId: POLAR_PRODUCT_ID,
        ...(POLAR_BASE_URL ? { baseUrl: POLAR_BASE_URL } : {}),
      },
      close: async () => {},
    };
  }
  const emulator = await startEmulator({ db: ":memory:", seed: "demo" });
  const seed = emulator.seed!;
  return {
    config: {
      token: seed.accessToken,
      organizationId: seed.organizationId,
      productId: seed.productId,
      baseUrl: emulator.url,
    },
    demoLicenseKey: seed.licenseKey,
    close: () => emulator.close(),
  };
}
