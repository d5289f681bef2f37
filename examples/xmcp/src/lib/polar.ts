// The seed's src/lib/polar.ts with one change: the import.
import { PolarProvider } from "@polar-mcp/paywall";
export const polar = PolarProvider.getInstance({
  type: "sandbox", // or "production"
  token: process.env.POLAR_TOKEN!,
  organizationId: process.env.POLAR_ORGANIZATION_ID!,
  productId: process.env.POLAR_PRODUCT_ID!,
});
