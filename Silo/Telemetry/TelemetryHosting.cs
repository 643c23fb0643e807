using System.Diagnostics.Metrics;
using Cluster.Grains.Telemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Orleans.Dashboard;

namespace Cluster.Silo.Telemetry;

/// <summary>
/// Metrics on <c>/metrics</c> (Prometheus exposition: the serving meter and Orleans' own) and
/// traces (a span per request, a child per stage step) exported over OTLP when the standard
/// <c>OTEL_*</c> variables name an endpoint.
/// </summary>
public static class TelemetryHosting
{
    private const string OrleansMeter = "Microsoft.Orleans";

    /// <summary>Configuration key of the <c>--dashboard</c> switch: the Orleans Dashboard at <c>/dashboard</c>.</summary>
    public const string DashboardKey = "Cluster:Dashboard";

    public static WebApplicationBuilder AddClusterTelemetry(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<GenAiMetrics>();
        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(builder.Configuration["OTEL_SERVICE_NAME"] ?? "cluster-silo"))
            .WithMetrics(metrics => metrics
                .AddMeter(ServingTelemetry.MeterName, OrleansMeter)
                .AddView(OrleansView)
                // Every scrape reads the current values: the exporter's default 300 ms cache would
                // give a scrape soon after another the same numbers, which misleads anyone comparing
                // two scrapes; Prometheus scrapes every few seconds, so the cache saves nothing.
                .AddPrometheusExporter(o => o.ScrapeResponseCacheDurationMilliseconds = 0));
        telemetry.WithTracing(tracing =>
        {
            tracing.AddSource(ServingTelemetry.ActivitySourceName, "Microsoft.Orleans.Runtime", "Microsoft.Orleans.Application");
            // Without an endpoint the exporter would retry localhost:4317 forever; with one, it reads every OTEL_* setting itself.
            if (OtlpConfigured(builder.Configuration)) tracing.AddOtlpExporter();
        });
        return builder;
    }

    public static WebApplication MapClusterTelemetry(this WebApplication app)
    {
        app.MapPrometheusScrapingEndpoint("/metrics");
        if (app.Configuration.GetValue<bool>(DashboardKey)) app.MapOrleansDashboard(routePrefix: "/dashboard");
        return app;
    }

    /// <summary>
    /// Keeps the scrape clean for <c>promtool check metrics</c>: Orleans' instruments carry no
    /// descriptions (Prometheus wants help text) and a few use non-base units (ms, MB), which
    /// Prometheus' naming rules refuse. Those few are dropped (the serving meter has its own
    /// latency histograms in seconds); the rest get help text naming their source.
    /// </summary>
    private static MetricStreamConfiguration? OrleansView(Instrument instrument)
    {
        if (instrument.Meter.Name != OrleansMeter) return null;
        if (instrument.Unit is "ms" or "MB" or "KB" or "us" or "min") return MetricStreamConfiguration.Drop;
        return string.IsNullOrEmpty(instrument.Description)
            ? new MetricStreamConfiguration { Description = $"Orleans runtime instrument {instrument.Name}" }
            : null;
    }

    private static bool OtlpConfigured(IConfiguration configuration) =>
        !string.IsNullOrEmpty(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]) ||
        !string.IsNullOrEmpty(configuration["OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"]) ||
        string.Equals(configuration["OTEL_TRACES_EXPORTER"], "otlp", StringComparison.OrdinalIgnoreCase);
}
