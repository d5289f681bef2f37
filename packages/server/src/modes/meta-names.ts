/** Names of the three meta-tools (dynamic mode, and beside the listed toolsets). */
export const DYNAMIC_TOOL_NAMES = {
  search: "search_operations",
  describe: "describe_operation",
  call: "call_operation",
} as const;
