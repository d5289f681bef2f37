/** Name and version this server reports in MCP `initialize` and its User-Agent. */
export const SERVER_NAME = "polar-mcp";
export const SERVER_VERSION = "0.1.0";
export const USER_AGENT = `${SERVER_NAME}/${SERVER_VERSION} (@polar-mcp/server)`;
