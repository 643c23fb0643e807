using Microsoft.Extensions.Options;

namespace Cluster.Silo.Api.Hosting;

/// <summary>Fails startup on limits that would make every request wait forever or be refused.</summary>
public sealed class ApiOptionsValidator : IValidateOptions<ApiOptions>
{
    public ValidateOptionsResult Validate(string? name, ApiOptions o)
    {
        var problems = new List<string>();
        if (o.MaxConcurrentRequests <= 0) problems.Add($"Api:MaxConcurrentRequests must be positive (is {o.MaxConcurrentRequests})");
        if (o.MaxQueuedRequests < 0) problems.Add($"Api:MaxQueuedRequests must be >= 0 (is {o.MaxQueuedRequests})");
        if (o.RetryAfterSeconds <= 0) problems.Add($"Api:RetryAfterSeconds must be positive (is {o.RetryAfterSeconds})");
        if (o.DefaultCompletionMaxTokens <= 0) problems.Add($"Api:DefaultCompletionMaxTokens must be positive (is {o.DefaultCompletionMaxTokens})");
        if (o.ApiKeyFile is { } k && !File.Exists(k)) problems.Add($"Api:ApiKeyFile '{k}' does not exist");
        if (o.ApiKeys.Any(string.IsNullOrWhiteSpace)) problems.Add("Api:ApiKeys must not hold an empty key");
        if (o.MaxRequestBodyMb <= 0) problems.Add($"Api:MaxRequestBodyMb must be positive (is {o.MaxRequestBodyMb})");
        if (o.MaxMessages <= 0) problems.Add($"Api:MaxMessages must be positive (is {o.MaxMessages})");
        if (o.MaxStopStrings < 0) problems.Add($"Api:MaxStopStrings must be >= 0 (is {o.MaxStopStrings})");
        if (o.RequestTimeoutSeconds < 0) problems.Add($"Api:RequestTimeoutSeconds must be >= 0 (is {o.RequestTimeoutSeconds})");
        if (o.StreamWriteTimeoutSeconds <= 0) problems.Add($"Api:StreamWriteTimeoutSeconds must be positive (is {o.StreamWriteTimeoutSeconds})");
        if (o.ChatTemplate is { } c && !File.Exists(c)) problems.Add($"Api:ChatTemplate '{c}' does not exist");
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
