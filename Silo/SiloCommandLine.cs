namespace Cluster.Silo;

/// <summary>
/// The silo's command line, mapped onto configuration keys: <c>Cluster:*</c> are the serving
/// options (<see cref="Grains.Hosting.ClusterSiloOptions"/>), <c>Silo:*</c> how the silo joins, <c>Api:*</c> the HTTP API (<see cref="Api.Hosting.ApiOptions"/>).
/// </summary>
public static class SiloCommandLine
{
    public static IDictionary<string, string> Switches { get; } = new Dictionary<string, string>
    {
        ["--redis"] = "Silo:Redis",
        ["--cluster-id"] = "Silo:ClusterId",
        ["--silo-port"] = "Silo:SiloPort",
        ["--gateway-port"] = "Silo:GatewayPort",
        ["--http-port"] = "Silo:HttpPort",
        ["--model"] = "Cluster:Model",
        ["--model-name"] = "Cluster:ModelName",
        ["--device"] = "Cluster:Device",
        ["--page-size"] = "Cluster:PageSize",
        ["--kv-cache-mb"] = "Cluster:KvCacheMb",
        ["--max-batch-tokens"] = "Cluster:MaxBatchTokens",
        ["--prefill-chunk"] = "Cluster:PrefillChunkTokens",
        ["--layers"] = "Cluster:Layers",
        ["--stages"] = "Cluster:Stages",
        ["--stage-count"] = "Cluster:StageCount",
        ["--auto"] = "Cluster:Auto",
        ["--device-memory-mb"] = "Cluster:DeviceMemoryMb",
        ["--replicas"] = "Cluster:Replicas",
        ["--replica"] = "Cluster:Replica",
        ["--measure-wire"] = "Cluster:MeasureWireBytes",
        ["--tokenizer"] = "Api:Tokenizer",
        ["--chat-template"] = "Api:ChatTemplate",
        ["--max-concurrent-requests"] = "Api:MaxConcurrentRequests",
        ["--max-queued-requests"] = "Api:MaxQueuedRequests",
    };
}
