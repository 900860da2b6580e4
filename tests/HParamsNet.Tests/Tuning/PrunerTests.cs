using HParamsNet;
using HParamsNet.Sessions;
using HParamsNet.Trials;
using HParamsNet.Tuning;
using HParamsNet.Tuning.Pruners;
using HParamsNet.Tuning.Strategies;

namespace HParamsNet.Tests.Tuning;

public class PrunerTests
{
    private static readonly Objective Minimize = new(new Metric("loss"), StudyDirection.Minimize);
    private static readonly Objective Maximize = new(new Metric("accuracy"), StudyDirection.Maximize);

    private static FrozenTrial Finished(int number, TrialState state, params double[] reports) =>
        new(number, $"trial-{number:D4}", new Dictionary<string, object>(), state, state == TrialState.Complete ? reports[^1] : double.NaN,
            reports.Select((v, i) => KeyValuePair.Create((long)(i + 1), v)).ToList(), [], DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch, null);

    private static PrunerContext Context(Objective objective, int number, double[] reports, params FrozenTrial[] trials) =>
        new(objective, number, reports.Select((v, i) => KeyValuePair.Create((long)(i + 1), v)).ToList(), trials);

    [Test]
    public void Median_prunes_a_trial_whose_best_is_worse_than_the_median_at_its_step()
    {
        var pruner = new MedianPruner(startupTrials: 3);
        FrozenTrial[] others = [Finished(1, TrialState.Complete, 0.9, 0.5), Finished(2, TrialState.Complete, 0.8, 0.4), Finished(3, TrialState.Complete, 0.7, 0.3)];

        Assert.Multiple(() =>
        {
            // Median at step 2 is 0.4.
            Assert.That(pruner.ShouldPrune(Context(Minimize, 4, [0.95, 0.45], others)), Is.True, "best 0.45 > 0.4");
            Assert.That(pruner.ShouldPrune(Context(Minimize, 4, [0.95, 0.4], others)), Is.False, "best 0.4 = median");
            Assert.That(pruner.ShouldPrune(Context(Minimize, 4, [0.35, 0.6], others)), Is.False, "its best (0.35, at step 1) counts");
            Assert.That(pruner.ShouldPrune(Context(Minimize, 4, [0.95, 0.45, 0.5], others)), Is.False, "no completed trial reported step 3");
            Assert.That(pruner.ShouldPrune(Context(Maximize, 4, [0.1, 0.35], others)), Is.True, "maximising: 0.35 < 0.4");
        });
    }

    [Test]
    public void Median_waits_for_startup_trials_and_warmup_and_ignores_unfinished_ones()
    {
        FrozenTrial[] others = [Finished(1, TrialState.Complete, 0.1), Finished(2, TrialState.Pruned, 0.05), Finished(3, TrialState.Failed, 0.01)];

        Assert.That(new MedianPruner(startupTrials: 2).ShouldPrune(Context(Minimize, 4, [0.9], others)), Is.False, "one completed trial only");
        Assert.That(new MedianPruner(startupTrials: 1).ShouldPrune(Context(Minimize, 4, [0.9], others)), Is.True);
        Assert.That(new MedianPruner(startupTrials: 1, warmupSteps: 2).ShouldPrune(Context(Minimize, 4, [0.9], others)), Is.False, "in warm-up");
    }

    [Test]
    public void Successive_halving_keeps_the_top_third_at_each_rung()
    {
        var pruner = new SuccessiveHalvingPruner(minResource: 1, reductionFactor: 3);
        // Rungs at steps 1, 3, 9. Five trials reached step 1 with these values.
        FrozenTrial[] others = [.. new[] { 0.1, 0.2, 0.3, 0.4, 0.5 }.Select((v, i) => Finished(i + 1, TrialState.Complete, v, v, v))];

        Assert.Multiple(() =>
        {
            // With six values at rung 1, the top 6 / 3 = 2 go on: 0.1 and the newcomer if it is at most 0.2.
            Assert.That(pruner.ShouldPrune(Context(Minimize, 6, [0.15], others)), Is.False);
            Assert.That(pruner.ShouldPrune(Context(Minimize, 6, [0.25], others)), Is.True);
            Assert.That(pruner.ShouldPrune(Context(Minimize, 6, [0.15, 0.9], others)), Is.False, "step 2 is no rung");
            Assert.That(pruner.ShouldPrune(Context(Minimize, 6, [0.15, 0.9, 0.35], others)), Is.True, "rung at step 3: 0.35 is not in the top 2 of 6");
            Assert.That(pruner.RungStep(2), Is.EqualTo(9));
        });
    }

    [Test]
    public void Successive_halving_promotes_only_the_best_while_few_trials_reached_a_rung()
    {
        var pruner = new SuccessiveHalvingPruner();

        Assert.That(pruner.ShouldPrune(Context(Minimize, 1, [0.5])), Is.False, "alone at the rung: the best");
        Assert.That(pruner.ShouldPrune(Context(Minimize, 2, [0.6], Finished(1, TrialState.Complete, 0.5))), Is.True);
        Assert.That(pruner.ShouldPrune(Context(Maximize, 2, [0.6], Finished(1, TrialState.Complete, 0.5))), Is.False);
    }

    [Test]
    public void Hyperband_compares_trials_within_their_bracket_only()
    {
        var pruner = new HyperbandPruner(minResource: 1, maxResource: 9, reductionFactor: 3);
        Assert.That(pruner.Brackets, Is.EqualTo(3), "the bracket arithmetic this case relies on");
        // Trial 3 is in bracket 0 (first rung at step 1); trial 1 (bracket 1) was much better, trial 6 (bracket 0) worse.
        FrozenTrial[] others = [Finished(1, TrialState.Complete, 0.01), Finished(6, TrialState.Complete, 0.9)];

        Assert.That(pruner.ShouldPrune(Context(Minimize, 3, [0.5], others)), Is.False, "better than trial 6, its only rival in bracket 0");
        Assert.That(pruner.ShouldPrune(Context(Minimize, 9, [0.95], others)), Is.True, "worse than trial 6, in bracket 0");
        Assert.That(pruner.ShouldPrune(Context(Minimize, 4, [0.95], others)), Is.False, "bracket 1 judges from step 3 only");
    }

    [Test]
    public async Task A_pruned_trial_is_recorded_as_such_in_the_log_directory()
    {
        using var dir = new Common.TempDirectory();
        var options = new TunerOptions
        {
            LogDir = dir.Path,
            Space = [new HParam("x", new Discrete(1, 2, 3, 4, 5, 6))],
            Objective = Minimize,
            Strategy = new GridSearch(),
            Pruner = new MedianPruner(startupTrials: 2),
        };

        StudyResult result = await new Tuner(options).RunAsync(trial =>
        {
            double x = trial.Get<double>("x");
            for (int step = 1; step <= 3; step++)
            {
                trial.Report(x * step, step);
                if (trial.ShouldPrune)
                {
                    throw new TrialPrunedException();
                }
            }

            return x * 3;
        });

        Assert.That(result.Trials.Select(t => t.State), Is.EqualTo(new[]
        {
            TrialState.Complete, TrialState.Complete, TrialState.Pruned, TrialState.Pruned, TrialState.Pruned, TrialState.Pruned,
        }));
        SessionRecord pruned = HParamsLogReader.ReadSessions(dir.Path).Single(s => s.Name == "trial-0003");
        Assert.That(pruned.Status, Is.EqualTo(SessionStatus.Unknown));
        Assert.That(pruned.HasEnd, Is.True);
        Assert.That(pruned.Texts["tuner/status"], Is.EqualTo("pruned at step 1"));
        StudyResult reread = await new Tuner(options).RunAsync(_ => throw new InvalidOperationException("must not run"));
        Assert.That(reread.Trials.Select(t => t.State), Is.EqualTo(result.Trials.Select(t => t.State)), "read back as pruned");
    }
}
