namespace Cluster.Silo;

/// <summary>
/// The silo's command line, mapped onto the <c>Cluster</c> configuration section: the serving
/// options (<see cref="Grains.Hosting.ClusterSiloOptions"/>) and how the silo joins
/// (<see cref="SiloHosting"/>); the <c>Api</c> section holds the HTTP API's (<see cref="Api.Hosting.ApiOptions"/>). The same keys come from the environment as <c>Cluster__Model</c> etc.
/// </summary>
public static class SiloCommandLine
{
    public static IDictionary<string, string> Switches { get; } = new Dictionary<string, string>
    {
        ["--redis"] = "Cluster:Redis",
        ["--cluster-id"] = "Cluster:ClusterId",
        ["--advertise"] = "Cluster:Advertise",
        ["--silo-port"] = "Cluster:SiloPort",
        ["--gateway-port"] = "Cluster:GatewayPort",
        ["--http-port"] = "Cluster:HttpPort",
        ["--model"] = "Cluster:Model",
        ["--model-name"] = "Cluster:ModelName",
        ["--tokenizer"] = "Cluster:Tokenizer",
        ["--device"] = "Cluster:Device",
        ["--dtype"] = "Cluster:Dtype",
        ["--page-size"] = "Cluster:PageSize",
        ["--kv-cache-mb"] = "Cluster:KvCacheMb",
        ["--page-count"] = "Cluster:PageCount",
        ["--huge-pages"] = "Cluster:HugePages",
        ["--admission-timeout"] = "Cluster:AdmissionTimeoutSeconds",
        ["--step-timeout"] = "Cluster:StepTimeoutSeconds",
        ["--max-batch-tokens"] = "Cluster:MaxBatchTokens",
        ["--prefill-chunk"] = "Cluster:PrefillChunkTokens",
        ["--layers"] = "Cluster:Layers",
        ["--stages"] = "Cluster:Stages",
        ["--stage-count"] = "Cluster:StageCount",
        ["--auto"] = "Cluster:Auto",
        ["--expect-silos"] = "Cluster:ExpectedSilos",
        ["--device-memory-mb"] = "Cluster:DeviceMemoryMb",
        ["--replicas"] = "Cluster:Replicas",
        ["--spare"] = "Cluster:Spare",
        ["--probe-timeout"] = "Cluster:ProbeTimeoutSeconds",
        ["--max-queued"] = "Cluster:MaxQueuedRequests",
        ["--stall-check"] = "Cluster:StallCheckSeconds",
        ["--max-recoveries"] = "Cluster:MaxRecoveries",
        ["--page-lease"] = "Cluster:PageLeaseSeconds",
        ["--directory-lease"] = "Cluster:DirectoryLeaseSeconds",
        ["--activation-log-mb"] = "Cluster:ActivationLogMb",
        ["--drain-timeout"] = "Cluster:DrainTimeoutSeconds",
        ["--replica"] = "Cluster:Replica",
        ["--measure-wire"] = "Cluster:MeasureWireBytes",
        ["--chat-template"] = "Api:ChatTemplate",
        ["--max-concurrent-requests"] = "Api:MaxConcurrentRequests",
        ["--max-queued-requests"] = "Api:MaxQueuedRequests",
        ["--dashboard"] = Telemetry.TelemetryHosting.DashboardKey,
    };
}
