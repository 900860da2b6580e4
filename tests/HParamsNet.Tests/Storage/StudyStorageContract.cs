using HParamsNet;
using HParamsNet.Trials;
using HParamsNet.Tuning.Storage;

namespace HParamsNet.Tests.Storage;

/// <summary>
/// What every study storage promises (IStudyStorage), run against each store: derive, and say how
/// to make a fresh one. Concurrency is checked with many tasks on one storage object; a store
/// shared between processes adds its own multi-process cases.
/// </summary>
public abstract class StudyStorageContract
{
    protected static readonly HParam Units = new("units", new Discrete(8, 16, 32));
    protected static readonly HParam Rate = new("rate", new RealInterval(1e-4, 1e-1) { Log = true });
    protected static readonly Metric Accuracy = new("accuracy");

    protected static StudyDefinition Definition(string name = "study", params HParam[] space) =>
        new(name, new HParamsExperiment(space.Length == 0 ? [Units, Rate] : space, [Accuracy]), new Objective(Accuracy, StudyDirection.Maximize));

    /// <summary>A new, empty storage.</summary>
    protected abstract ValueTask<IStudyStorage> CreateStorageAsync();

    /// <summary>Whether the storage holds several studies (a log directory holds one: TensorBoard shows one experiment per directory).</summary>
    protected virtual bool HoldsManyStudies => true;

    private async Task<IStudyStorage> StudyAsync(StudyDefinition? definition = null)
    {
        IStudyStorage storage = await CreateStorageAsync();
        await storage.CreateOrLoadStudyAsync(definition ?? Definition());
        return storage;
    }

    private static Dictionary<string, object> Config(int units = 16, double rate = 0.01) => new() { ["units"] = units, ["rate"] = rate };

    [Test]
    public async Task A_study_is_loaded_by_name_with_the_same_definition_and_refused_with_another()
    {
        await using IStudyStorage storage = await StudyAsync();

        await storage.CreateOrLoadStudyAsync(Definition());
        var error = Assert.ThrowsAsync<InvalidOperationException>(async () => await storage.CreateOrLoadStudyAsync(Definition("study", Units)))!;

        Assert.That(error.Message, Does.Contain("'study'").And.Contain("hparam 'rate' is in the recorded study but not in this one"));
        if (!HoldsManyStudies)
        {
            Assert.That(async () => await storage.CreateOrLoadStudyAsync(Definition("other", Units)), Throws.InvalidOperationException.With.Message.Contains("holds study 'study'").And.Message.Contains("Give study 'other' a directory of its own"));
            return;
        }

        await storage.CreateOrLoadStudyAsync(Definition("other", Units));
        Assert.That(await storage.GetTrialsAsync("other"), Is.Empty, "studies are apart");
    }

    [Test]
    public async Task Every_objective_and_constraint_value_is_kept_and_the_definition_names_them()
    {
        var size = new Metric("size");
        var memory = new Metric("memory_over_budget");
        StudyDefinition definition = new("mo", new HParamsExperiment([Units, Rate], [Accuracy, size, memory]), new Objective(Accuracy, StudyDirection.Maximize))
        {
            Objectives = [new Objective(Accuracy, StudyDirection.Maximize), new Objective(size, StudyDirection.Minimize)],
            Constraints = [memory],
        };
        await using IStudyStorage storage = await StudyAsync(definition);
        int feasible = (await storage.CreateTrialAsync("mo", Config(8)))!.Value;
        int infeasible = (await storage.CreateTrialAsync("mo", Config(32)))!.Value;
        int failed = (await storage.CreateTrialAsync("mo", Config(16)))!.Value;

        await storage.FinishTrialAsync("mo", feasible, TrialOutcome.Complete([0.9, 8], [-0.5]));
        await storage.FinishTrialAsync("mo", infeasible, TrialOutcome.Complete([0.95, 32], [1.25]));
        await storage.FinishTrialAsync("mo", failed, TrialOutcome.Failed("out of memory"));
        IReadOnlyList<FrozenTrial> trials = await storage.GetTrialsAsync("mo");
        IReadOnlyList<FrozenTrial> changed = (await storage.GetTrialChangesAsync("mo", 0)).Trials;

        foreach (IReadOnlyList<FrozenTrial> read in new[] { trials, changed })
        {
            Assert.That(read.Select(t => t.Values), Is.EqualTo(new[] { new[] { 0.9, 8 }, new[] { 0.95, 32 }, Array.Empty<double>() }));
            Assert.That(read.Select(t => t.Constraints), Is.EqualTo(new[] { new[] { -0.5 }, new[] { 1.25 }, Array.Empty<double>() }));
            Assert.That(read.Select(t => t.IsFeasible), Is.EqualTo(new[] { true, false, true }));
            Assert.That(read[0].Value, Is.EqualTo(0.9), "Value is the first objective's");
        }

        StudyDefinition recorded = (await storage.GetStudiesAsync()).Single(s => s.Name == "mo").Definition;
        Assert.That(recorded.Objectives, Is.EqualTo(definition.Objectives));
        Assert.That(recorded.Constraints.Select(c => c.Tag), Is.EqualTo(new[] { "memory_over_budget" }));
        var other = definition with { Objectives = [definition.Objectives[0]], Constraints = [] };
        Assert.That(
            async () => await storage.CreateOrLoadStudyAsync(other),
            Throws.InvalidOperationException.With.Message.Contains("the objectives are maximize 'accuracy', minimize 'size' there and maximize 'accuracy' here"));
    }

    [Test]
    public async Task Trials_are_numbered_from_one_without_gaps_or_repeats_under_concurrency()
    {
        await using IStudyStorage storage = await StudyAsync();

        int[] numbers = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            var mine = new List<int>();
            for (int i = 0; i < 50; i++)
            {
                mine.Add(await storage.CreateTrialAsync("study"));
            }

            return mine;
        }))).ContinueWith(t => t.Result.SelectMany(n => n).ToArray(), TaskScheduler.Default);

        Assert.That(numbers.Order(), Is.EqualTo(Enumerable.Range(1, 400)));
        Assert.That((await storage.GetTrialsAsync("study")).Select(t => t.State), Has.All.EqualTo(TrialState.Running));
    }

    [Test]
    public async Task A_trial_records_its_configuration_reports_and_outcome()
    {
        await using IStudyStorage storage = await StudyAsync();
        int number = await storage.CreateTrialAsync("study");

        await storage.SetTrialHParamsAsync("study", number, Config(32, 0.003));
        await storage.ReportAsync("study", number, 1, 0.5);
        await storage.ReportAsync("study", number, 2, 0.7);
        bool finished = await storage.FinishTrialAsync("study", number, TrialOutcome.Complete(0.75, [0.7, 0.8]));

        FrozenTrial trial = (await storage.GetTrialsAsync("study")).Single();
        Assert.That(finished, Is.True);
        Assert.That(trial.Number, Is.EqualTo(1));
        Assert.That(trial.HParams["units"], Is.EqualTo(32L), "numbers normalised as the domain types them");
        Assert.That(trial.HParams["rate"], Is.EqualTo(0.003));
        Assert.That(trial.IntermediateValues, Is.EqualTo(new[] { KeyValuePair.Create(1L, 0.5), KeyValuePair.Create(2L, 0.7) }));
        Assert.That(trial.State, Is.EqualTo(TrialState.Complete));
        Assert.That(trial.Value, Is.EqualTo(0.75));
        Assert.That(trial.FoldValues, Is.EqualTo(new[] { 0.7, 0.8 }));
        Assert.That(trial.Ended, Is.GreaterThanOrEqualTo(trial.Started));
    }

    [Test]
    public async Task Configurations_are_checked_against_the_space_and_set_once()
    {
        await using IStudyStorage storage = await StudyAsync();
        int number = await storage.CreateTrialAsync("study");

        Assert.That(async () => await storage.SetTrialHParamsAsync("study", number, Config(12)), Throws.ArgumentException.With.Message.Contains("units"));
        Assert.That(async () => await storage.SetTrialHParamsAsync("study", number, new Dictionary<string, object> { ["units"] = 8 }), Throws.ArgumentException.With.Message.Contains("'rate' has no value"));
        Assert.That(async () => await storage.SetTrialHParamsAsync("study", number, new Dictionary<string, object>(Config()) { ["depth"] = 2 }), Throws.ArgumentException.With.Message.Contains("'depth' is not one of the study's"));
        await storage.SetTrialHParamsAsync("study", number, Config());
        Assert.That(async () => await storage.SetTrialHParamsAsync("study", number, Config(8)), Throws.InvalidOperationException.With.Message.Contains("set once"));
    }

    [Test]
    public async Task A_configuration_is_taken_once_while_running_or_finished_but_a_failed_one_can_run_again()
    {
        await using IStudyStorage storage = await StudyAsync();
        int first = await storage.CreateTrialAsync("study");
        int second = await storage.CreateTrialAsync("study");

        Assert.That(await storage.SetTrialHParamsAsync("study", first, Config(8, 0.01)), Is.True);
        Assert.That(await storage.SetTrialHParamsAsync("study", second, Config(8, 0.01)), Is.False, "a running trial has it");
        Assert.That(await storage.SetTrialHParamsAsync("study", second, Config(16, 0.01)), Is.True, "nothing was set by the refusal");
        await storage.FinishTrialAsync("study", first, TrialOutcome.Failed("worker lost"));
        int third = await storage.CreateTrialAsync("study");
        Assert.That(await storage.SetTrialHParamsAsync("study", third, Config(8, 0.01)), Is.True, "a failed trial's configuration may run again");
        int fourth = await storage.CreateTrialAsync("study");
        await storage.FinishTrialAsync("study", second, TrialOutcome.Complete(0.5));
        Assert.That(await storage.SetTrialHParamsAsync("study", fourth, Config(16, 0.01)), Is.False, "a complete trial has it");
    }

    [Test]
    public async Task A_finished_trial_cannot_change_and_a_second_finish_says_so()
    {
        await using IStudyStorage storage = await StudyAsync();
        int number = await storage.CreateTrialAsync("study");
        await storage.SetTrialHParamsAsync("study", number, Config());
        await storage.ReportAsync("study", number, 3, 0.4);

        Assert.That(await storage.FinishTrialAsync("study", number, TrialOutcome.Pruned()), Is.True);
        Assert.That(await storage.FinishTrialAsync("study", number, TrialOutcome.Complete(0.9)), Is.False);
        Assert.That(async () => await storage.ReportAsync("study", number, 4, 0.5), Throws.InvalidOperationException.With.Message.Contains("finished (Pruned)"));
        Assert.That(async () => await storage.ReportAsync("study", 99, 1, 0.5), Throws.InvalidOperationException.With.Message.Contains("no trial 99"));
        Assert.That((await storage.GetTrialsAsync("study")).Single().State, Is.EqualTo(TrialState.Pruned));
    }

    [Test]
    public async Task Steps_go_forward_and_values_of_complete_trials_are_finite()
    {
        await using IStudyStorage storage = await StudyAsync();
        int number = await storage.CreateTrialAsync("study");
        await storage.ReportAsync("study", number, 5, 0.4);

        Assert.That(async () => await storage.ReportAsync("study", number, 5, 0.5), Throws.ArgumentException.With.Message.Contains("step 5 is not after the previous step 5"));
        Assert.That(() => TrialOutcome.Complete(double.NaN), Throws.ArgumentException.With.Message.Contains("finite"));
        Assert.That(() => new TrialOutcome(TrialState.Running, 0, [], null), Throws.ArgumentException.With.Message.Contains("not Running"));
    }

    [Test]
    public async Task Stale_trials_are_failed_once_and_heartbeats_keep_trials_alive()
    {
        await using IStudyStorage storage = await StudyAsync();
        int lost = await storage.CreateTrialAsync("study");
        int alive = await storage.CreateTrialAsync("study");
        await Task.Delay(400);
        await storage.HeartbeatAsync("study", alive);

        IReadOnlyList<FrozenTrial>[] sweeps = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => storage.FailStaleTrialsAsync("study", TimeSpan.FromMilliseconds(200)).AsTask()));

        Assert.That(sweeps.SelectMany(s => s).Select(t => t.Number), Is.EqualTo(new[] { lost }), "failed once, by one sweeper");
        FrozenTrial failed = sweeps.SelectMany(s => s).Single();
        Assert.That(failed.State, Is.EqualTo(TrialState.Failed));
        Assert.That(failed.Error, Does.StartWith("worker lost"));
        Assert.That(await storage.FinishTrialAsync("study", lost, TrialOutcome.Complete(0.9)), Is.False, "the slow worker's result comes too late");
        Assert.That((await storage.GetTrialsAsync("study")).Single(t => t.Number == alive).State, Is.EqualTo(TrialState.Running));
    }

    [Test]
    public async Task Snapshots_do_not_change_afterwards()
    {
        await using IStudyStorage storage = await StudyAsync();
        int number = await storage.CreateTrialAsync("study");
        await storage.ReportAsync("study", number, 1, 0.1);
        IReadOnlyList<FrozenTrial> before = await storage.GetTrialsAsync("study");

        await storage.ReportAsync("study", number, 2, 0.2);
        await storage.FinishTrialAsync("study", number, TrialOutcome.Failed("diverged"));

        Assert.That(before.Single().State, Is.EqualTo(TrialState.Running));
        Assert.That(before.Single().IntermediateValues, Has.Count.EqualTo(1));
        Assert.That((await storage.GetTrialsAsync("study")).Single().Error, Is.EqualTo("diverged"));
    }

    [Test]
    public async Task A_trial_created_with_its_configuration_takes_it_once_and_uses_no_number_when_refused()
    {
        await using IStudyStorage storage = await StudyAsync();

        int? first = await storage.CreateTrialAsync("study", Config(8));
        int? again = await storage.CreateTrialAsync("study", Config(8));
        int plain = await storage.CreateTrialAsync("study");
        Assert.That(async () => await storage.CreateTrialAsync("study", Config(12)), Throws.ArgumentException.With.Message.Contains("units"));
        await storage.FinishTrialAsync("study", first!.Value, TrialOutcome.Failed("out of memory"));
        int? afterFailure = await storage.CreateTrialAsync("study", Config(8));

        Assert.That((first, again, plain, afterFailure), Is.EqualTo(((int?)1, (int?)null, 2, (int?)3)));
        FrozenTrial created = (await storage.GetTrialsAsync("study"))[2];
        Assert.That((created.State, created.HParams["units"], created.HParams["rate"]), Is.EqualTo((TrialState.Running, (object)8L, (object)0.01)));
    }

    [Test]
    public async Task Workers_creating_the_same_configurations_at_once_create_each_once()
    {
        await using IStudyStorage storage = await StudyAsync();

        int?[][] created = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => Task.Run(async () =>
        {
            var mine = new List<int?>();
            foreach (double rate in new[] { 0.001, 0.002, 0.003, 0.004, 0.005 })
            {
                mine.Add(await storage.CreateTrialAsync("study", Config(rate: rate)));
            }

            return mine.ToArray();
        })));

        Assert.That(created.SelectMany(c => c).OfType<int>().Order(), Is.EqualTo(Enumerable.Range(1, 5)));
        Assert.That((await storage.GetTrialsAsync("study")).Select(t => (double)t.HParams["rate"]).Order(), Is.EqualTo(new[] { 0.001, 0.002, 0.003, 0.004, 0.005 }));
    }

    [Test]
    public async Task Changes_since_a_version_are_exactly_the_trials_that_moved_and_heartbeats_are_not_changes()
    {
        await using IStudyStorage storage = await StudyAsync();
        int first = await storage.CreateTrialAsync("study");
        int second = await storage.CreateTrialAsync("study");
        await storage.SetTrialHParamsAsync("study", first, Config(8));

        TrialChanges all = await storage.GetTrialChangesAsync("study", 0);
        Assert.That(all.Trials.Select(t => t.Number), Is.EqualTo(new[] { first, second }));
        Assert.That(all.Version, Is.Positive);

        await storage.HeartbeatAsync("study", second);
        TrialChanges none = await storage.GetTrialChangesAsync("study", all.Version);
        Assert.That(none.Trials, Is.Empty, "a heartbeat is not a change");
        Assert.That(none.Version, Is.EqualTo(all.Version));

        await storage.ReportAsync("study", first, 1, 0.5);
        await storage.FinishTrialAsync("study", first, TrialOutcome.Complete(0.75));
        int third = await storage.CreateTrialAsync("study");
        TrialChanges moved = await storage.GetTrialChangesAsync("study", all.Version);
        Assert.That(moved.Trials.Select(t => t.Number), Is.EqualTo(new[] { first, third }));
        FrozenTrial finished = moved.Trials[0];
        Assert.That((finished.State, finished.Value, finished.IntermediateValues.Single().Value), Is.EqualTo((TrialState.Complete, 0.75, 0.5)));
        Assert.That(moved.Version, Is.GreaterThan(all.Version));

        await storage.FinishTrialAsync("study", second, TrialOutcome.Pruned());
        IReadOnlyList<FrozenTrial> stale = await storage.FailStaleTrialsAsync("study", TimeSpan.Zero);
        TrialChanges last = await storage.GetTrialChangesAsync("study", moved.Version);
        Assert.That(last.Trials.Select(t => (t.Number, t.State)), Is.EqualTo(new[] { (second, TrialState.Pruned), (third, TrialState.Failed) }));
        Assert.That(stale.Select(t => t.Number), Is.EqualTo(new[] { third }));
        Assert.ThrowsAsync<InvalidOperationException>(async () => await storage.GetTrialChangesAsync("nope", 0));
    }

    [Test]
    public async Task A_copy_kept_from_changes_equals_the_study_under_concurrent_workers()
    {
        await using IStudyStorage storage = await StudyAsync();
        var copy = new Dictionary<int, FrozenTrial>();
        long version = 0;
        using var done = new CancellationTokenSource();
        Task reader = Task.Run(async () =>
        {
            while (!done.IsCancellationRequested)
            {
                TrialChanges changes = await storage.GetTrialChangesAsync("study", version);
                foreach (FrozenTrial trial in changes.Trials)
                {
                    copy[trial.Number] = trial;
                }

                version = changes.Version;
            }
        });
        await Task.WhenAll(Enumerable.Range(0, 4).Select(w => Task.Run(async () =>
        {
            for (int i = 0; i < 15; i++)
            {
                int number = await storage.CreateTrialAsync("study");
                await storage.SetTrialHParamsAsync("study", number, Config(rate: 1e-3 + (w * 100 + i) * 1e-5));
                await storage.FinishTrialAsync("study", number, TrialOutcome.Complete(number));
            }
        })));
        await done.CancelAsync();
        await reader;
        foreach (FrozenTrial trial in (await storage.GetTrialChangesAsync("study", version)).Trials)
        {
            copy[trial.Number] = trial;
        }

        IReadOnlyList<FrozenTrial> truth = await storage.GetTrialsAsync("study");
        Assert.That(copy.Values.OrderBy(t => t.Number).Select(t => (t.Number, t.State, t.Value, t.HParams.Count)), Is.EqualTo(truth.Select(t => (t.Number, t.State, t.Value, t.HParams.Count))));
        Assert.That(truth, Has.Count.EqualTo(60));
    }

    [Test]
    public async Task Study_attributes_round_trip_and_unknown_studies_are_named()
    {
        await using IStudyStorage storage = await StudyAsync();

        await storage.SetStudyAttributeAsync("study", "tensorboard.study_id", "3f9a1c2b");
        await storage.SetStudyAttributeAsync("study", "strategy", "GpSearch");
        await storage.SetStudyAttributeAsync("study", "strategy", "TpeSearch");

        Assert.That(await storage.GetStudyAttributesAsync("study"), Is.EquivalentTo(new Dictionary<string, string> { ["tensorboard.study_id"] = "3f9a1c2b", ["strategy"] = "TpeSearch" }));
        Assert.That(async () => await storage.CreateTrialAsync("nope"), Throws.InvalidOperationException.With.Message.Contains("no study 'nope'").And.Message.Contains("study"));
    }

    [Test]
    public async Task A_report_records_each_folds_values_the_folds_finished_and_user_attributes_in_one_write()
    {
        await using IStudyStorage storage = await StudyAsync();
        int number = (await storage.CreateTrialAsync("study", Config()))!.Value;

        await storage.ReportAsync("study", number, new TrialReport
        {
            Values = [new(0, 1, 0.9), new(0, 2, 0.8)],
            FoldValues = [0.75],
            UserAttributes = new Dictionary<string, string> { ["device"] = "cpu" },
        });
        await storage.ReportAsync("study", number, new TrialReport
        {
            Values = [new(1, 1, 0.7)], // fold 1 starts its steps again
            UserAttributes = new Dictionary<string, string> { ["device"] = "gpu", ["seed"] = "3" },
        });
        FrozenTrial running = (await storage.GetTrialsAsync("study")).Single();
        await storage.FinishTrialAsync("study", number, TrialOutcome.Pruned());
        FrozenTrial pruned = (await storage.GetTrialsAsync("study")).Single();

        Assert.That(running.IntermediateValuesByFold, Is.EqualTo(new[] { new[] { KeyValuePair.Create(1L, 0.9), KeyValuePair.Create(2L, 0.8) }, new[] { KeyValuePair.Create(1L, 0.7) } }));
        Assert.That(running.IntermediateValues, Is.EqualTo(new[] { KeyValuePair.Create(1L, 0.7) }), "the latest fold's");
        Assert.That(running.FoldValues, Is.EqualTo(new[] { 0.75 }));
        Assert.That(running.UserAttributes, Is.EquivalentTo(new Dictionary<string, string> { ["device"] = "gpu", ["seed"] = "3" }));
        Assert.That((pruned.State, pruned.FoldValues), Is.EqualTo((TrialState.Pruned, (IReadOnlyList<double>)[0.75])), "a finish without fold values keeps those reported");
        Assert.That(async () => await storage.ReportAsync("study", number, new TrialReport { UserAttributes = new Dictionary<string, string> { ["x"] = "y" } }), Throws.InvalidOperationException.With.Message.Contains("finished (Pruned)"));
    }

    [Test]
    public async Task A_report_with_a_step_out_of_order_records_nothing()
    {
        await using IStudyStorage storage = await StudyAsync();
        int number = await storage.CreateTrialAsync("study");
        await storage.ReportAsync("study", number, new TrialReport { Values = [new(0, 5, 0.4)] });

        var backwards = Assert.ThrowsAsync<ArgumentException>(async () => await storage.ReportAsync("study", number, new TrialReport { Values = [new(1, 1, 0.1), new(0, 5, 0.5)], FoldValues = [0.4] }))!;
        var within = Assert.ThrowsAsync<ArgumentException>(async () => await storage.ReportAsync("study", number, new TrialReport { Values = [new(0, 7, 0.1), new(0, 6, 0.5)] }))!;

        Assert.That(backwards.Message, Does.Contain("step 5 is not after the previous step 5"));
        Assert.That(within.Message, Does.Contain("step 6 is not after the previous step 7"));
        FrozenTrial trial = (await storage.GetTrialsAsync("study")).Single();
        Assert.That((trial.IntermediateValuesByFold.Count, trial.FoldValues.Count), Is.EqualTo((1, 0)), "all of a report or none of it");
    }

    [Test]
    public async Task Queued_configurations_become_trials_in_order_once_each()
    {
        await using IStudyStorage storage = await StudyAsync();
        int running = (await storage.CreateTrialAsync("study", Config(16)))!.Value;

        bool[] queued =
        [
            await storage.EnqueueTrialAsync("study", Config(8)),
            await storage.EnqueueTrialAsync("study", Config(8)),
            await storage.EnqueueTrialAsync("study", Config(16)),
            await storage.EnqueueTrialAsync("study", Config(32)),
        ];
        FrozenTrial?[] created = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => storage.CreateTrialFromQueueAsync("study").AsTask()));

        Assert.That(queued, Is.EqualTo(new[] { true, false, false, true }), "not twice, and not a configuration a trial has");
        Assert.That(created.OfType<FrozenTrial>().Select(t => (t.Number, t.State, t.HParams["units"])).OrderBy(t => t.Number), Is.EqualTo(new[] { (2, TrialState.Running, (object)8L), (3, TrialState.Running, 32L) }));
        Assert.That(created.Count(c => c is null), Is.EqualTo(2), "the queue is empty then");
        Assert.That(await storage.EnqueueTrialAsync("study", Config(32)), Is.False, "a trial has it now");
        Assert.That(running, Is.EqualTo(1));
        Assert.That(async () => await storage.EnqueueTrialAsync("study", Config(12)), Throws.ArgumentException.With.Message.Contains("units"));
    }

    [Test]
    public async Task Workers_creating_at_once_never_exceed_the_limits_together()
    {
        await using IStudyStorage storage = await StudyAsync();
        var limits = new TrialLimits(MaxTrials: 10, MaxCompleteTrials: null);
        int lost = (await storage.CreateTrialAsync("study", Config(rate: 0.0999), limits))!.Value;
        await storage.FinishTrialAsync("study", lost, TrialOutcome.Failed("worker lost: test"));
        int failed = (await storage.CreateTrialAsync("study", Config(rate: 0.0998), limits))!.Value;
        await storage.FinishTrialAsync("study", failed, TrialOutcome.Failed("ValueError: diverged"));

        int?[][] created = await Task.WhenAll(Enumerable.Range(0, 6).Select(w => Task.Run(async () =>
        {
            var mine = new List<int?>();
            for (int i = 0; i < 5; i++)
            {
                mine.Add(await storage.CreateTrialAsync("study", Config(rate: 1e-3 + (w * 10 + i) * 1e-4), limits));
            }

            return mine.ToArray();
        })));
        FrozenTrial? queued = await storage.EnqueueTrialAsync("study", Config(8)) ? await storage.CreateTrialFromQueueAsync("study", limits) : null;

        Assert.That(created.SelectMany(c => c).Count(n => n is not null), Is.EqualTo(9), "10 trials, the lost one not counted, the failed one counted");
        Assert.That(queued, Is.Null, "the queue waits too");
        var complete = new TrialLimits(MaxTrials: null, MaxCompleteTrials: 12);
        IReadOnlyList<FrozenTrial> trials = await storage.GetTrialsAsync("study");
        foreach (FrozenTrial trial in trials.Where(t => t.State == TrialState.Running).Take(5))
        {
            await storage.FinishTrialAsync("study", trial.Number, TrialOutcome.Complete(0.5));
        }

        Assert.That(await storage.CreateTrialAsync("study", Config(rate: 0.0997), complete), Is.Not.Null, "9 complete and running of 12");
        Assert.That(await storage.CreateTrialAsync("study", Config(rate: 0.0996), complete), Is.Not.Null);
        Assert.That(await storage.CreateTrialAsync("study", Config(rate: 0.0995), complete), Is.Not.Null);
        Assert.That(await storage.CreateTrialAsync("study", Config(rate: 0.0994), complete), Is.Null, "12 complete and running");
    }

    [Test]
    public async Task Reports_finishes_and_sweeps_at_once_never_deadlock()
    {
        // Regression (PostgreSQL): a report locked the trial's row then the study's; a finish and a
        // sweep locked the study's then the trial's. At once they gave "deadlock detected" (40P01).
        await using IStudyStorage storage = await StudyAsync();
        var unexpected = new System.Collections.Concurrent.ConcurrentBag<Exception>();
        using var done = new CancellationTokenSource();
        Task sweeper = Task.Run(async () =>
        {
            while (!done.IsCancellationRequested)
            {
                await storage.FailStaleTrialsAsync("study", TimeSpan.FromMilliseconds(5));
            }
        });
        await Task.WhenAll(Enumerable.Range(0, 6).Select(w => Task.Run(async () =>
        {
            for (int i = 0; i < 25; i++)
            {
                int number = (await storage.CreateTrialAsync("study", Config(rate: 1e-3 + (w * 100 + i) * 1e-5)))!.Value;
                try
                {
                    for (int step = 1; step <= 4; step++)
                    {
                        await storage.ReportAsync("study", number, new TrialReport { Values = [new(0, step, 0.5)], UserAttributes = new Dictionary<string, string> { ["step"] = $"{step}" } });
                    }
                }
                catch (InvalidOperationException)
                {
                    // failed as stale by the sweeper meanwhile: expected
                }
                catch (Exception e)
                {
                    unexpected.Add(e);
                }

                await storage.FinishTrialAsync("study", number, TrialOutcome.Complete(0.5));
            }
        })));
        await done.CancelAsync();
        await sweeper;

        Assert.That(unexpected, Is.Empty);
        Assert.That((await storage.GetTrialsAsync("study")).Select(t => t.State), Has.None.EqualTo(TrialState.Running));
    }
}

/// <summary>The contract on the in-memory store.</summary>
public class InMemoryStudyStorageTests : StudyStorageContract
{
    protected override ValueTask<IStudyStorage> CreateStorageAsync() => ValueTask.FromResult<IStudyStorage>(new InMemoryStudyStorage());
}
