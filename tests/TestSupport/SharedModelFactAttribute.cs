namespace Cluster.TestSupport;

/// <summary>A fact that needs <c>../shared/models</c>: skipped without it, except under CI where it must run.</summary>
public sealed class SharedModelFactAttribute : FactAttribute
{
    public SharedModelFactAttribute() => Skip = Ci.SkipUnless(SharedModels.Available, SharedModels.SkipReason);
}
