import { type XmcpConfig } from "xmcp";

// The port is read when xmcp builds the app (the test picks a free one).
const config: XmcpConfig = {
  http: {
    port: Number(process.env.PAYWALL_XMCP_PORT ?? 3001),
    host: "127.0.0.1",
    endpoint: "/mcp",
  },
  paths: { tools: "src/tools", prompts: false, resources: false },
};

export default config;
