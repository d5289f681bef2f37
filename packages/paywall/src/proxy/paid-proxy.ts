import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { Server } from "@modelcontextprotocol/sdk/server/index.js";
import type { RequestOptions } from "@modelcontextprotocol/sdk/shared/protocol.js";
import {
  CallToolRequestSchema,
  CallToolResultSchema,
  CompleteRequestSchema,
  CompleteResultSchema,
  EmptyResultSchema,
  GetPromptRequestSchema,
  GetPromptResultSchema,
  ListPromptsRequestSchema,
  ListPromptsResultSchema,
  ListResourcesRequestSchema,
  ListResourcesResultSchema,
  ListResourceTemplatesRequestSchema,
  ListResourceTemplatesResultSchema,
  ListToolsRequestSchema,
  ListToolsResultSchema,
  ReadResourceRequestSchema,
  ReadResourceResultSchema,
  ResultSchema,
  SetLevelRequestSchema,
  SubscribeRequestSchema,
  UnsubscribeRequestSchema,
  UrlElicitationRequiredError,
  type CallToolResult,
  type ServerCapabilities,
} from "@modelcontextprotocol/sdk/types.js";
import { denialResult } from "../adapters/core/denial.js";
import { findLicenseKey } from "../adapters/core/license-key-source.js";
import { elicitPurchase, type PurchaseWaits } from "../adapters/core/purchase-elicitation.js";
import { STDIO_SESSION_ID } from "../adapters/core/run-paid.js";
import { PaywallError } from "../errors.js";
import type { PolarProvider } from "../provider/polar-provider.js";
import { messages, type UsageEvent, type ValidateLicenseKeyResult } from "../provider/result.js";
import {
  describePrice,
  priceOf,
  unitsAfter,
  unitsBefore,
  type ProxyConfig,
  type ToolPrice,
} from "./proxy-config.js";

/** The `_meta` key of a tool's price in tools/list. */
export const PRICE_META_KEY = "polar/price";

export interface PaidProxyOptions {
  config: ProxyConfig;
  polar: PolarProvider;
  /** A connected client of the MCP server behind the paywall (one per downstream session). */
  upstream: Client;
  /** `"http"`: keys come from the request only, never from the environment. */
  transport: "http" | "stdio";
  /** Elicitations waiting for a purchase (shared with the webhook route). */
  waits: PurchaseWaits;
}

type Forwarded = Parameters<Server["setRequestHandler"]>[0];

/** Server capabilities the proxy offers: the upstream's, minus tasks (calls are paid one by one). */
function offered(upstream: ServerCapabilities | undefined): ServerCapabilities {
  const { tasks: _tasks, experimental: _experimental, ...rest } = upstream ?? {};
  return { ...rest, tools: rest.tools ?? {} };
}

/**
 * One downstream MCP session of `polar-mcp paywall proxy`: a low-level SDK server that
 * forwards every request and notification to the upstream server unchanged, except
 * tools/list (prices in `_meta["polar/price"]` and the description) and tools/call of paid
 * tools (authorized, charged on success; refused with a URL elicitation or a structured
 * error when a purchase would fix it).
 */
export function createPaidProxyServer(options: PaidProxyOptions): {
  server: Server;
  dispose(): void;
} {
  const { config, polar, upstream, waits } = options;
  const capabilities = offered(upstream.getServerCapabilities());
  const instructions = upstream.getInstructions();
  const server = new Server(
    { name: "polar-mcp-paywall-proxy", version: "0.1.0" },
    { capabilities, ...(instructions ? { instructions } : {}) },
  );
  const forgets = new Set<() => void>();

  const forward = (
    requestSchema: Forwarded,
    resultSchema: typeof ResultSchema,
    when: boolean,
  ): void => {
    if (!when) return;
    server.setRequestHandler(requestSchema, (request, extra) =>
      upstream.request(request, resultSchema, { signal: extra.signal }),
    );
  };
  forward(ListPromptsRequestSchema, ListPromptsResultSchema, !!capabilities.prompts);
  forward(GetPromptRequestSchema, GetPromptResultSchema, !!capabilities.prompts);
  forward(ListResourcesRequestSchema, ListResourcesResultSchema, !!capabilities.resources);
  forward(
    ListResourceTemplatesRequestSchema,
    ListResourceTemplatesResultSchema,
    !!capabilities.resources,
  );
  forward(ReadResourceRequestSchema, ReadResourceResultSchema, !!capabilities.resources);
  forward(SubscribeRequestSchema, EmptyResultSchema, !!capabilities.resources?.subscribe);
  forward(UnsubscribeRequestSchema, EmptyResultSchema, !!capabilities.resources?.subscribe);
  forward(CompleteRequestSchema, CompleteResultSchema, !!capabilities.completions);
  forward(SetLevelRequestSchema, EmptyResultSchema, !!capabilities.logging);

  server.setRequestHandler(ListToolsRequestSchema, async (request, extra) => {
    const listed = await upstream.request(request, ListToolsResultSchema, {
      signal: extra.signal,
    });
    return {
      ...listed,
      tools: listed.tools.map((tool) => {
        const price = priceOf(config, tool.name);
        const described = describePrice(price);
        return {
          ...tool,
          ...(config.priceIn === "meta"
            ? {}
            : { description: tool.description ? `${tool.description} (${described})` : described }),
          _meta: {
            ...tool._meta,
            [PRICE_META_KEY]:
              price === "free"
                ? { free: true }
                : { free: false, productId: config.polar.productId, units: price },
          },
        };
      }),
    };
  });

  server.setRequestHandler(CallToolRequestSchema, async (request, extra) => {
    const { name, arguments: args } = request.params;
    const progressToken = request.params._meta?.progressToken;
    const requestOptions: RequestOptions = {
      signal: extra.signal,
      ...(progressToken !== undefined
        ? {
            onprogress: (progress) =>
              void extra.sendNotification({
                method: "notifications/progress",
                params: { ...progress, progressToken },
              }),
          }
        : {}),
    };
    const call = () => upstream.request(request, CallToolResultSchema, requestOptions);
    const price = priceOf(config, name);
    if (price === "free") return call();

    const overHttp = options.transport === "http";
    const licenseKey = findLicenseKey({
      transport: options.transport,
      headers: extra.requestInfo?.headers,
      meta: request.params._meta,
    });
    const sessionId = extra.sessionId ?? (overHttp ? undefined : STDIO_SESSION_ID);
    const event = (units: number): UsageEvent => ({
      name: config.eventName ?? "tool_call",
      metadata: { tool_name: name, units },
    });
    const before = unitsBefore(price, args);
    if (polar.config.sessionSpendCap !== undefined && !sessionId)
      return denialResult({
        valid: false,
        code: "license_key_error",
        message: messages.noSession(),
      });
    const authorization = await polar.authorize(
      licenseKey,
      event(before),
      sessionId ? { sessionId } : {},
    );
    if (!authorization.valid) return refuse(authorization, licenseKey, event(before));

    let result: CallToolResult;
    try {
      result = await call();
    } catch (error) {
      authorization.release();
      throw error;
    }
    if (result.isError === true) {
      authorization.release();
      return result;
    }
    try {
      await authorization.commit(
        event(unitsAfter(price as ToolPrice, before, result.structuredContent)),
      );
    } catch (error) {
      // Not recorded: the result is withheld (never free), and the caller is told to retry.
      return denialResult({
        valid: false,
        code: "license_key_error",
        message:
          error instanceof PaywallError && error.code === "invalid_usage_event"
            ? error.message
            : messages.notRecorded(),
      });
    }
    return result;
  });

  /** A purchase fixes it and the client can open URLs: -32042 with the checkout; else the structured error. */
  function refuse(
    denial: ValidateLicenseKeyResult,
    licenseKey: string | undefined,
    event: UsageEvent,
  ): CallToolResult {
    const elicited = elicitPurchase(denial, {
      clientCapabilities: server.getClientCapabilities(),
      completionNotifier: (id) => server.createElicitationCompletionNotifier(id),
      waits,
      ready: async () => {
        if (!licenseKey) return false;
        const again = await polar.authorize(licenseKey, event);
        again.release();
        return again.valid;
      },
    });
    if (!elicited) return denialResult(denial);
    forgets.add(elicited.forget);
    throw new UrlElicitationRequiredError([elicited.elicitation], denial.message);
  }

  // Everything else flows both ways unchanged: notifications, and the upstream's requests
  // (sampling, elicitation, roots) to the downstream client.
  upstream.fallbackNotificationHandler = (notification) => server.notification(notification);
  server.fallbackNotificationHandler = (notification) => upstream.notification(notification);
  upstream.fallbackRequestHandler = (request, extra) =>
    server.request(request, ResultSchema, { signal: extra.signal });

  return {
    server,
    dispose: () => {
      for (const forget of forgets) forget();
      forgets.clear();
    },
  };
}
