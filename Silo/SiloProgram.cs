using Cluster.Grains.Encoders;
using Cluster.Grains.Hosting;
using Cluster.Silo.Api;
using Cluster.Silo.CommandLine;
using Cluster.Silo.Telemetry;

namespace Cluster.Silo;

/// <summary>
/// The silo process: checks its command line (exit code 2 for an unknown option or a bad value),
/// builds and starts the Orleans silo with the HTTP API (exit code 1, with one line naming the
/// file or option and the reason, when the model or configuration cannot be loaded), and serves
/// until it is stopped.
/// </summary>
public static class SiloProgram
{
    public static async Task<int> RunAsync(string[] args)
    {
        SiloArguments arguments;
        try
        {
            arguments = SiloArguments.Parse(args);
        }
        catch (UsageException e)
        {
            await Console.Error.WriteLineAsync($"error: {e.Message}");
            return UsageException.ExitCode;
        }
        if (arguments.Help)
        {
            await Console.Out.WriteAsync(SiloHelp.Render());
            return 0;
        }

        WebApplication? app = null;
        try
        {
            app = Build(arguments);
            await app.StartAsync();
        }
        catch (Exception e)
        {
            bool usage = e is UsageException;
            await Console.Error.WriteLineAsync(usage ? $"error: {e.Message}" : StartupFailure.Describe(e));
            if (arguments.Verbose && !usage) await Console.Error.WriteLineAsync(e.ToString());
            if (app is not null) await StopQuietlyAsync(app);
            return usage ? UsageException.ExitCode : StartupFailure.ExitCode;
        }

        Console.WriteLine($"SILO READY {Served(app.Services)} silo-port={app.Configuration.GetValue("Cluster:SiloPort", 11111)} http={string.Join(",", app.Urls)}");
        await app.WaitForShutdownAsync();
        return 0;
    }

    /// <summary>The models of the ready line: the generation model and its layers here, the embedding model and its stages, whichever are served.</summary>
    private static string Served(IServiceProvider services)
    {
        var parts = new List<string>();
        if (services.GetService<SiloModel>() is { } model)
        {
            var layers = model.Options.Spare ? "spare" : model.HostedLayers() is { } ranges ? string.Join(", ", ranges.Select(r => $"{r.Start}-{r.End - 1}")) : "auto";
            parts.Add($"model={model.Name} layers={layers} source={model.Source}");
        }
        if (services.GetService<ServedEncoder>() is { } encoder) parts.Add($"embedding-model={encoder.Id} embedding-stages={encoder.StageCount}");
        return string.Join(' ', parts);
    }

    private static WebApplication Build(SiloArguments arguments)
    {
        // The command line is bound from the checked values, not handed to the host as raw arguments.
        var builder = WebApplication.CreateBuilder();
        builder.Configuration.AddInMemoryCollection(arguments.Values!);
        ConfigurationKeyCheck.Check(builder.Configuration);
        builder.AddOpenAiApi();
        builder.AddClusterTelemetry();
        builder.UseOrleans(silo => SiloHosting.Configure(silo, builder.Configuration));
        var app = builder.Build();
        app.MapOpenAiApi();
        app.MapClusterTelemetry();
        return app;
    }

    private static async Task StopQuietlyAsync(WebApplication app)
    {
        try
        {
            await app.DisposeAsync();
        }
        catch (Exception)
        {
            // The start already failed and said why; a failure to tear down what it left adds nothing.
        }
    }
}
