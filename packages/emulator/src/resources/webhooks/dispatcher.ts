import type { EmulatorContext } from "../../context.js";
import { iso, newId } from "../../ids.js";
import {
  DELIVERY_TIMEOUT_MS,
  DISABLE_AFTER_FAILED_EVENTS,
  MAX_ATTEMPTS,
  retryDelay,
} from "./backoff.js";
import { webhookHeaders } from "./signature.js";
import {
  webhookDeliveries,
  webhookEndpoints,
  webhookEvents,
  type WebhookEventRecord,
} from "./store.js";

interface Outcome {
  ok: boolean;
  httpCode: number | null;
  response: string | null;
}

/**
 * Delivers webhook events from the store, never on a request's path: publishing only writes
 * the event (in the request's transaction) and kicks the dispatcher, which runs after the
 * handler returned. Per endpoint, events go strictly in order (FIFO): the next waits while
 * the head is being retried. Retry times are on the emulator's clock, so advancing the clock
 * makes retries due at once; a real timer covers real time passing.
 */
export class WebhookDispatcher {
  /** Pending event ids per endpoint, in order; rebuilt from the store when null. */
  private queues: Map<string, string[]> | null = null;
  private readonly inFlight = new Map<string, Promise<void>>();
  private readonly controllers = new Set<AbortController>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private scheduled = false;
  private closed = false;

  constructor(private readonly ctx: EmulatorContext) {}

  /** Queues an event just written (the caller's transaction commits before the next tick). */
  enqueue(event: WebhookEventRecord): void {
    if (this.queues) {
      const queue = this.queues.get(event.endpoint_id) ?? [];
      queue.push(event.id);
      this.queues.set(event.endpoint_id, queue);
    }
    this.kick();
  }

  /** Forgets the in-memory queues (store reset; a redelivery re-queues an old event). */
  reload(): void {
    this.queues = null;
    this.kick();
  }

  /** Looks for due work on the next tick. */
  kick(): void {
    if (this.closed || this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.pump();
    });
  }

  /** Resolves when nothing is in flight (tests and close). */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all(this.inFlight.values());
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.timer);
    for (const controller of this.controllers) controller.abort();
    await Promise.allSettled(this.inFlight.values());
  }

  private loadQueues(): Map<string, string[]> {
    const queues = new Map<string, string[]>();
    for (const event of webhookEvents(this.ctx).findBy("status", "pending")) {
      queues.set(event.endpoint_id, [...(queues.get(event.endpoint_id) ?? []), event.id]);
    }
    return queues;
  }

  private pump(): void {
    if (this.closed) return;
    this.queues ??= this.loadQueues();
    const now = this.ctx.clock.now().getTime();
    let nextDue = Infinity;
    for (const [endpointId, queue] of this.queues) {
      if (this.inFlight.has(endpointId)) continue;
      let head: WebhookEventRecord | undefined;
      while (queue.length > 0 && !head) {
        const candidate = webhookEvents(this.ctx).get(queue[0]!);
        if (candidate?.status === "pending") head = candidate;
        else queue.shift();
      }
      if (!head) {
        this.queues.delete(endpointId);
        continue;
      }
      if (head.next_attempt_at > now) {
        nextDue = Math.min(nextDue, head.next_attempt_at);
        continue;
      }
      const attempt = this.attempt(head).finally(() => {
        this.inFlight.delete(endpointId);
        this.kick();
      });
      this.inFlight.set(endpointId, attempt);
    }
    clearTimeout(this.timer);
    if (Number.isFinite(nextDue)) {
      this.timer = setTimeout(() => this.kick(), Math.max(0, nextDue - now));
      this.timer.unref?.();
    }
  }

  private async attempt(event: WebhookEventRecord): Promise<void> {
    const endpoint = webhookEndpoints(this.ctx).get(event.endpoint_id);
    if (!endpoint || !endpoint.enabled) {
      // Polar skips events of a disabled endpoint; they stay listed, marked skipped.
      webhookEvents(this.ctx).put({ ...event, status: "skipped", skipped: true });
      return;
    }
    // Receivers check the timestamp against their real clock (5 min tolerance), so it is
    // wall time even when the emulator's clock was advanced.
    const timestamp = Math.floor(Date.now() / 1000);
    const headers = webhookHeaders(endpoint.secret, event.id, timestamp, event.payload);
    const outcome = await this.post(endpoint.url, headers, event.payload);
    if (this.closed) return;
    this.record(event, outcome);
  }

  private async post(url: string, headers: Record<string, string>, body: string): Promise<Outcome> {
    const controller = new AbortController();
    this.controllers.add(controller);
    const timeout = setTimeout(() => controller.abort(), DELIVERY_TIMEOUT_MS);
    try {
      const res = await this.ctx.webhookTransport.fetch(url, {
        method: "POST",
        headers,
        body,
        signal: controller.signal,
      });
      const text = await res.text();
      return { ok: res.ok, httpCode: res.status, response: text ? text.slice(0, 2048) : null };
    } catch (error) {
      return { ok: false, httpCode: null, response: (error as Error).message.slice(0, 2048) };
    } finally {
      clearTimeout(timeout);
      this.controllers.delete(controller);
    }
  }

  private record(event: WebhookEventRecord, outcome: Outcome): void {
    const ctx = this.ctx;
    const now = ctx.clock.now();
    ctx.store.transaction(() => {
      const current = webhookEvents(ctx).get(event.id);
      if (!current) return;
      webhookDeliveries(ctx).insert({
        id: newId(),
        organization_id: current.organization_id,
        endpoint_id: current.endpoint_id,
        event_id: current.id,
        created_at: iso(now),
        modified_at: null,
        succeeded: outcome.ok,
        http_code: outcome.httpCode,
        response: outcome.response,
      });
      const attempts = current.attempts + 1;
      const base = {
        ...current,
        attempts,
        last_http_code: outcome.httpCode,
        modified_at: iso(now),
      };
      if (outcome.ok) {
        webhookEvents(ctx).put({ ...base, status: "succeeded", succeeded: true });
      } else if (attempts >= MAX_ATTEMPTS) {
        webhookEvents(ctx).put({ ...base, status: "failed", succeeded: false });
        this.disableIfFailing(current.endpoint_id);
      } else {
        const delay = retryDelay(attempts, ctx.webhookTransport.random);
        webhookEvents(ctx).put({ ...base, next_attempt_at: now.getTime() + delay });
      }
    });
  }

  /** Polar disables an endpoint whose last 10 finished events all failed. */
  private disableIfFailing(endpointId: string): void {
    const finished = webhookEvents(this.ctx)
      .findBy("endpoint_id", endpointId)
      .filter((e) => e.status === "succeeded" || e.status === "failed")
      .slice(-DISABLE_AFTER_FAILED_EVENTS);
    if (finished.length < DISABLE_AFTER_FAILED_EVENTS) return;
    if (finished.some((e) => e.status !== "failed")) return;
    const endpoint = webhookEndpoints(this.ctx).get(endpointId);
    if (endpoint?.enabled)
      webhookEndpoints(this.ctx).put({
        ...endpoint,
        enabled: false,
        modified_at: iso(this.ctx.clock.now()),
      });
  }
}

const dispatchers = new WeakMap<EmulatorContext, WebhookDispatcher>();

/** The emulator's one dispatcher (created with its listeners at start). */
export function dispatcherOf(ctx: EmulatorContext): WebhookDispatcher {
  let dispatcher = dispatchers.get(ctx);
  if (!dispatcher) {
    dispatcher = new WebhookDispatcher(ctx);
    dispatchers.set(ctx, dispatcher);
  }
  return dispatcher;
}
