using System.Text.Json;
using System.Text.Json.Serialization;

namespace Cluster.Silo.Api.Errors;

/// <summary>The API's JSON spelling: snake_case names (OpenAI's), nulls left out of responses.</summary>
public static class ApiJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };
}
