using Cluster.Grains.Admission;
using Cluster.Grains.Encoders;
using Cluster.Grains.Pipeline;
using Cluster.Grains.Telemetry;
using Cluster.Grains.Placement;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Runtime.MembershipService.SiloMetadata;

namespace Cluster.Grains.Hosting;

public static class ClusterSiloBuilderExtensions
{
    /// <summary>
    /// Serves this silo's models: the generation model (<see cref="AddGenerationModel"/>) unless
    /// only an embedding model is configured (<see cref="ClusterSiloOptions.ServesGenerationModel"/>),
    /// and the embedding model when one is; with what every silo of the cluster needs whatever it
    /// serves: the plan view and placement directors (a router or a stage of another silo's model
    /// may be placed through this one), metrics and the grain directory.
    /// </summary>
    public static ISiloBuilder AddInferenceCluster(this ISiloBuilder builder, Action<ClusterSiloOptions> configure)
    {
        var options = new ClusterSiloOptions();
        configure(options);
        var validation = new ClusterSiloOptionsValidator().Validate(null, options);
        if (validation.Failed) throw new OptionsValidationException(ClusterSiloOptions.Section, typeof(ClusterSiloOptions), validation.Failures);

        builder.Services.AddSingleton(Options.Create(options));
        if (options.ServesGenerationModel) AddGenerationModel(builder, options);
        // A silo without a generation model advertises nothing: the planners of other silos leave it out.
        else builder.UseSiloMetadata(new Dictionary<string, string>());
        builder.Services.AddSingleton<PipelinePlanView>();
        builder.Services.AddSingleton<SiloLiveness>();
        builder.Services.AddMetrics();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<ServingWindow>();
        builder.Services.AddSingleton<StageMetrics>();
        // Read and checked now, so a bad directory stops the start naming the file; registered
        // through a factory so that the host disposes it (batcher threads stopped, file unmapped).
        if (options.EmbeddingModel is not null)
        {
            var encoder = new ServedEncoder(options);
            builder.Services.AddSingleton(_ => encoder);
        }
        builder.Services.AddPlacementDirector<PipelineStagePlacementStrategy, PipelineStagePlacementDirector>();
        builder.Services.AddPlacementDirector<LastStageSiloPlacementStrategy, LastStageSiloPlacementDirector>();
        builder.Services.Configure<SiloMessagingOptions>(m => m.MaxMessageBodySize = options.MaxMessageBodyMb << 20);
        // The default directory loses the entries a dead silo held, and a call then activates a
        // second, empty sequence beside the one that lives on (stage reports go to it, and the
        // original is deactivated as a duplicate mid-generation). The strongly consistent
        // directory recovers a dead silo's ranges from the survivors' activations instead.
#pragma warning disable ORLEANSEXP003 // evaluation API in Orleans 10
        builder.AddDistributedGrainDirectory();
#pragma warning restore ORLEANSEXP003
        // After a silo dies it holds back new activations of the grains it hosted (its stages,
        // wanted on a spare at once) for this long, counted from the estimated failure time.
        builder.Services.Configure<GrainDirectoryOptions>(d => d.RangeLeaseDuration = TimeSpan.FromSeconds(options.DirectoryLeaseSeconds));
        return builder;
    }

    /// <summary>
    /// The generation model: opens its checkpoint (failing now, naming the file, if it is bad),
    /// advertises the layers this silo hosts in its metadata, and registers what its stages and
    /// sequences run on: admission, the drain on shutdown and the warmup of this silo's stages.
    /// </summary>
    private static void AddGenerationModel(ISiloBuilder builder, ClusterSiloOptions options)
    {
        var model = SiloModel.Open(options);
        builder.UseSiloMetadata(model.Advert(silo: "").ToMetadata());
        builder.Services.AddSingleton(model);
        builder.Services.AddSingleton<AdmissionQueue>();
        builder.Services.AddSingleton<SiloDrain>();
        builder.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(sp => sp.GetRequiredService<SiloDrain>());
        // The drain runs inside the host's stop: give it its timeout and the rest of the stop some room.
        builder.Services.Configure<Microsoft.Extensions.Hosting.HostOptions>(h => h.ShutdownTimeout = TimeSpan.FromSeconds(options.DrainTimeoutSeconds + 30));
        builder.Services.AddSingleton<SequenceMetrics>();
        builder.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, StageWarmup>();
    }
}
