using System.Text.Json.Nodes;
using HParamsNet.Cli;
using HParamsNet.Summaries;
using HParamsNet.Tuning;
using HParamsNet.Tuning.Strategies;

namespace HParamsNet.Cli.Tests;

/// <summary>
/// Regression: <c>hparams best</c> and <c>report</c> guessed a metric's direction from its name, so a
/// study that minimised <c>perplexity</c>, <c>nll</c> or <c>latency_ms</c> was ranked as if higher
/// were better. They now use the direction the study recorded, and a better guess without one.
/// </summary>
public class RecordedDirectionTests
{
    private static (int Exit, string Output, string Error) Run(params string[] args) => CliRunner.Run(args);

    private static string NewDirectory() => CliRunner.NewDirectory();

    [Test]
    public async Task Best_ranks_by_the_direction_the_study_recorded_whatever_the_metric_is_called()
    {
        string dir = NewDirectory();
        var width = new HParam("width", new Discrete(1, 2, 3));
        await new Tuner(new TunerOptions
        {
            LogDir = dir,
            Space = [width],
            Objective = new Objective(new Metric("score"), StudyDirection.Minimize), // a name the guess takes as higher-is-better
            Strategy = new GridSearch(),
        }).RunAsync(trial => trial.Get<int>(width) * 10.0);

        var (exit, output, error) = Run("best", dir, "--metric", "score", "--json");
        var (_, report, _) = Run("report", dir, "-o", Path.Combine(dir, "..", Guid.NewGuid().ToString("N") + ".html"));

        Assert.That(exit, Is.Zero, error);
        Assert.That(JsonNode.Parse(output)!["hparams"]!["width"]!.GetValue<double>(), Is.EqualTo(1));
        Assert.That(report, Does.Contain("objective score (minimised)"), "the report takes the recorded objective and direction without being told");
        Assert.That(Run("best", dir, "--metric", "score", "--maximize", "--json").Output, Does.Contain("\"width\": 3"), "an explicit direction still wins");
    }

    [TestCase("perplexity")]
    [TestCase("val/nll")]
    [TestCase("latency_ms")]
    [TestCase("epoch_time")]
    public void Without_a_record_losses_likelihoods_latencies_and_times_are_minimised(string tag)
    {
        string dir = NewDirectory();
        using (var root = SummaryWriter.Create(dir))
        {
            root.HParamsConfig([new HParam("width", new Discrete(1, 2))], [new Metric(tag)]);
        }

        foreach (int width in new[] { 1, 2 })
        {
            using var run = SummaryWriter.Create(Path.Combine(dir, $"run{width}"));
            run.HParams(new Dictionary<string, object> { ["width"] = width });
            run.Scalar(tag, width, 1);
        }

        var (exit, output, error) = Run("best", dir, "--metric", tag, "--json");

        Assert.That(exit, Is.Zero, error);
        Assert.That(JsonNode.Parse(output)!["hparams"]!["width"]!.GetValue<double>(), Is.EqualTo(1));
    }
}
