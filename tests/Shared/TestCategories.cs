namespace HParamsNet.Tests.Common;

/// <summary>
/// The two kinds of tests. Unit tests are everything not marked: fast, in process, a few files.
/// Integration tests spawn processes, kill them, train models, mount file systems, talk to
/// PostgreSQL or write thousands of files:
/// <c>dotnet test -c Release --filter TestCategory!=Integration</c> runs the unit tests alone,
/// <c>--filter TestCategory=Integration</c> the others; <c>dotnet test -c Release</c> runs both.
/// </summary>
public static class TestCategories
{
    public const string Integration = "Integration";
}
