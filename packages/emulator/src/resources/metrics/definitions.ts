/**
 * Polar's metrics (server/polar/metrics/metrics.py), in its order: slug, display name,
 * type, and how the whole range's total is taken (`sum` of periods, `last` period, or a
 * ratio of sums computed in `totals`).
 */
export type MetricType = "scalar" | "currency" | "currency_sub_cent" | "percentage";
export type Cumulative = "sum" | "last" | "other";

export interface MetricDefinition {
  slug: string;
  display_name: string;
  type: MetricType;
  cumulative: Cumulative;
}

const TABLE: [string, string, MetricType, Cumulative][] = [
  ["active_subscriptions", "Active Subscriptions", "scalar", "last"],
  ["committed_subscriptions", "Committed Subscriptions", "scalar", "last"],
  ["monthly_recurring_revenue", "Monthly Recurring Revenue", "currency", "last"],
  ["trial_monthly_recurring_revenue", "Trialing MRR Including Cancelations", "currency", "last"],
  [
    "committed_monthly_recurring_revenue",
    "Committed Monthly Recurring Revenue",
    "currency",
    "last",
  ],
  [
    "trial_committed_monthly_recurring_revenue",
    "Trialing Monthly Recurring Revenue",
    "currency",
    "last",
  ],
  ["average_revenue_per_user", "Average Revenue Per User", "currency", "last"],
  ["checkouts", "Checkouts", "scalar", "sum"],
  ["succeeded_checkouts", "Succeeded Checkouts", "scalar", "sum"],
  ["churned_subscriptions", "Churned Subscriptions", "scalar", "sum"],
  ["churn_rate", "Churn Rate", "percentage", "last"],
  ["seats_total", "Seat Count", "scalar", "last"],
  ["seats_claimed", "Claimed Seats", "scalar", "last"],
  ["seats_pending", "Pending Seats", "scalar", "last"],
  ["seat_customers", "Active Customers", "scalar", "last"],
  ["new_seat_customers", "New Customers", "scalar", "sum"],
  ["churned_seat_customers", "Churned Customers", "scalar", "sum"],
  ["orders", "Orders", "scalar", "sum"],
  ["revenue", "Revenue", "currency", "sum"],
  ["net_revenue", "Net Revenue", "currency", "sum"],
  ["cumulative_revenue", "Cumulative Revenue", "currency", "last"],
  ["net_cumulative_revenue", "Net Cumulative Revenue", "currency", "last"],
  ["costs", "Costs", "currency_sub_cent", "sum"],
  ["cumulative_costs", "Cumulative Costs", "currency_sub_cent", "last"],
  ["average_order_value", "Average Order Value", "currency", "other"],
  ["net_average_order_value", "Net Average Order Value", "currency", "other"],
  ["cost_per_user", "Cost Per User", "currency_sub_cent", "last"],
  ["active_user_by_event", "Active User (By event)", "scalar", "last"],
  ["one_time_products", "One-Time Products", "scalar", "sum"],
  ["one_time_products_revenue", "One-Time Products Revenue", "currency", "sum"],
  ["one_time_products_net_revenue", "One-Time Products Net Revenue", "currency", "sum"],
  ["new_subscriptions", "New Subscriptions", "scalar", "sum"],
  ["new_subscriptions_revenue", "New Subscriptions Revenue", "currency", "sum"],
  ["new_subscriptions_net_revenue", "New Subscriptions Net Revenue", "currency", "sum"],
  ["renewed_subscriptions", "Renewed Subscriptions", "scalar", "sum"],
  ["renewed_subscriptions_revenue", "Renewed Subscriptions Revenue", "currency", "sum"],
  ["renewed_subscriptions_net_revenue", "Renewed Subscriptions Net Revenue", "currency", "sum"],
  ["canceled_subscriptions", "Canceled Subscriptions", "scalar", "sum"],
  [
    "canceled_subscriptions_customer_service",
    "Canceled Subscriptions - Customer Service",
    "scalar",
    "sum",
  ],
  ["canceled_subscriptions_low_quality", "Canceled Subscriptions - Low Quality", "scalar", "sum"],
  [
    "canceled_subscriptions_missing_features",
    "Canceled Subscriptions - Missing Features",
    "scalar",
    "sum",
  ],
  [
    "canceled_subscriptions_switched_service",
    "Canceled Subscriptions - Switched Service",
    "scalar",
    "sum",
  ],
  ["canceled_subscriptions_too_complex", "Canceled Subscriptions - Too Complex", "scalar", "sum"],
  [
    "canceled_subscriptions_too_expensive",
    "Canceled Subscriptions - Too Expensive",
    "scalar",
    "sum",
  ],
  ["canceled_subscriptions_unused", "Canceled Subscriptions - Unused", "scalar", "sum"],
  ["canceled_subscriptions_other", "Canceled Subscriptions - Other", "scalar", "sum"],
  ["annual_recurring_revenue", "Annual Recurring Revenue", "currency", "last"],
  ["committed_annual_recurring_revenue", "Committed Annual Recurring Revenue", "currency", "last"],
  ["checkouts_conversion", "Checkouts Conversion Rate", "percentage", "other"],
  ["ltv", "Lifetime Value", "currency", "last"],
  ["gross_margin", "Gross Margin", "currency", "last"],
  ["gross_margin_percentage", "Gross Margin %", "percentage", "last"],
  ["cashflow", "Cashflow", "currency", "sum"],
  ["average_seats_per_customer", "Average Seats per Customer", "scalar", "last"],
  ["seat_utilization_rate", "Seat Utilization Rate", "percentage", "last"],
];

export const METRICS: MetricDefinition[] = TABLE.map(([slug, display_name, type, cumulative]) => ({
  slug,
  display_name,
  type,
  cumulative,
}));

export const METRIC_SLUGS = new Set(METRICS.map((m) => m.slug));
