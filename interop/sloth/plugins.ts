/**
 * Sloth SLI plugins whose query is published (slok/sloth-common-sli-plugins,
 * and Sloth's getting-started example plugin),
 * expanded to the selectors they count: each plugin's error ratio is
 * bad/total, or (total − good)/total for the latency ones, over the metrics
 * below. Other plugins are refused by name: their query is not known here.
 */
import { matchers, selectorOf } from "../promql";

export type PluginIndicator = { total: string; bad: string } | { total: string; good: string };

type Options = Record<string, string>;
type Expand = (options: Options) => PluginIndicator | string;

/** The `filter` option as matchers: Sloth trims `{},` around it. */
function filter(options: Options): string[] {
  const text = (options["filter"] ?? "").trim().replace(/^[{,\s]+|[},\s]+$/g, "");
  return text === "" ? [] : matchers(`x{${text}}`);
}

function required(options: Options, ...keys: string[]): string | undefined {
  const missing = keys.filter((k) => !options[k]);
  return missing.length > 0 ? `missing option ${missing.join(", ")}` : undefined;
}

function errorsOf(metric: string, base: readonly string[], errorMatcher: string): PluginIndicator {
  return { total: selectorOf(metric, base), bad: selectorOf(metric, [...base, errorMatcher]) };
}

function latencyOf(histogram: string, base: readonly string[], bucket: string): PluginIndicator | string {
  if (!Number.isFinite(Number(bucket))) return `option bucket is not a number (got ${JSON.stringify(bucket)})`;
  return { total: selectorOf(`${histogram}_count`, base), good: selectorOf(`${histogram}_bucket`, [...base, `le="${bucket}"`]) };
}

function noExcludedErrors(options: Options): string | undefined {
  return options["exclude_errors"] && options["exclude_errors"] !== "false" ? "option exclude_errors is not expanded (it changes which requests count)" : undefined;
}

const PLUGINS: Record<string, Expand> = {
  // Sloth's own example plugin (slok/sloth examples/plugins/getting-started/availability/plugin.go): 5xx and 429 of the job's requests.
  getting_started_availability: (o) => required(o, "job") ?? errorsOf("http_request_duration_seconds_count", [...filter(o), `job="${o["job"]}"`], 'code=~"(5..|429)"'),
  "sloth-common/kubernetes/apiserver/availability": (o) => errorsOf("apiserver_request_total", filter(o), 'code=~"(5..|429)"'),
  "sloth-common/kubernetes/apiserver/latency": (o) => required(o, "bucket") ?? latencyOf("apiserver_request_duration_seconds", [...filter(o), 'verb!="WATCH"'], o["bucket"]!),
  "sloth-common/coredns/availability": (o) => errorsOf("coredns_dns_responses_total", filter(o), `rcode=~"${o["custom_rcode_regex"] || "SERVFAIL"}"`),
  "sloth-common/coredns/latency": (o) => required(o, "bucket") ?? latencyOf("coredns_dns_request_duration_seconds", filter(o), o["bucket"]!),
  "sloth-common/haproxy/frontend/availability": (o) => errorsOf("haproxy_frontend_http_responses_total", filter(o), 'code="5xx"'),
  "sloth-common/istio/v1/availability": (o) =>
    required(o, "service", "namespace") ??
    errorsOf("istio_requests_total", [...filter(o), `destination_service_name="${o["service"]}"`, `destination_service_namespace="${o["namespace"]}"`], 'response_code=~"(5..|429)"'),
  "sloth-common/istio/v1/latency": (o) =>
    required(o, "service", "namespace", "bucket") ??
    noExcludedErrors(o) ??
    latencyOf("istio_request_duration_milliseconds", [...filter(o), `destination_service_name="${o["service"]}"`, `destination_service_namespace="${o["namespace"]}"`], o["bucket"]!),
  "sloth-common/kubernetes/nginx-ingress/availability": (o) => errorsOf("nginx_ingress_controller_requests", filter(o), 'status=~"(5..|429)"'),
  "sloth-common/prometheus/rules/eval-availability": (o) => ({ total: selectorOf("prometheus_rule_evaluations_total", filter(o)), bad: selectorOf("prometheus_rule_evaluation_failures_total", filter(o)) }),
  "sloth-common/slok-go-http-metrics/availability": (o) => required(o, "filter") ?? errorsOf("http_request_duration_seconds_count", filter(o), 'code=~"(5..|429)"'),
  "sloth-common/slok-go-http-metrics/latency": (o) => required(o, "filter", "bucket") ?? noExcludedErrors(o) ?? latencyOf("http_request_duration_seconds", filter(o), o["bucket"]!),
  "sloth-common/traefik/v1/availability": (o) => required(o, "backend_regex") ?? errorsOf("traefik_backend_requests_total", [...filter(o), `backend=~"${o["backend_regex"]}"`], 'code=~"(5..|429)"'),
  "sloth-common/traefik/v1/latency": (o) => required(o, "backend_regex", "bucket") ?? noExcludedErrors(o) ?? latencyOf("traefik_backend_request_duration_seconds", [...filter(o), `backend=~"${o["backend_regex"]}"`], o["bucket"]!),
  "sloth-common/traefik/v2/availability": (o) => required(o, "service_name_regex") ?? errorsOf("traefik_service_requests_total", [...filter(o), `service=~"${o["service_name_regex"]}"`], 'code=~"(5..)"'),
  "sloth-common/traefik/v2/latency": (o) => required(o, "service_name_regex", "bucket") ?? noExcludedErrors(o) ?? latencyOf("traefik_service_request_duration_seconds", [...filter(o), `service=~"${o["service_name_regex"]}"`], o["bucket"]!),
};

/** Ids of the plugins expanded here. */
export const KNOWN_PLUGINS = Object.keys(PLUGINS);

/** The selectors a plugin counts, or why it cannot be expanded. */
export function expandPlugin(id: string, options: Options): PluginIndicator | string {
  const expand = PLUGINS[id];
  if (!expand) return "its query is not known here";
  return expand(options);
}
