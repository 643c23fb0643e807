namespace Cluster.Silo;

/// <summary>
/// The silo's command line, mapped onto configuration keys: <c>Cluster:*</c> are the serving
/// options (<see cref="Grains.Hosting.ClusterSiloOptions"/>), <c>Silo:*</c> how the silo joins.
/// </summary>
public static class SiloCommandLine
{
    public static IDictionary<string, string> Switches { get; } = new Dictionary<string, string>
    {
        ["--redis"] = "Silo:Redis",
        ["--cluster-id"] = "Silo:ClusterId",
        ["--advertise"] = "Silo:Advertise",
        ["--silo-port"] = "Silo:SiloPort",
        ["--gateway-port"] = "Silo:GatewayPort",
        ["--http-port"] = "Silo:HttpPort",
        ["--model"] = "Cluster:Model",
        ["--model-name"] = "Cluster:ModelName",
        ["--tokenizer"] = "Cluster:Tokenizer",
        ["--device"] = "Cluster:Device",
        ["--page-size"] = "Cluster:PageSize",
        ["--kv-cache-mb"] = "Cluster:KvCacheMb",
        ["--page-count"] = "Cluster:PageCount",
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
        ["--replica"] = "Cluster:Replica",
        ["--measure-wire"] = "Cluster:MeasureWireBytes",
    };
}
