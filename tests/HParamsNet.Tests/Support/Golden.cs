using System.Text.Json.Nodes;
using HParamsNet.Events;

namespace HParamsNet.Tests.Support;

/// <summary>The golden log directories written by TensorBoard's own Python writer (Assets/golden).</summary>
public static class Golden
{
    public static readonly string[] Cases =
        ["hparams_basic", "cv_groups", "statuses_and_metrics", "no_experiment", "v1_scalars", "multi_file", "many_sessions"];

    /// <summary>The Unix time every golden was pinned to.</summary>
    public const long T0 = 1700000000;

    public static string Root => Path.Combine(TestContext.CurrentContext.TestDirectory, "Assets", "golden");

    public static string LogDir(string caseName) => Path.Combine(Root, caseName, "logdir");

    public static JsonObject Expected(string caseName) =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(Root, caseName, "expected.json")))!.AsObject();

    /// <summary>The single event file of a golden run directory.</summary>
    public static string SingleFile(string caseName, string run) =>
        EventFileNames.ListEventFiles(Path.Combine(LogDir(caseName), run)).Single();

    public static DateTimeOffset At(double unixSeconds) =>
        DateTimeOffset.UnixEpoch.AddTicks((long)Math.Round(unixSeconds * TimeSpan.TicksPerSecond));
}
