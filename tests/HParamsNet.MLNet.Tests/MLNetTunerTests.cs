using HParamsNet.Sessions;
using HParamsNet.Tests.Common;
using HParamsNet.Trials;
using Microsoft.ML;

namespace HParamsNet.MLNet.Tests;

[Category(TestCategories.Integration)]
public class MLNetTunerTests
{
    [TestCase(MLTask.BinaryClassification)]
    [TestCase(MLTask.MulticlassClassification)]
    [TestCase(MLTask.Regression)]
    public async Task A_short_study_tunes_cross_validates_logs_every_metric_and_refits(MLTask task)
    {
        using var dir = new TempDirectory();
        TabularData data = Data.For(task, rows: 150);

        MLNetTuningResult result = await MLNetTuner.TuneAsync(data, new MLNetTunerOptions { LogDir = dir.Path, MaxTrials = 6, Folds = 2, Seed = 4 });

        Assert.That(result.Study.Trials.Select(t => t.State), Has.All.EqualTo(TrialState.Complete), string.Join("; ", result.Study.Trials.Select(t => t.Error)));
        Assert.That(result.Fits, Is.EqualTo((6 * 2) + 1 + result.Ensemble!.Members.Count(m => m.Trial != result.Study.BestTrial!.Number)));
        var ml = new MLContext(0);
        Assert.That(TaskMetrics.Evaluate(ml, task, result.Model, data.ToDataView(ml))[TaskMetrics.For(task)[0].Tag], Is.Not.NaN, "the refitted model scores");

        IReadOnlyList<SessionRecord> sessions = HParamsLogReader.ReadSessions(dir.Path);
        HParamsExperiment experiment = HParamsLogReader.ReadExperiment(dir.Path)!;
        Assert.That(experiment.HParams.Select(h => h.Name), Is.EqualTo(TrainerSpaces.Space().Select(h => h.Name)), "every hparam declared");
        Assert.That(experiment.Metrics.Select(m => m.Tag), Is.EqualTo(TaskMetrics.For(task).Select(m => m.Tag)));
        Assert.That(sessions, Has.Count.EqualTo(12), "two folds per trial");
        Assert.That(sessions.GroupBy(s => s.GroupName).Select(g => g.Count()), Has.All.EqualTo(2), "a trial's folds are one session group");
        foreach (SessionRecord session in sessions)
        {
            string trainer = (string)session.HParams["trainer"];
            Assert.That(session.HParams.Keys.Where(k => k != "trainer"), Has.All.Matches<string>(k => k.StartsWith(trainer[..2], StringComparison.Ordinal) || k.StartsWith(TrainerSpaces.OptionsName(trainer), StringComparison.Ordinal) || (trainer == "lightgbm" && k.StartsWith("lgbm_", StringComparison.Ordinal))),
                "only its trainer's hparams");
            Assert.That(TaskMetrics.For(task).Select(m => session.Last(m.Group, m.Tag)), Has.All.Not.Null, "every metric logged");
        }
    }

    [Test]
    public async Task Two_tuners_on_one_sqlite_study_complete_it_exactly_with_every_fold_once()
    {
        using var dir = new TempDirectory();
        TabularData data = Data.For(MLTask.BinaryClassification, rows: 120);
        MLNetTunerOptions Options(Storage.SqliteStudyStorage storage) => new()
        {
            LogDir = dir.Combine("logs"),
            Storage = storage,
            StudyName = "shared",
            MaxCompleteTrials = 6,
            Folds = 3,
            Seed = 1,
            EnsembleSize = 4,
        };
        await using Storage.SqliteStudyStorage first = await Storage.SqliteStudyStorage.OpenAsync(dir.Combine("study.db"));
        await using Storage.SqliteStudyStorage second = await Storage.SqliteStudyStorage.OpenAsync(dir.Combine("study.db"));

        MLNetTuningResult[] results = await Task.WhenAll(MLNetTuner.TuneAsync(data, Options(first)), MLNetTuner.TuneAsync(data, Options(second)));

        IReadOnlyList<FrozenTrial> trials = await first.GetTrialsAsync("shared");
        Assert.That(trials.Count(t => t.State == TrialState.Complete), Is.EqualTo(6), "the study's complete trials, both processes' together");
        Assert.That(trials.Where(t => t.State == TrialState.Complete).Select(t => t.FoldValues.Count), Has.All.EqualTo(3));
        Assert.That(results.Sum(r => r.Fits - 1 - (r.Ensemble?.Members.Count(m => m.Trial != r.Study.BestTrial!.Number) ?? 0)), Is.EqualTo(trials.Sum(t => t.State == TrialState.Complete ? 3 : Math.Min(3, t.FoldValues.Count + 1))), "every fold fitted once, in one of them");
        Assert.That(results.Select(r => r.Study.BestTrial!.Number), Has.All.EqualTo(results[0].Study.BestTrial!.Number), "both see the whole study");
        Assert.That(HParamsLogReader.ReadSessions(dir.Combine("logs")).GroupBy(s => s.GroupName).Count(g => g.Count() == 3 && g.All(s => s.Status == SessionStatus.Success)), Is.EqualTo(6));
    }
}
