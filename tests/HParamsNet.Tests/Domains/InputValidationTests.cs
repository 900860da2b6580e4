using HParamsNet;
using HParamsNet.Summaries;
using HParamsNet.Tests.Common;
using HParamsNet.Tests.Tuning;
using HParamsNet.Trials;
using HParamsNet.Tuning;
using HParamsNet.Tuning.Strategies;

namespace HParamsNet.Tests.Domains;

/// <summary>Domains and names that would break a study later are refused when they are created, with a message that names them.</summary>
public class InputValidationTests
{
    [Test]
    public void An_interval_whose_width_overflows_is_refused()
    {
        var error = Assert.Throws<ArgumentException>(() => _ = new RealInterval(-1e308, 1e308))!;

        Assert.That(error.Message, Does.Contain("RealInterval(-1E+308, 1E+308)").And.Contain("width overflows"));
    }

    [TestCaseSource(typeof(StrategyContractTests), nameof(StrategyContractTests.Strategies))]
    public async Task The_widest_accepted_interval_works_with_every_strategy(Func<SearchStrategy> create)
    {
        using var dir = new TempDirectory();
        var r = new HParam("r", new RealInterval(-8e307, 8e307));
        var options = new TunerOptions
        {
            LogDir = dir.Path,
            Space = [r],
            Objective = new Objective(new Metric("loss"), StudyDirection.Minimize),
            Strategy = create(),
            MaxTrials = 14,
        };

        StudyResult result = await new Tuner(options).RunAsync(trial => Math.Abs(trial.Get<double>("r") / 8e307));

        Assert.That(result.Trials.Select(t => t.State), Has.All.EqualTo(TrialState.Complete));
        Assert.That(result.Trials.Select(t => (double)t.HParams["r"]), Has.All.InRange(-8e307, 8e307));
        Assert.That(result.Trials.Select(t => t.HParams["r"]), Is.Unique);
    }

    // Attribute arguments cannot carry a lone surrogate (it is stored as UTF-8): built here instead.
    [TestCase("lr", 0xD800)]
    [TestCase("", 0xDC00)]
    [TestCase("l", 0xD83D)]
    public void A_lone_surrogate_in_an_hparam_name_is_refused(string prefix, int surrogate)
    {
        string name = prefix + (char)surrogate + "x";
        var error = Assert.Throws<ArgumentException>(() => _ = new HParam(name, new Discrete(1, 2)))!;

        Assert.That(error.Message, Does.Contain("lone UTF-16 surrogate").And.Contain("hparam"));
        Assert.That(error.ParamName, Is.EqualTo("name"));
    }

    [Test]
    public void A_lone_surrogate_in_a_value_or_a_metric_is_refused()
    {
        Assert.That(() => new Discrete("adam", "sg\ud83d"), Throws.ArgumentException.With.Message.Contains("lone UTF-16 surrogate (U+D83D at index 2)"));
        Assert.That(() => new Metric("acc\udc00"), Throws.ArgumentException.With.Message.Contains("Metric tag"));
        Assert.That(() => new Metric("accuracy", "valid\ud800"), Throws.ArgumentException.With.Message.Contains("group of metric 'accuracy'"));
        using var dir = new TempDirectory();
        using var writer = SummaryWriter.Create(dir.Path);
        Assert.That(() => writer.HParams(new Dictionary<string, object> { ["opt"] = "\ud800" }), Throws.ArgumentException.With.Message.Contains("value of hparam 'opt'"));
    }

    [Test]
    public void Well_formed_pairs_and_other_scripts_are_accepted()
    {
        var emoji = new HParam("emoji 😀", new Discrete("ünïcødé", "日本語", "🚀"));

        Assert.That(emoji.Name, Is.EqualTo("emoji 😀"));
        Assert.That(((Discrete)emoji.Domain).Values, Has.Count.EqualTo(3));
    }
}
