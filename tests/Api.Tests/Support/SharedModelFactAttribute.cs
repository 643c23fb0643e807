namespace Cluster.Api.Tests.Support;

/// <summary>A fact that needs <c>../shared/models</c>: skipped without it, except under CI where it must run.</summary>
public sealed class SharedModelFactAttribute : FactAttribute
{
    public SharedModelFactAttribute()
    {
        if (!SharedModels.Available && !SharedModels.RequiredByCi) Skip = SharedModels.SkipReason;
    }
}
