using Cluster.Grains.Encoders;
using Cluster.Grains.Hosting;
using Cluster.Silo.Api.Admission;
using Cluster.Silo.Api.Chat;
using Cluster.Silo.Api.Completions;
using Cluster.Silo.Api.Embeddings;
using Cluster.Silo.Api.Errors;
using Cluster.Silo.Api.Generation;
using Cluster.Silo.Api.Health;
using Cluster.Silo.Api.Hosting;
using Cluster.Silo.Api.Models;
using Cluster.Silo.Api.Security;
using Cluster.Silo.Api.Status;
using Cluster.Silo.Api.Ui;
using Microsoft.Extensions.Options;

namespace Cluster.Silo.Api;

/// <summary>The OpenAI-compatible HTTP surface of a silo: registered before the silo is configured, mapped after.</summary>
public static class OpenAiApiExtensions
{
    /// <summary>The API's services and its listening address.</summary>
    public static WebApplicationBuilder AddOpenAiApi(this WebApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        if (HttpUrls.Resolve(configuration) is { } urls) builder.WebHost.UseUrls(urls);
        // Kestrel refuses a larger body as it reads it (413, turned into OpenAI's error by the handler).
        int bodyMb = configuration.GetValue(ApiOptions.Section + ":" + nameof(ApiOptions.MaxRequestBodyMb), new ApiOptions().MaxRequestBodyMb);
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = bodyMb * 1024L * 1024L);

        var services = builder.Services;
        // Checked now as well as on start, so a bad limit stops the silo before anything starts, with one line.
        var validation = new ApiOptionsValidator().Validate(null, configuration.GetSection(ApiOptions.Section).Get<ApiOptions>() ?? new ApiOptions());
        if (validation.Failed) throw new OptionsValidationException(ApiOptions.Section, typeof(ApiOptions), validation.Failures);
        services.AddOptions<ApiOptions>().Bind(configuration.GetSection(ApiOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ApiOptions>, ApiOptionsValidator>();
        // The generation model is absent on a silo that serves its embedding model alone.
        services.AddSingleton(sp => ServedModelLoader.LoadAll(sp.GetService<SiloModel>(), sp.GetService<ServedEncoder>(),
            sp.GetRequiredService<IOptions<ApiOptions>>(), sp.GetRequiredService<ILogger<ServedModels>>()));
        services.AddSingleton(sp => ApiKeySet.From(sp.GetRequiredService<IOptions<ApiOptions>>().Value));
        services.AddSingleton<AdmissionGate>();
        services.AddSingleton<Readiness>();
        services.AddSingleton<GenerationResponder>();
        services.AddHostedService<WarmupService>();
        services.AddSingleton<StageLossLog>();
        services.AddSingleton<ClusterView>();
        services.AddSingleton<ServingHistory>();
        if (UiEndpoints.Enabled(configuration)) services.AddHostedService<ServingHistorySampler>();
        services.AddExceptionHandler<ApiExceptionHandler>();
        services.AddProblemDetails();
        return builder;
    }

    public static WebApplication MapOpenAiApi(this WebApplication app)
    {
        // Opened now, so a missing tokenizer or a bad option stops the silo at startup, naming the file.
        app.Services.GetRequiredService<ServedModels>();
        app.UseExceptionHandler();
        // Before every endpoint, the telemetry and dashboard routes mapped after this included.
        app.UseMiddleware<ApiKeyMiddleware>();
        app.MapGet("/health", HealthEndpoints.Alive);
        app.MapGet("/ready", HealthEndpoints.Ready);
        app.MapGet("/v1/models", ModelsEndpoint.List);
        app.MapGet("/v1/cluster/status", ClusterStatusEndpoint.GetAsync);
        app.MapPost("/v1/completions", CompletionsEndpoint.HandleAsync);
        app.MapPost("/v1/chat/completions", ChatCompletionsEndpoint.HandleAsync);
        app.MapPost("/v1/embeddings", EmbeddingsEndpoint.HandleAsync);
        if (UiEndpoints.Enabled(app.Configuration)) app.MapClusterPage();
        return app;
    }
}
