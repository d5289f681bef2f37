import type { OperationHandlers } from "../http/operation.js";
import { customers } from "./customers/store.js";
import { organizationFilterAdmits, organizationOf } from "./scope.js";

const cell = (value: unknown) => {
  const text = value === null || value === undefined ? "" : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
};

const HEADER = [
  "ID",
  "External ID",
  "Created At",
  "Email",
  "Name",
  "Tax ID",
  "Billing Address Line 1",
  "Billing Address Line 2",
  "Billing Address City",
  "Billing Address State",
  "Billing Address Zip",
  "Billing Address Country",
  "Metadata",
];

/** `GET /v1/customers/export`: Polar's CSV (Excel dialect), one row per live customer. */
export const customerExportHandlers: OperationHandlers = {
  "customers:export": (req, ctx) => {
    const organizationId = organizationOf(req.principal);
    const rows = organizationFilterAdmits(req.query.organization_id, organizationId)
      ? customers(ctx)
          .byOrganization(organizationId)
          .filter((c) => !c.deleted_at)
          .map((c) => {
            const address = (c.billing_address ?? {}) as Record<string, unknown>;
            const taxId = Array.isArray(c.tax_id) ? c.tax_id[0] : c.tax_id;
            return [
              c.id,
              c.external_id,
              c.created_at,
              c.email,
              c.name,
              taxId,
              address.line1,
              address.line2,
              address.city,
              address.state,
              address.postal_code,
              address.country,
              c.metadata && Object.keys(c.metadata).length > 0 ? JSON.stringify(c.metadata) : null,
            ];
          })
      : [];
    const csv = [HEADER, ...rows].map((r) => r.map(cell).join(",")).join("\r\n");
    return new Response(`${csv}\r\n`, {
      headers: {
        "content-type": "text/csv",
        "content-disposition": 'attachment; filename="polar-customers.csv"',
      },
    });
  },
};
