using System.Text.RegularExpressions;
using HParamsNet.DocSamples;
using HParamsNet.Sessions;
using HParamsNet.Tests.Common;
using HParamsNet.Tuning;

namespace HParamsNet.TorchSharp.Tests.Docs;

/// <summary>
/// The documentation's code: the getting-started sample runs and writes what its guide says, and
/// the README's example is the compiled one (docs/samples/Readme.cs), line for line.
/// </summary>
public partial class DocSamplesTests
{
    [Test]
    public async Task The_getting_started_sample_tunes_the_digits_network_into_a_log_directory()
    {
        using var dir = new TempDirectory();
        string logDir = dir.Combine("getting_started");

        StudyResult result = await GettingStarted.RunAsync(logDir, trials: 3, epochs: 3);

        IReadOnlyList<SessionRecord> sessions = HParamsLogReader.ReadSessions(logDir);
        Assert.That(sessions.Select(s => s.Name), Is.EqualTo(new[] { "trial-0001", "trial-0002", "trial-0003" }));
        Assert.That(sessions.Select(s => s.HParams.Keys.Order().ToArray()), Has.All.EqualTo(new[] { "dropout", "learning_rate", "num_units" }));
        Assert.That(sessions.Select(s => s.Last("", "accuracy")!.Value.Value), Has.All.InRange(0.2, 1.0));
        Assert.That(sessions.Max(s => s.Last("", "accuracy")!.Value.Value), Is.EqualTo(result.BestScore).Within(1e-6), "TensorBoard shows the score the tuner ranked");
        Assert.That(sessions.SelectMany(s => s.Scalars.Keys).Select(k => k.Group), Has.Member("train"), "TensorBoardCallback's training curves are in each trial's run");
        Assert.That(HParamsLogReader.ReadExperiment(logDir)!.HParams.Select(h => h.Name), Is.EquivalentTo(new[] { "num_units", "dropout", "learning_rate" }));
    }

    [Test]
    public void The_readme_example_is_the_compiled_sample()
    {
        string root = RepositoryRoot();
        string readme = File.ReadAllText(Path.Combine(root, "README.md"));
        string section = readme[readme.IndexOf("## Fifteen lines", StringComparison.Ordinal)..];
        string shown = CodeBlock().Match(section).Groups[1].Value.Trim();

        string sample = File.ReadAllText(Path.Combine(root, "docs", "samples", "Readme.cs"));
        string usings = string.Join('\n', sample.Split('\n').TakeWhile(l => l.StartsWith("using ", StringComparison.Ordinal)));
        string region = Region().Match(sample).Groups[1].Value.Trim();

        Assert.That(shown.Split('\n').Length, Is.LessThanOrEqualTo(16), "fifteen lines, give or take the blank one");
        Assert.That(shown.ReplaceLineEndings("\n"), Is.EqualTo($"{usings}\n\n{region}".ReplaceLineEndings("\n")));
    }

    [GeneratedRegex(@"```csharp\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex CodeBlock();

    [GeneratedRegex(@"#region readme\n(.*?)\s*#endregion", RegexOptions.Singleline)]
    private static partial Regex Region();

    private static string RepositoryRoot()
    {
        string? dir = AppContext.BaseDirectory;
        while (dir is not null && !File.Exists(Path.Combine(dir, "HParamsNet.sln")))
        {
            dir = Path.GetDirectoryName(dir);
        }

        return dir ?? throw new InvalidOperationException("HParamsNet.sln not found above the tests.");
    }
}
