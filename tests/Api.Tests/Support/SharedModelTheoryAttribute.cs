namespace Cluster.Api.Tests.Support;

/// <summary>A theory that needs <c>../shared/models</c>: skipped without it, except under CI where it must run.</summary>
public sealed class SharedModelTheoryAttribute : TheoryAttribute
{
    public SharedModelTheoryAttribute()
    {
        if (!SharedModels.Available && !SharedModels.RequiredByCi) Skip = SharedModels.SkipReason;
    }
}
