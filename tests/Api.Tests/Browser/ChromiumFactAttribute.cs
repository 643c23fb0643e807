using Cluster.Api.Tests.Support;
using Cluster.TestSupport.Browser;

namespace Cluster.Api.Tests.Browser;

/// <summary>
/// A fact that opens the page in headless Chromium on the real stories260K: skipped when the
/// browser or <c>../shared/models</c> is missing, except under CI, where both must be there
/// (<c>.ci/run</c> installs chromium) and the test fails without them.
/// </summary>
public sealed class ChromiumFactAttribute : FactAttribute
{
    public ChromiumFactAttribute()
    {
        if (SharedModels.RequiredByCi) return;
        if (HeadlessChromium.Executable is null) Skip = "chromium is not installed (apt-get install chromium; CHROMIUM names another binary)";
        else if (!SharedModels.Available) Skip = SharedModels.SkipReason;
    }
}
