namespace Cluster.TestSupport;

/// <summary>A theory that needs <c>../shared/models</c>: skipped without it, except under CI where it must run.</summary>
public sealed class SharedModelTheoryAttribute : TheoryAttribute
{
    public SharedModelTheoryAttribute() => Skip = Ci.SkipUnless(SharedModels.Available, SharedModels.SkipReason);
}
