using System.Globalization;
using System.Text.Json.Nodes;
using Cluster.Client.Http;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Cluster.Client.Commands.Status;

/// <summary>
/// The tables of <c>status</c>, built from the JSON of <c>/v1/cluster/status</c> and
/// <c>/v1/models</c> (field names as in <c>Silo/Api/Status/ClusterStatusEndpoint.cs</c>).
/// Every cell is <see cref="Text"/>, never markup, so a description with brackets prints as is.
/// </summary>
internal static class StatusTables
{
    public static Table Models(JsonNode? models, TableBorder border)
    {
        var table = NewTable("models", border, "id", "kind", "owned by", "context window", "chat template", "description");
        foreach (var model in Array(models?["data"]))
            table.AddRow(Cells(Str(model["id"]), Str(model["kind"]), Str(model["owned_by"]), Str(model["context_window"]), Str(model["chat_template"]), Str(model["description"])));
        return table;
    }

    public static Table Silos(JsonNode status, TableBorder border)
    {
        var table = NewTable("silos", border, "silo", "stages", "devices", "KV pages used", "KV pages free");
        table.Columns[0].NoWrap();
        var stages = Array(status["stages"]).ToList();
        foreach (string silo in Array(status["silos"]).Select(s => Str(s)))
        {
            var mine = stages.Where(s => Str(s["silo"]) == silo).ToList();
            table.AddRow(Cells(
                silo,
                Count(mine.Count),
                string.Join(", ", mine.Select(s => Device(s["device"])).Distinct()),
                Count(mine.Sum(s => Int(s["pages_used"]))),
                Count(mine.Sum(s => Int(s["pages_free"])))));
        }
        return table;
    }

    /// <summary>One row per stage of every replica (key <c>model/replica/stage</c>): where it runs, its layers, its KV pages and its load.</summary>
    public static Table Stages(JsonNode status, TableBorder border)
    {
        var table = NewTable("stages", border, "stage", "layers", "silo", "device", "KV pages used", "KV pages free", "seqs", "queue");
        // Keys and silo names are what an operator searches for: never broken across lines.
        table.Columns[0].NoWrap();
        table.Columns[2].NoWrap();
        foreach (var stage in Array(status["stages"]))
        {
            table.AddRow(Cells(
                Str(stage["key"]),
                $"{Int(stage["first_layer"])}-{Int(stage["last_layer"])}",
                Str(stage["silo"]),
                Device(stage["device"]),
                Count(Int(stage["pages_used"])),
                Count(Int(stage["pages_free"])),
                Count(Int(stage["sequences"])),
                Count(Int(stage["queue_depth"]))));
        }
        return table;
    }

    /// <summary>The model, its plan, this silo's admission queue and readiness, as lines under the tables.</summary>
    public static IEnumerable<string> Summary(JsonNode status, ReadyState ready)
    {
        var plan = status["plan"];
        // A silo serving only an embedding model has no generation model and no plan (both null).
        if (plan is null)
        {
            yield return "model: none (this silo serves no generation model)";
        }
        else
        {
            yield return $"model: {Str(status["model"])}";
            yield return $"plan: {Str(plan["description"])} ({(Bool(plan["complete"]) ? "complete" : "incomplete")}, {Int(plan["replicas"])} replica(s), stages per replica: {string.Join(", ", Array(plan["stages_per_replica"]).Select(s => Str(s)))})";
        }
        if (status["embedding_model"] is { } embedding)
            yield return $"embedding model: {Str(embedding["id"])} ({Array(embedding["stages"]).Count()} stage(s), {Int(embedding["dimensions"])} dimensions)";
        // A stage that does not answer has no figures for the table: say what is wrong with it here.
        foreach (var stage in Array(status["stages"]).Where(s => Str(s["state"]) is { Length: > 0 } state && state != "serving"))
            yield return $"stage {Str(stage["key"])} (layers {Int(stage["first_layer"])}-{Int(stage["last_layer"])}): {Str(stage["state"])}{(Str(stage["reason"]) is { Length: > 0 } reason ? $" ({reason})" : "")}";
        foreach (var loss in Array(status["lost_stages"]))
            yield return $"lost: stage {Str(loss["key"])} (layers {Str(loss["layers"])}) on {Str(loss["silo"])} at {Str(loss["lost_at"])}, " +
                (Str(loss["replaced_by"]) is { Length: > 0 } by ? $"re-placed on {by}" : "not re-placed yet");
        var admission = status["admission"];
        yield return $"admission (this silo): {Int(admission?["running"])} running, {Int(admission?["queued"])} queued, capacity {Int(admission?["capacity"])}";
        yield return ready.Ready ? "ready: yes" : $"ready: no ({ready.Detail})";
    }

    private static Table NewTable(string title, TableBorder border, params string[] columns)
    {
        var table = new Table { Border = border, Title = new TableTitle(title) };
        foreach (string column in columns)
            table.AddColumn(new TableColumn(new Text(column)));
        return table;
    }

    private static IRenderable[] Cells(params string[] values) => values.Select(v => (IRenderable)new Text(v)).ToArray();

    private static IEnumerable<JsonNode> Array(JsonNode? node) => node is JsonArray array ? array.OfType<JsonNode>() : [];

    private static string Str(JsonNode? node) => node switch
    {
        null => "",
        JsonValue value when value.TryGetValue(out string? s) => s,
        _ => node.ToJsonString(),
    };

    // A stage on the silo's default device reports no name.
    private static string Device(JsonNode? node) => Str(node) is { Length: > 0 } device ? device : "-";

    private static int Int(JsonNode? node) => node is JsonValue value && value.TryGetValue(out int i) ? i : 0;

    private static bool Bool(JsonNode? node) => node is JsonValue value && value.TryGetValue(out bool b) && b;

    private static string Count(int value) => value.ToString(CultureInfo.InvariantCulture);
}
